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
        guard let document = parsed else {
            // libxml2 calls a file with no '<' "empty"; a file with bytes in it is something else: say what.
            let blank = data.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            if !blank, parseDiagnostics.contains(where: { $0.code == "xml-empty" }) {
                return (nil, [notXML(data, path: path, what: what)])
            }
            return (nil, parseDiagnostics)
        }
        guard let root = document.root else { return (nil, parseDiagnostics) }
        let element = Element(node: root, document: document)
        let ns = root.pointee.ns?.pointee.href.map { String(cString: $0) }
        if element.name != rootName || ns != schema.namespace {
            let found = ns.map { "<\(element.name)> in namespace \($0)" } ?? "<\(element.name)> with no namespace"
            if element.name == "evidence", ns == "urn:assay:evidence:1" {
                return (nil, [
                    Diagnostic(
                        .error, "wrong-root",
                        "'\((path as NSString).lastPathComponent)' is evidence, not \(what) — are the arguments in the right order?",
                        hint: "give the rubric first and the evidence after it (see the command's --help)", at: document.location(of: root))
                ])
            }
            return (nil, [
                Diagnostic(
                    .error, "wrong-root", "this is not \(what): its root element is \(found)",
                    hint: "\(what) starts with <\(rootName) xmlns=\"\(schema.namespace)\" …>", at: document.location(of: root))
            ])
        }
        let schemaDiagnostics = schema.validate(document)
        return (document, schemaDiagnostics)
    }

    /// The diagnostic for a file that has content but no XML in it: what it looks like, and what to do.
    static func notXML(_ data: Data, path: String, what: String) -> Diagnostic {
        let name = (path as NSString).lastPathComponent
        let here = SourceLocation(file: path, line: 1, column: 1)
        let kind = FileKind(head: data.prefix(4096))
        switch kind {
        case .markSheet:
            return Diagnostic(
                .error, "not-xml", "'\(name)' is a CSV mark sheet, not \(what) — are the arguments in the right order?",
                hint: "give the rubric first and the mark sheets after it (see the command's --help)", at: here)
        case .workbook, .utf16:
            return Diagnostic(
                .error, "not-xml", "'\(name)' is \(kind.described ?? "not XML"), not \(what)",
                hint: "give the XML file of \(what); a mark sheet goes after the rubric, saved as \"CSV UTF-8 (Comma delimited) (*.csv)\"",
                at: here)
        case .rubric, .other:
            let firstLine = String(decoding: data.prefix(200).prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
            return Diagnostic(
                .error, "not-xml", "'\(name)' is not XML: \(what) starts with '<' and this file starts with '\(firstLine.prefix(40))'",
                hint: "check that this is the file you meant (and that the arguments are in the right order)", at: here)
        }
    }
}
