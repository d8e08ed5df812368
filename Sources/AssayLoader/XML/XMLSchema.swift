import AssayModel
import CLibXML2
import Foundation

/// A compiled W3C XML Schema (XSD). A compiled schema is immutable and shared across threads; each
/// validation gets its own validation context.
final class XMLSchema: @unchecked Sendable {
    private let schema: xmlSchemaPtr
    /// Namespace of the schema's target, stripped from messages (`{urn:assay:rubric:1}course` → `course`).
    let namespace: String

    /// Compiles an XSD held in memory. The schema is Assay's own (embedded), so a failure is a bug.
    init(xsd: String, namespace: String) {
        LibXML.initialize()
        let parsed: xmlSchemaPtr? = xsd.withCString { text in
            guard let pctxt = xmlSchemaNewMemParserCtxt(text, Int32(strlen(text))) else { return nil }
            defer { xmlSchemaFreeParserCtxt(pctxt) }
            return xmlSchemaParse(pctxt)
        }
        guard let parsed else { fatalError("Assay's embedded schema for \(namespace) does not compile") }
        self.schema = parsed
        self.namespace = namespace
    }

    deinit { xmlSchemaFree(schema) }

    /// Validates a document; every problem becomes a diagnostic located at the element (and attribute) at fault.
    func validate(_ document: XMLDocument) -> [Diagnostic] {
        guard let vctxt = xmlSchemaNewValidCtxt(schema) else { return [] }
        defer { xmlSchemaFreeValidCtxt(vctxt) }
        let collector = SchemaCollector(document: document, namespace: namespace)
        let unmanaged = Unmanaged.passRetained(collector)
        defer { unmanaged.release() }
        xmlSchemaSetValidStructuredErrors(vctxt, assaySchemaError, unmanaged.toOpaque())
        xmlSchemaValidateDoc(vctxt, document.doc)
        return collector.diagnostics
    }
}

private final class SchemaCollector {
    let document: XMLDocument
    let namespace: String
    var diagnostics: [Diagnostic] = []

    init(document: XMLDocument, namespace: String) {
        self.document = document
        self.namespace = namespace
    }
}

private func assaySchemaError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let userData, let error else { return }
    let collector = Unmanaged<SchemaCollector>.fromOpaque(userData).takeUnretainedValue()
    collector.diagnostics.append(SchemaMessage.diagnostic(for: error.pointee, collector: collector))
}

/// Rewrites libxml2's schema-validation messages into the rubric author's terms.
enum SchemaMessage {
    fileprivate static func diagnostic(for e: xmlError, collector: SchemaCollector) -> Diagnostic {
        let raw = e.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "invalid"
        let message = plain(raw, namespace: collector.namespace)
        var location = SourceLocation(file: collector.document.source.file, line: Int(e.line))
        if let nodePointer = e.node {
            let node = nodePointer.assumingMemoryBound(to: xmlNode.self)
            if node.pointee.type == XML_ELEMENT_NODE {
                let origin = collector.document.origin(of: node)
                location = attributeName(in: raw).map { origin.at($0) } ?? origin.element
            } else if node.pointee.type == XML_ATTRIBUTE_NODE, let parent = node.pointee.parent {
                let origin = collector.document.origin(of: parent)
                let name = node.pointee.name.map { String(cString: $0) } ?? ""
                location = origin.at(name)
            }
        }
        let (code, hint) = classify(Int(e.code), raw: raw)
        return Diagnostic(.error, code, message, hint: hint, at: location)
    }

    /// The attribute a message is about (`…, attribute 'credits': …`), if any.
    static func attributeName(in raw: String) -> String? {
        for marker in ["attribute '", "The attribute '"] {
            if let r = raw.range(of: marker) {
                let rest = raw[r.upperBound...]
                if let end = rest.firstIndex(of: "'") { return String(rest[..<end]) }
            }
        }
        return nil
    }

    static func classify(_ code: Int, raw: String) -> (String, String) {
        switch code {
        case Int(XML_SCHEMAV_CVC_COMPLEX_TYPE_4.rawValue):
            return ("schema-missing-attribute", "add the attribute; rubrics/README.md lists what each element needs")
        case Int(XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1.rawValue), Int(XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2.rawValue):
            return ("schema-unknown-attribute", "check the spelling; rubrics/README.md lists the attributes each element takes")
        case Int(XML_SCHEMAV_ELEMENT_CONTENT.rawValue), Int(XML_SCHEMAV_CVC_COMPLEX_TYPE_2_4.rawValue),
            Int(XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3.rawValue), Int(XML_SCHEMAV_CVC_COMPLEX_TYPE_2_1.rawValue):
            return ("schema-unexpected-element", "check the element's name, its place and the order of its siblings (rubrics/README.md)")
        case Int(XML_SCHEMAV_CVC_ELT_1.rawValue):
            return ("not-a-rubric", "a rubric's root element is <program xmlns=\"urn:assay:rubric:1\" …>")
        default:
            if code >= Int(XML_SCHEMAV_CVC_FACET_VALID.rawValue) && code <= Int(XML_SCHEMAV_CVC_TYPE_3_1_2.rawValue)
                || raw.contains("is not a valid value") || raw.contains("is not accepted by the pattern")
                || raw.contains("is not an element of the set")
            {
                return ("schema-bad-value", "write the value in the form rubrics/README.md gives for this attribute")
            }
            return ("schema-invalid", "compare with rubrics/README.md and rubrics/schema/rubric.xsd")
        }
    }

    /// `Element '{urn:assay:rubric:1}course', attribute 'credits': 'four' is not a valid value of the atomic
    /// type 'xs:decimal'.` → `<course> attribute 'credits': 'four' is not a decimal number`.
    static func plain(_ raw: String, namespace: String) -> String {
        var s = raw
        // Element '{ns}name' → <name>
        while let r = s.range(of: "Element '{\(namespace)}") {
            let rest = s[r.upperBound...]
            guard let end = rest.firstIndex(of: "'") else { break }
            let name = rest[..<end]
            s.replaceSubrange(r.lowerBound...end, with: "<\(name)>")
        }
        s = s.replacingOccurrences(of: "{\(namespace)}", with: "")
        let replacements: [(String, String)] = [
            ("<program>: No matching global declaration available for the validation root",
                "the root element is not <program> in namespace \(namespace)"),
            ("is not a valid value of the atomic type 'xs:decimal'", "is not a decimal number"),
            ("is not a valid value of the atomic type 'xs:positiveInteger'", "is not a whole number greater than 0"),
            ("is not a valid value of the atomic type 'xs:nonNegativeInteger'", "is not a whole number (0 or more)"),
            ("is not a valid value of the atomic type 'xs:integer'", "is not a whole number"),
            ("is not a valid value of the atomic type 'Id'", "is not a valid id (letters, digits, '.', '_', '-'; starting with a letter or digit)"),
            ("is not a valid value of the atomic type 'ScorerRef'", "is not a scorer name (a built-in scorer, or plugin:NAME)"),
            ("is not a valid value of the atomic type 'Text'", "is not valid text (1 to 1000 characters)"),
            ("is not a valid value of the atomic type 'Percent'", "is not a percentage between 0 and 100"),
            (", attribute '", " attribute '"),
        ]
        for (from, to) in replacements { s = s.replacingOccurrences(of: from, with: to) }
        // "<course>: The attribute 'credits' is required but missing." → "<course> is missing the attribute 'credits'"
        if let m = s.firstMatch(of: /^(<[^>]+>): The attribute '([^']+)' is required but missing\.?$/) {
            return "\(m.1) is missing the attribute '\(m.2)'"
        }
        if let m = s.firstMatch(of: /^(<[^>]+>) attribute '([^']+)': The attribute '[^']+' is not allowed\.?$/) {
            return "\(m.1) does not take an attribute '\(m.2)'"
        }
        if let m = s.firstMatch(of: /^(<[^>]+>): This element is not expected\.(?: Expected is (?:one of )?\( ([^)]*) \))?\.?$/) {
            return "\(m.1) is not allowed here" + (m.2.map { "; expected " + elementList($0) } ?? "")
        }
        if let m = s.firstMatch(of: /^(<[^>]+>): Missing child element\(s\)\.(?: Expected is (?:one of )?\( ([^)]*) \))?\.?$/) {
            return "\(m.1) is missing something inside it" + (m.2.map { "; expected " + elementList($0) } ?? "")
        }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// "course, competition" → "<course>, <competition>" ("one of" when several).
    private static func elementList(_ text: Substring) -> String {
        let names = text.split(separator: ",").map { "<" + $0.trimmingCharacters(in: .whitespaces) + ">" }
        return names.count == 1 ? names[0] : "one of " + names.joined(separator: ", ")
    }
}
