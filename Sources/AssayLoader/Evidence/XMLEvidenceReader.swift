import AssayModel
import CLibXML2
import Foundation

/// Streams an evidence XML file (`urn:assay:evidence:1`) through libxml2's SAX2 push parser: one candidate
/// at a time, with no tree built at all. libxml2 hands each start tag over as its local name and its
/// attributes as (name, value start, value end) pointers into its own buffer; names are recognised by
/// libxml2's dictionary pointer and Swift strings are made only for the values kept (see
/// ``EvidenceSAXParse``). Memory stays bounded by the largest candidate and one block of the file, not by
/// the file (plus at most 3 MB to report a candidate that appears twice: see ``CandidateFirstLines``).
///
/// The reader enforces evidence.xsd's rules itself (element names, required attributes) rather than running
/// the XSD validator over the stream, which would double the cost of a large file. A bad item becomes a
/// problem on its candidate's outcome, with its line. As in the schema, only elements in the evidence
/// namespace and attributes without a prefix are evidence: a look-alike from another namespace (`x:award`
/// beside `award`, `<x:measure>`) is an error at its line:column and puts its candidate in doubt, so is a
/// candidate that appears again in the file; elements nested deeper than ``EvidenceSAXParse/maxDepth`` stop
/// the reading there, as libxml2 stops the rubric loader. A malformed file is reported at its first error: the
/// candidates completed before it have been handed on; the candidate being read when it was found (or, if
/// none was, the next one begun) is read to its end as libxml2 recovers and is marked as possibly misread,
/// and nothing after that is read. A file that breaks off after a candidate's end (no `</evidence>`, junk
/// after the last candidate) marks that last candidate.
///
/// Untrusted input: no network (`XML_PARSE_NONET`), no entity substitution (never `XML_PARSE_NOENT`), no
/// `XML_PARSE_HUGE`, and a `<!DOCTYPE …>` stops the parser before its internal subset is read.
struct XMLEvidenceReader {
    let path: String
    let expectedProgram: String?

    /// Bytes handed to libxml2 at a time. The parser moves what is left of its buffer to the front as it
    /// goes, so small blocks cost less than large ones (measured: 4 KB 1.154 G instructions for the reading
    /// thread on 20,000 candidates, 16 KB 1.196 G, 64 KB 1.188 G; 2 KB no better than 4).
    static let blockSize: Int32 = 4 * 1024

    init(path: String, expectedProgram: String?) {
        self.path = path
        self.expectedProgram = expectedProgram
    }

    /// Reads the file, calling `emit` for each candidate in document order. Returns file-level diagnostics.
    func read(_ emit: (CandidateEvidence) -> Void) -> [Diagnostic] {
        LibXML.initialize()
        guard FileManager.default.isReadableFile(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            return [
                Diagnostic(
                    .error, "file-unreadable", exists ? "cannot read evidence file '\(path)'" : "evidence file '\(path)' does not exist",
                    hint: exists ? "check the file's permissions" : "check the path", at: SourceLocation(file: path, line: 0))
            ]
        }
        let cannotOpen = [Diagnostic(.error, "file-unreadable", "cannot open evidence file '\(path)'", at: SourceLocation(file: path, line: 0))]
        // libxml2's own file input (plain or gzip-compressed, as its other readers accept).
        guard let input = xmlParserInputBufferCreateFilename(path, XML_CHAR_ENCODING_NONE) else { return cannotOpen }
        defer { xmlFreeParserInputBuffer(input) }
        // The first bytes let libxml2 detect the encoding (a byte-order mark, UTF-16) before anything is parsed.
        // A read error (a directory, a failing disk) ends the input there, as libxml2's reader treated it.
        var status = max(xmlParserInputBufferRead(input, 4), 0)
        guard let buffer = input.pointee.buffer else { return cannotOpen }
        let first = min(xmlBufUse(buffer), 4)
        var handler = EvidenceSAXParse.handler()
        guard
            let ctxt = xmlCreatePushParserCtxt(
                &handler, nil, first > 0 ? UnsafeRawPointer(xmlBufContent(buffer)).assumingMemoryBound(to: CChar.self) : nil,
                Int32(first), path)
        else { return cannotOpen }
        defer { xmlFreeParserCtxt(ctxt) }
        xmlBufShrink(buffer, first)
        // RECOVER: after a well-formedness error libxml2 goes on handing over what it can make of the rest of the
        // element, so the candidate where the error is keeps the items around it (and is marked as possibly
        // misread); the reader stops once that candidate ends. Never NOENT or HUGE.
        xmlCtxtUseOptions(ctxt, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_RECOVER.rawValue))
        guard let found = EvidenceNames(ctxt.pointee.dict) else { return cannotOpen }
        let names = UnsafeMutablePointer<EvidenceNames>.allocate(capacity: 1)
        names.initialize(to: found)
        defer { names.deallocate() }

        return withoutActuallyEscaping(emit) { emit in
            let state = UnsafeMutablePointer<EvidenceSAXParse>.allocate(capacity: 1)
            state.initialize(to: EvidenceSAXParse(path: path, expectedProgram: expectedProgram, names: UnsafePointer(names), emit: emit))
            defer {
                state.deinitialize(count: 1)
                state.deallocate()
            }
            ctxt.pointee._private = UnsafeMutableRawPointer(state)
            defer { ctxt.pointee._private = nil }

            var parsedToEnd = false
            while !state.pointee.stopped {
                let available = xmlBufUse(buffer)
                if available > 0 {
                    xmlParseChunk(ctxt, UnsafeRawPointer(xmlBufContent(buffer)).assumingMemoryBound(to: CChar.self), Int32(available), 0)
                    xmlBufShrink(buffer, available)
                    if state.pointee.stopped { break }
                }
                if status == 0 {
                    xmlParseChunk(ctxt, nil, 0, 1)
                    parsedToEnd = true
                    break
                }
                status = max(xmlParserInputBufferRead(input, Self.blockSize), 0)
            }
            let line = Int(ctxt.pointee.input?.pointee.line ?? 0)
            return state.pointee.end(lastLine: parsedToEnd ? line : Int.max)
        }
    }

    /// FNV-1a, 64 bits: stable across runs (Swift's Hasher is seeded per process).
    static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 14_695_981_039_346_656_037
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        return h
    }

    /// ``hash(_:)`` of the attribute value's string, from its bytes.
    static func hash(_ v: AttributeValue) -> UInt64 {
        if v.hasAmpersand { return hash(v.string()) }
        var h: UInt64 = 14_695_981_039_346_656_037
        for i in 0..<v.count { h = (h ^ UInt64(v.start[i])) &* 1_099_511_628_211 }
        return h
    }
}

/// libxml2's errors for one read (reported through the parser context, never the global handler).
struct EvidenceXMLError {
    var code: Int32
    var line: Int
    var column: Int?
    var message: String
    var name: String?
    var openedOnLine: Int

    /// Not libxml2's: an element nested deeper than ``EvidenceSAXParse/maxDepth``.
    static let tooDeep: Int32 = -1
}

extension XMLEvidenceReader {
    /// libxml2's first error in a judge's words, where we know better words. `lastLine` is the line libxml2
    /// reached at the end of the file (`Int.max` when the reader stopped before the end).
    static func plainError(
        _ errors: [EvidenceXMLError], recentCandidates: [(line: Int, id: String)], lastLine: Int, file: String
    ) -> Diagnostic? {
        guard let first = errors.first else { return nil }
        let location = SourceLocation(file: file, line: first.line, column: first.column)
        // Elements the file ends inside ("Premature end of data in tag candidate line 5").
        let unclosed = errors.filter { $0.code == Int32(XML_ERR_TAG_NOT_FINISHED.rawValue) && $0.name != nil }
        if !unclosed.isEmpty {
            let what = unclosed.map { e -> String in
                let id = e.name == "candidate" ? recentCandidates.last { $0.line == e.openedOnLine }?.id : nil
                return "<\(e.name!)\(id.map { " id=\"\($0)\"" } ?? "")> (line \(e.openedOnLine))"
            }.joined(separator: " and ")
            return Diagnostic(
                .error, "xml-cut-short",
                "the evidence file ends before \(what) \(unclosed.count == 1 ? "is" : "are") closed: it may be cut short",
                hint: "check that the whole file was copied or exported; close the elements",
                at: SourceLocation(file: file, line: unclosed.last!.line, column: unclosed.last!.column))
        }
        let endOfFile = first.line >= lastLine
        let cutCodes: Set<Int32> = [
            Int32(XML_ERR_DOCUMENT_END.rawValue), Int32(XML_ERR_GT_REQUIRED.rawValue), Int32(XML_ERR_LTSLASH_REQUIRED.rawValue),
            Int32(XML_ERR_ATTRIBUTE_NOT_FINISHED.rawValue), Int32(XML_ERR_ATTRIBUTE_WITHOUT_VALUE.rawValue),
            Int32(XML_ERR_LITERAL_NOT_FINISHED.rawValue), Int32(XML_ERR_ATTRIBUTE_NOT_STARTED.rawValue),
        ]
        switch first.code {
        case let code where endOfFile && cutCodes.contains(code):
            let last = recentCandidates.last.map { " (the last candidate begun is \"\($0.id)\", line \($0.line))" } ?? ""
            return Diagnostic(
                .error, "xml-cut-short", "the evidence file ends in the middle of an element: it may be cut short\(last)",
                hint: "check that the whole file was copied or exported; close the elements", at: location)
        case Int32(XML_ERR_ATTRIBUTE_NOT_STARTED.rawValue):
            return Diagnostic(
                .error, "xml-malformed", "an attribute value is not in quotes",
                hint: "write attribute values in quotes, e.g. value=\"2\"", at: location)
        case Int32(XML_ERR_DOCUMENT_EMPTY.rawValue):
            return Diagnostic(.error, "xml-empty", "the evidence file is empty", at: location)
        default:
            return Diagnostic(.error, "xml-malformed", "malformed XML: \(first.message)", hint: "fix the XML syntax at this position", at: location)
        }
    }
}
