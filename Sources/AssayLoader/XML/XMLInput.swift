import AssayModel
import CLibXML2
import Foundation

/// Reads one XML input file: read, parse safely, check the root element, validate against the schema.
enum XMLInput {
    /// Returns the document when it is well-formed, has the expected root and passes the schema; otherwise
    /// `nil` and the diagnostics (or the document *and* its schema diagnostics when `keepInvalid`).
    static func load(
        path: String, schema: XMLSchema, rootName: String, what: String
    ) -> (XMLDocument?, [Diagnostic]) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            return (nil, [
                Diagnostic(
                    .error, "file-unreadable", exists ? "cannot read \(what) '\(path)'" : "\(what) '\(path)' does not exist",
                    hint: exists ? "check the file's permissions" : "check the path", at: SourceLocation(file: path, line: 0))
            ])
        }
        let (parsed, parseDiagnostics) = XMLDocument.parse(data, file: path)
        guard let document = parsed else { return (nil, parseDiagnostics) }
        guard let root = document.root else { return (nil, parseDiagnostics) }
        let element = Element(node: root, document: document)
        let ns = root.pointee.ns?.pointee.href.map { String(cString: $0) }
        if element.name != rootName || ns != schema.namespace {
            let found = ns.map { "<\(element.name)> in namespace \($0)" } ?? "<\(element.name)> with no namespace"
            return (nil, [
                Diagnostic(
                    .error, "wrong-root", "this is not \(what): its root element is \(found)",
                    hint: "\(what) starts with <\(rootName) xmlns=\"\(schema.namespace)\" …>", at: document.location(of: root))
            ])
        }
        let schemaDiagnostics = schema.validate(document)
        return (document, schemaDiagnostics)
    }
}
