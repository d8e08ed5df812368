import AssayModel
import CLibXML2
import Foundation
import Synchronization

/// A parsed XML document that owns its libxml2 tree, with the source position of every element.
///
/// Parsing treats the input as untrusted: no network (`XML_PARSE_NONET`), no entity substitution (no
/// `XML_PARSE_NOENT`), no DTD loading, and a document with a `<!DOCTYPE …>` is refused outright before its
/// internal subset is read — Assay's formats never need one, and refusing it stops external entities (XXE),
/// entity bombs and external DTD fetches at the door. An external-entity loader that refuses every request is
/// installed as a second line of defence; ``XMLDocument/refusedExternalLoads`` counts what it refused.
final class XMLDocument {
    let doc: xmlDocPtr
    /// The raw bytes, kept for locating elements and attributes.
    let source: SourceText
    /// Byte offset of each element's `<`, keyed by node pointer.
    private let elementOffsets: [UnsafeMutableRawPointer: Int]

    private init(doc: xmlDocPtr, source: SourceText, elementOffsets: [UnsafeMutableRawPointer: Int]) {
        self.doc = doc
        self.source = source
        self.elementOffsets = elementOffsets
    }

    deinit { xmlFreeDoc(doc) }

    var root: xmlNodePtr? { xmlDocGetRootElement(doc) }

    /// How many times libxml2 asked to load an external resource and was refused (process-wide).
    static var refusedExternalLoads: Int { refusedLoads.load(ordering: .relaxed) }

    /// Parses `data` read from `file`. Returns the document, or `nil` with diagnostics when it is not
    /// well-formed or carries a DOCTYPE.
    static func parse(_ data: Data, file: String) -> (XMLDocument?, [Diagnostic]) {
        LibXML.initialize()
        if data.isEmpty {
            return (nil, [
                Diagnostic(
                    .error, "xml-empty", "the file is empty",
                    hint: "a rubric starts with <program xmlns=\"urn:assay:rubric:1\" …>", at: SourceLocation(file: file, line: 1, column: 1))
            ])
        }
        let source = SourceText(data: data, file: file)
        let collector = ParseCollector(source: source)
        let unmanaged = Unmanaged.passRetained(collector)
        defer { unmanaged.release() }

        let ctxtOrNil: xmlParserCtxtPtr? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count <= Int(Int32.max) else { return nil }
            return xmlCreateMemoryParserCtxt(base.assumingMemoryBound(to: CChar.self), Int32(raw.count))
        }
        guard let ctxt = ctxtOrNil else {
            let what = data.count > Int(Int32.max) ? "the file is too large to read" : "the file could not be read as XML"
            return (nil, [Diagnostic(.error, "xml-malformed", what, at: SourceLocation(file: file, line: 0))])
        }
        defer { xmlFreeParserCtxt(ctxt) }
        xmlCtxtUseOptions(ctxt, Int32(XML_PARSE_NONET.rawValue))
        ctxt.pointee._private = unmanaged.toOpaque()
        if let sax = ctxt.pointee.sax {
            sax.pointee.startElementNs = assayStartElementNs
            sax.pointee.internalSubset = assayInternalSubset
            sax.pointee.serror = assayParserError
            sax.pointee.warning = nil
            sax.pointee.error = nil
        }
        xmlParseDocument(ctxt)
        let doc = ctxt.pointee.myDoc
        ctxt.pointee.myDoc = nil

        var diagnostics = collector.diagnostics
        if let doctype = collector.doctype {
            diagnostics.insert(doctype, at: 0)
        }
        let wellFormed = ctxt.pointee.wellFormed != 0 && collector.doctype == nil && diagnostics.isEmpty
        guard wellFormed, let doc else {
            if let doc { xmlFreeDoc(doc) }
            if diagnostics.isEmpty {
                diagnostics.append(
                    Diagnostic(.error, "xml-malformed", "the file is not well-formed XML", at: SourceLocation(file: file, line: 1, column: 1)))
            }
            return (nil, diagnostics)
        }
        return (XMLDocument(doc: doc, source: source, elementOffsets: collector.offsets), [])
    }

    /// Where an element's start tag and attributes stand.
    func origin(of node: xmlNodePtr) -> Origin {
        guard let offset = elementOffsets[UnsafeMutableRawPointer(node)] else {
            return Origin(element: SourceLocation(file: source.file, line: Int(xmlGetLineNo(node))))
        }
        return source.origin(ofStartTagAt: offset)
    }

    /// The element's location only (cheaper than ``origin(of:)``).
    func location(of node: xmlNodePtr) -> SourceLocation {
        guard let offset = elementOffsets[UnsafeMutableRawPointer(node)] else {
            return SourceLocation(file: source.file, line: Int(xmlGetLineNo(node)))
        }
        return source.location(ofOffset: offset)
    }
}

/// Process-wide libxml2 set-up, done once.
enum LibXML {
    private static let once: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader(assayRefuseExternalEntity)
    }()

    static func initialize() { _ = once }
}

private let refusedLoads = Atomic<Int>(0)

/// Refuses every external resource libxml2 would load (DTDs, external entities, XInclude, schema imports).
private func assayRefuseExternalEntity(
    _ url: UnsafePointer<CChar>?, _ id: UnsafePointer<CChar>?, _ ctxt: xmlParserCtxtPtr?
) -> xmlParserInputPtr? {
    refusedLoads.add(1, ordering: .relaxed)
    return nil
}

/// Per-parse state reached from libxml2 callbacks through the context's `_private`.
private final class ParseCollector {
    let source: SourceText
    var offsets: [UnsafeMutableRawPointer: Int] = [:]
    var starts: [(name: String, offset: Int)] = []
    var diagnostics: [Diagnostic] = []
    var doctype: Diagnostic?

    init(source: SourceText) { self.source = source }

    static func from(_ ctx: UnsafeMutableRawPointer?) -> (xmlParserCtxtPtr, ParseCollector)? {
        guard let ctx else { return nil }
        let ctxt = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let priv = ctxt.pointee._private else { return nil }
        return (ctxt, Unmanaged<ParseCollector>.fromOpaque(priv).takeUnretainedValue())
    }

    /// Byte offset of the parser's cursor in the original input.
    static func cursorOffset(_ ctxt: xmlParserCtxtPtr) -> Int? {
        guard let input = ctxt.pointee.input, let cur = input.pointee.cur, let base = input.pointee.base else { return nil }
        return Int(input.pointee.consumed) + (cur - base)
    }

    /// The `<` of the innermost start tag named `name` that began on `line`, if recorded.
    func startOffset(named name: String, line: Int) -> Int? {
        starts.last { $0.name == name && source.location(ofOffset: $0.offset).line == line }?.offset
    }
}

private func assayStartElementNs(
    _ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?,
    _ uri: UnsafePointer<xmlChar>?, _ nbNamespaces: Int32, _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
    _ nbAttributes: Int32, _ nbDefaulted: Int32, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
) {
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, nbDefaulted, attributes)
    guard let (ctxt, collector) = ParseCollector.from(ctx), let node = ctxt.pointee.node,
        let cursor = ParseCollector.cursorOffset(ctxt)
    else { return }
    // The cursor stands at the '>' (or "/>") that ends the start tag; '<' cannot occur inside a start tag,
    // so the nearest '<' before it is where the tag begins.
    if let lt = collector.source.lastIndex(of: UInt8(ascii: "<"), before: cursor) {
        collector.offsets[UnsafeMutableRawPointer(node)] = lt
        if let localname { collector.starts.append((String(cString: localname), lt)) }
    }
}

private func assayInternalSubset(
    _ ctx: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?, _ externalID: UnsafePointer<xmlChar>?,
    _ systemID: UnsafePointer<xmlChar>?
) {
    guard let (ctxt, collector) = ParseCollector.from(ctx) else { return }
    let offset = ParseCollector.cursorOffset(ctxt).flatMap {
        collector.source.lastIndex(of: UInt8(ascii: "<"), before: $0 + 1)
    }
    let location = offset.map { collector.source.location(ofOffset: $0) }
        ?? SourceLocation(file: collector.source.file, line: Int(ctxt.pointee.input?.pointee.line ?? 0))
    var what = "the file has a DOCTYPE declaration"
    if let systemID {
        what += " naming an external DTD ('\(String(cString: systemID))')"
    }
    collector.doctype = Diagnostic(
        .error, "xml-doctype-refused",
        "\(what); Assay refuses DOCTYPEs, entity declarations and external DTDs in its input, and read nothing further",
        hint: "delete the <!DOCTYPE …> declaration; write special characters directly (UTF-8) or as &#…; references",
        at: location)
    xmlStopParser(ctxt)
}

private func assayParserError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let error, let (_, collector) = ParseCollector.from(userData) else { return }
    // Stopping the parser after a refused DOCTYPE is not the author's mistake; report only the refusal.
    if collector.doctype != nil { return }
    if error.pointee.level == XML_ERR_WARNING { return }
    // After the first fatal error libxml2 goes on reporting its consequences (every enclosing element then
    // looks unclosed); the first error is the one to fix.
    guard collector.diagnostics.isEmpty, let (ctxt, _) = ParseCollector.from(userData) else { return }
    collector.diagnostics.append(WellFormednessMessage.diagnostic(for: error.pointee, collector: collector, openElements: openElements(ctxt)))
}

/// Names of the elements open at the parser's position, outermost first.
private func openElements(_ ctxt: xmlParserCtxtPtr) -> [String] {
    guard let tab = ctxt.pointee.nameTab else { return [] }
    return (0..<Int(ctxt.pointee.nameNr)).compactMap { tab[$0].map { String(cString: $0) } }
}

/// When libxml2 blames the element opened at `blamed` for a missing end tag, but by the file's indentation an
/// end tag further down closes exactly that element, the element left open is more likely one nested inside
/// it: a start tag of the same name, not self-closing, after which the next tag at its own indentation or
/// less is not its end tag: a start tag there is its next sibling (a leaf whose `/>` became `>`), an end tag
/// further left is its parent's. Returns that start tag's offset, the tag that shows it was left open, and
/// the offset of the end tag that lines up with `blamed`, when there is exactly one such start tag; nil
/// otherwise (then libxml2's account stands).
private func unclosedByIndentation(
    _ name: String, blamed: Int, errorLine: Int, collector: ParseCollector
) -> (left: Int, next: SourceText.LineTag, linedUp: Int)? {
    let source = collector.source
    guard let blamedIndent = source.indentation(at: blamed) else { return nil }
    let errorEnd = source.offset(ofLine: errorLine + 1)
    let ends = source.endTags(named: name, in: blamed..<errorEnd).compactMap { o in source.indentation(at: o).map { (o, $0) } }
    guard let linedUp = ends.first(where: { $0.1 == blamedIndent })?.0 else { return nil }
    let inner = collector.starts.filter { $0.name == name && $0.offset > blamed && $0.offset < linedUp }
        .map(\.offset).filter { !source.isSelfClosing(startTagAt: $0) }
    let left: [(Int, SourceText.LineTag)] = inner.compactMap { start in
        guard let indent = source.indentation(at: start),
            let next = source.nextLineTag(afterStartTagAt: start, named: name, indentationAtMost: indent, before: linedUp + 1)
        else { return nil }
        let closes = next.isEnd && next.name == name && next.indentation == indent
        return closes ? nil : (start, next)
    }
    guard left.count == 1 else { return nil }
    return (left[0].0, left[0].1, linedUp)
}

/// Turns libxml2's well-formedness errors into messages that point at the problem.
private enum WellFormednessMessage {
    static func diagnostic(for e: xmlError, collector: ParseCollector, openElements: [String]) -> Diagnostic {
        let file = collector.source.file
        let raw = e.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "malformed XML"
        let column = e.int2 > 0 ? Int(e.int2) : nil
        var location = SourceLocation(file: file, line: Int(e.line), column: column)
        let str1 = e.str1.map { String(cString: $0) }
        let str2 = e.str2.map { String(cString: $0) }
        switch Int(e.code) {
        case Int(XML_ERR_TAG_NAME_MISMATCH.rawValue):
            // "Opening and ending tag mismatch: course line 3 and program": the problem is the unclosed tag.
            let openLine = Int(e.int1)
            if let name = str1, let closer = str2, !openElements.contains(closer) {
                // "</nodes>" closes nothing that is open: the mistake is the end tag, not the start tag.
                let at = collector.source.find("</\(closer)", onLine: Int(e.line), before: column).map {
                    SourceLocation(file: file, line: Int(e.line), column: $0)
                } ?? location
                return Diagnostic(
                    .error, "xml-mismatched-tag",
                    "</\(closer)> does not close any open element; the innermost open element is <\(name)> (line \(openLine))",
                    hint: "write </\(name)>, or fix the spelling of the start or end tag", at: at)
            }
            if let name = str1, openLine > 0, let blamed = collector.startOffset(named: name, line: openLine),
                let (left, next, lined) = unclosedByIndentation(name, blamed: blamed, errorLine: Int(e.line), collector: collector)
            {
                let closer = str2.map { "</\($0)>" } ?? "a different closing tag"
                let leftAt = collector.source.location(ofOffset: left)
                let linedAt = collector.source.location(ofOffset: lined)
                if !next.isEnd {
                    // A leaf whose "/>" became ">": its next sibling starts at its own indentation.
                    let nextAt = collector.source.location(ofOffset: next.offset)
                    return Diagnostic(
                        .error, "xml-unclosed-tag",
                        "<\(name)> is not closed: the next element, <\(next.name)> on line \(nextAt.line), starts at the same indentation (a sibling, not a child), and the </\(name)> on line \(linedAt.line) lines up with the enclosing <\(name)> on line \(openLine)",
                        hint: "end it with '/>' (<\(name) … />) if it has no content; otherwise close it with </\(name)> before line \(nextAt.line)",
                        at: leftAt)
                }
                return Diagnostic(
                    .error, "xml-unclosed-tag",
                    "<\(name)> is not closed: the </\(name)> on line \(linedAt.line) lines up with the <\(name)> on line \(openLine), and nothing closes this one before \(closer) on line \(e.line)",
                    hint: "close it with </\(name)> (or write <\(name) …/> if it has no content)",
                    at: leftAt)
            }
            if let name = str1, openLine > 0 {
                if let offset = collector.startOffset(named: name, line: openLine) {
                    location = collector.source.location(ofOffset: offset)
                } else {
                    location = SourceLocation(file: file, line: openLine)
                }
                let closer = str2.map { "</\($0)>" } ?? "a different closing tag"
                return Diagnostic(
                    .error, "xml-unclosed-tag",
                    "<\(name)> is not closed: the next closing tag is \(closer) on line \(e.line)",
                    hint: "close it with </\(name)> (or write <\(name) …/> if it has no content); if it looks closed, an element of the same name inside it may be the one left open",
                    at: location)
            }
        case Int(XML_ERR_TAG_NOT_FINISHED.rawValue):
            let openLine = Int(e.int1)
            if let name = str1, openLine > 0 {
                location = collector.startOffset(named: name, line: openLine).map { collector.source.location(ofOffset: $0) }
                    ?? SourceLocation(file: file, line: openLine)
                return Diagnostic(
                    .error, "xml-unclosed-tag", "<\(name)> is not closed before the file ends",
                    hint: "close it with </\(name)>", at: location)
            }
        case Int(XML_ERR_ATTRIBUTE_NOT_STARTED.rawValue):
            return Diagnostic(
                .error, "xml-malformed", "an attribute value is not in quotes",
                hint: "write attribute values in double or single quotes, e.g. credits=\"4\"", at: location)
        case Int(XML_ERR_UNDECLARED_ENTITY.rawValue), Int(XML_WAR_UNDECLARED_ENTITY.rawValue):
            if let name = str1 {
                let at = collector.source.find("&\(name);", onLine: Int(e.line), before: column).map {
                    SourceLocation(file: file, line: Int(e.line), column: $0)
                } ?? location
                return Diagnostic(
                    .error, "xml-malformed", "'&\(name);' is not a character Assay knows (rubrics have no entity declarations)",
                    hint: "write the character itself (UTF-8), or &amp; for &, &lt; for <, &gt; for >, &quot; for \", &apos; for '",
                    at: at)
            }
        case Int(XML_ERR_DOCUMENT_EMPTY.rawValue):
            return Diagnostic(.error, "xml-empty", "the file is empty", hint: "a rubric starts with <program xmlns=\"urn:assay:rubric:1\" …>", at: SourceLocation(file: file, line: 1, column: 1))
        default:
            break
        }
        return Diagnostic(.error, "xml-malformed", "malformed XML: \(raw)", hint: "fix the XML syntax at this position", at: location)
    }
}
