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
            if node.pointee.type == XML_ELEMENT_NODE, raw.contains("Character content other than whitespace"),
                let text = firstNonBlankText(in: node)
            {
                location = textStart(text, file: collector.document.source.file)
            } else if node.pointee.type == XML_ELEMENT_NODE {
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

    /// The first text child with more than white space (where "text is not allowed here" points).
    private static func firstNonBlankText(in node: xmlNodePtr) -> xmlNodePtr? {
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_TEXT_NODE, xmlIsBlankNode(c) == 0 { return c }
            child = c.pointee.next
        }
        return nil
    }

    /// Where the first non-blank character of a text node stands. libxml2 records a text node's line where
    /// the text ends, so count back over the newlines that follow that character.
    private static func textStart(_ text: xmlNodePtr, file: String) -> SourceLocation {
        let endLine = Int(xmlGetLineNo(text))
        guard let raw = text.pointee.content else { return SourceLocation(file: file, line: endLine) }
        let content = Array(String(cString: raw).unicodeScalars)
        guard let first = content.firstIndex(where: { !" \t\r\n".unicodeScalars.contains($0) }) else {
            return SourceLocation(file: file, line: endLine)
        }
        let newlinesAfter = content[first...].filter { $0 == "\n" }.count
        let column = content[..<first].lastIndex(of: "\n").map { first - $0 }
        return SourceLocation(file: file, line: endLine - newlinesAfter, column: column)
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
        case Int(XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3.rawValue) where raw.contains("Character content"):
            return ("schema-unexpected-text", "move the text into a title attribute or a <description>, or remove it")
        case Int(XML_SCHEMAV_ELEMENT_CONTENT.rawValue), Int(XML_SCHEMAV_CVC_COMPLEX_TYPE_2_4.rawValue),
            Int(XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3.rawValue), Int(XML_SCHEMAV_CVC_COMPLEX_TYPE_2_1.rawValue):
            return ("schema-unexpected-element", "check the element's name, its place and the order of its siblings (rubrics/README.md)")
        case Int(XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1.rawValue)...Int(XML_SCHEMAV_CVC_ENUMERATION_VALID.rawValue),
            Int(XML_SCHEMAV_CVC_ATTRIBUTE_3.rawValue):
            return ("schema-bad-value", "write the value in the form rubrics/README.md gives for this attribute")
        default:
            return ("schema-invalid", "compare with rubrics/README.md and rubrics/schema/rubric.xsd")
        }
    }

    /// libxml2's facet messages ("[facet 'maxInclusive'] The value '120' is greater than …") in plain words.
    static func plainFacet(_ s: String) -> String {
        if let m = s.firstMatch(of: /\[facet 'maxInclusive'\] The value '([^']*)' is greater than the maximum value allowed \('([^']*)'\)/) {
            return s.replacingCharacters(in: m.range, with: "'\(m.1)' is more than the largest allowed value, \(m.2)")
        }
        if let m = s.firstMatch(of: /\[facet 'minInclusive'\] The value '([^']*)' is less than the minimum value allowed \('([^']*)'\)/) {
            return s.replacingCharacters(in: m.range, with: "'\(m.1)' is less than the smallest allowed value, \(m.2)")
        }
        if let m = s.firstMatch(of: /\[facet 'minLength'\] The value '([^']*)' has a length of '[0-9]+'; this underruns the allowed minimum length of '([0-9]+)'/) {
            return s.replacingCharacters(
                in: m.range, with: m.1.isEmpty ? "the value is empty" : "'\(m.1)' is shorter than \(m.2) characters")
        }
        if let m = s.firstMatch(of: /\[facet 'maxLength'\] The value '([^']*)' has a length of '[0-9]+'; this exceeds the allowed maximum length of '([0-9]+)'/) {
            return s.replacingCharacters(in: m.range, with: "'\(m.1.prefix(40))…' is longer than \(m.2) characters")
        }
        if let m = s.firstMatch(of: /\[facet 'enumeration'\] The value '([^']*)' is not an element of the set \{([^}]*)\}/) {
            let words = m.2.replacingOccurrences(of: "'", with: "")
            return s.replacingCharacters(in: m.range, with: "'\(m.1)' is not one of: \(words)")
        }
        if let m = s.firstMatch(of: /\[facet 'pattern'\] The value '([^']*)' is not accepted by the pattern '([^']*)'/) {
            let what = m.2.hasPrefix("(plugin:)")
                ? "a scorer name (a built-in scorer in lower case, or plugin:NAME)"
                : m.2.hasPrefix("[a-z0-9]") ? "a lower-case name (letters, digits, '.', '_', '-')"
                : "a valid id (letters, digits, '.', '_', '-'; starting with a letter or digit)"
            return s.replacingCharacters(in: m.range, with: "'\(m.1)' is not \(what)")
        }
        return s
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
        s = plainFacet(s)
        if let m = s.firstMatch(of: /^(<[^>]+>): Character content other than whitespace is not allowed because the content type is 'element-only'\.?$/) {
            return "text is not allowed directly inside \(m.1)"
        }
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
