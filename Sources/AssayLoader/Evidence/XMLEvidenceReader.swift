import AssayModel
import CLibXML2
import Foundation

/// Streams an evidence XML file (`urn:assay:evidence:1`) with libxml2's xmlTextReader: one candidate at a
/// time, names compared as C strings, Swift strings made only for what is kept. Memory stays bounded by the
/// largest candidate, not the file.
///
/// The reader enforces evidence.xsd's rules itself (element names, required attributes) rather than running
/// the XSD validator over the stream, which would double the cost of a large file. A bad item becomes a
/// problem on its candidate's outcome, with its line; a malformed file stops at the error, and the candidate
/// being read is marked as cut short.
struct XMLEvidenceReader {
    let path: String
    let expectedProgram: String?

    init(path: String, expectedProgram: String?) {
        self.path = path
        self.expectedProgram = expectedProgram
    }

    /// Reads the file, calling `emit` for each candidate in document order. Returns file-level diagnostics.
    func read(_ emit: (CandidateEvidence) -> Void) -> [Diagnostic] {
        LibXML.initialize()
        var diagnostics: [Diagnostic] = []
        guard FileManager.default.isReadableFile(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            return [
                Diagnostic(
                    .error, "file-unreadable", exists ? "cannot read evidence file '\(path)'" : "evidence file '\(path)' does not exist",
                    hint: exists ? "check the file's permissions" : "check the path", at: SourceLocation(file: path, line: 0))
            ]
        }
        // RECOVER: libxml2 parses ahead of what the reader hands over, so without it an error near the end of a
        // file would also swallow the good candidates read just before it. With it, reading goes on; every
        // candidate that reaches the malformed spot is marked incomplete below, and nothing is silently lost.
        let options = XML_PARSE_NONET.rawValue | XML_PARSE_COMPACT.rawValue | XML_PARSE_RECOVER.rawValue
        guard let reader = xmlReaderForFile(path, nil, Int32(options)) else {
            return [Diagnostic(.error, "file-unreadable", "cannot open evidence file '\(path)'", at: SourceLocation(file: path, line: 0))]
        }
        defer { xmlFreeTextReader(reader) }
        let errors = ReaderErrors()
        let unmanaged = Unmanaged.passRetained(errors)
        defer { unmanaged.release() }
        xmlTextReaderSetStructuredErrorHandler(reader, assayReaderError, unmanaged.toOpaque())

        let evidenceFile = EvidenceFile(path)
        var cache = StringCache()
        var current: CandidateEvidence?
        var currentLine = 0
        var seenRoot = false
        var depth = 0
        // Elements open at the reader's position, for "the file ends before … are closed".
        var open: [(name: String, id: String?, line: Int)] = []
        // The last candidates opened (line, id), to name them in a "cut short" message.
        var recentCandidates: [(line: Int, id: String)] = []
        // Candidates seen so far, by a 64-bit hash of the id (memory stays small however many there are).
        var emitted: [UInt64: Int] = [:]

        // The line of the element being read (the parser itself may already be further on).
        func line() -> Int {
            if let node = xmlTextReaderCurrentNode(reader) { return Int(xmlGetLineNo(node)) }
            return Int(xmlTextReaderGetParserLineNumber(reader))
        }
        func location() -> SourceLocation { SourceLocation(file: path, line: line()) }
        func origin() -> ItemOrigin { ItemOrigin(file: evidenceFile, line: line()) }

        // Hands a candidate on, marking it incomplete if the file is malformed anywhere up to where it ends.
        func finish(_ candidate: CandidateEvidence, endLine: Int) {
            var c = candidate
            if let error = errors.all.first, error.line <= endLine || error.line == 0 {
                c.problems.append(
                    EvidenceProblem(
                        target: c.targets.first ?? "*",
                        message: "the evidence file is malformed at line \(error.line) (see the error for \(path)); this candidate's items from there on may be missing or misread",
                        origin: ItemOrigin(file: evidenceFile, line: error.line)))
            }
            emit(c)
        }

        while true {
            let rc = xmlTextReaderRead(reader)
            if rc == 0 { break }
            if rc < 0 {
                // libxml2 parses ahead of what the reader hands over, and stops handing over at a fatal error.
                // What it had parsed is still in its partial tree: walk it so that the candidates before the
                // error are not lost, and the one that reaches the error is marked incomplete.
                var recovered: [(CandidateEvidence, Int)] = []
                if let node = xmlTextReaderCurrentNode(reader) {
                    recovered = recoverParsedCandidates(after: node, current: current, cache: &cache, file: evidenceFile)
                } else if let doc = xmlTextReaderCurrentDoc(reader), let root = xmlDocGetRootElement(doc),
                    let first = Self.firstElement(root.pointee.children)
                {
                    // The error came before the reader handed over anything: start from the first candidate.
                    recovered = recoverParsedCandidates(startingAt: first, cache: &cache, file: evidenceFile)
                }
                current = nil
                for (c, endLine) in recovered {
                    if let first = c.items.first?.origin.line, !recentCandidates.contains(where: { $0.id == c.id }) {
                        recentCandidates.append((first - 1, c.id))
                    }
                    finish(c, endLine: endLine)
                }
                break
            }
            let type = xmlTextReaderNodeType(reader)
            if type == 10 {  // XML_READER_TYPE_DOCUMENT_TYPE
                diagnostics.append(
                    Diagnostic(
                        .error, "xml-doctype-refused",
                        "the evidence file has a DOCTYPE declaration; Assay refuses DOCTYPEs, entities and external DTDs in its input, and read nothing further",
                        hint: "delete the <!DOCTYPE …> declaration", at: location()))
                break
            }
            if type == 15 {  // end element
                depth -= 1
                if !open.isEmpty { open.removeLast() }
                if depth == 1, let c = current {
                    finish(c, endLine: line())
                    current = nil
                }
                continue
            }
            guard type == 1 else { continue }  // element
            let empty = xmlTextReaderIsEmptyElement(reader) == 1
            let name = xmlTextReaderConstLocalName(reader)
            if !empty {
                depth += 1
                // The label is made only if the file breaks off (see plainError); the candidate's id is filled in below.
                open.append((assay_nameEquals(name, "candidate") != 0 ? "candidate" : name.map { String(cString: $0) } ?? "?", nil, line()))
            }
            if !seenRoot {
                seenRoot = true
                let ns = xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) }
                guard assay_nameEquals(name, "evidence") != 0, ns == "urn:assay:evidence:1" else {
                    let found = name.map { String(cString: $0) } ?? "?"
                    diagnostics.append(
                        Diagnostic(
                            .error, "wrong-root", "this is not an evidence file: its root element is <\(found)>\(ns.map { " in namespace \($0)" } ?? " with no namespace")",
                            hint: "evidence starts with <evidence xmlns=\"urn:assay:evidence:1\" program=\"…\">", at: location()))
                    break
                }
                let program = attribute(reader, "program")
                if let expectedProgram, let program, program != expectedProgram {
                    diagnostics.append(
                        Diagnostic(
                            .error, "wrong-program", "this evidence is for program '\(program)', not '\(expectedProgram)'",
                            hint: "score it with the rubric of program '\(program)'", at: location()))
                    break
                }
                continue
            }
            if assay_nameEquals(name, "candidate") != 0 {
                if let c = current { finish(c, endLine: line()) }
                let id = attribute(reader, "id") ?? ""
                if !empty, !open.isEmpty { open[open.count - 1].id = id }
                currentLine = line()
                var c = CandidateEvidence(id: id)
                c.items.reserveCapacity(16)
                if id.isEmpty {
                    diagnostics.append(Diagnostic(.error, "evidence-invalid", "<candidate> has no id; its items are not scored", at: location()))
                } else if let first = emitted[Self.hash(id)] {
                    c.problems.append(
                        EvidenceProblem(
                            target: "*", message: "candidate '\(id)' appears again (first at line \(first)); put all of a candidate's items in one <candidate> element, or in separate files",
                            origin: origin()))
                }
                if !id.isEmpty, emitted[Self.hash(id)] == nil { emitted[Self.hash(id)] = currentLine }
                current = c
                if empty {
                    finish(c, endLine: line())
                    current = nil
                }
                recentCandidates.append((currentLine, id))
                if recentCandidates.count > 64 { recentCandidates.removeFirst(32) }
                continue
            }
            guard current != nil else {
                diagnostics.append(
                    Diagnostic(
                        .error, "evidence-invalid", "<\(name.map { String(cString: $0) } ?? "?")> must be inside a <candidate>",
                        hint: "put each item inside the <candidate id=\"…\"> it belongs to", at: location()))
                continue
            }
            guard let element = xmlTextReaderCurrentNode(reader) else { continue }
            readItem(element, name: name, into: &current!, origin: origin(), cache: &cache)
        }
        if let c = current { finish(c, endLine: Int.max) }
        let lastLine = Int(xmlTextReaderGetParserLineNumber(reader))
        if let error = Self.plainError(errors, recentCandidates: recentCandidates, lastLine: lastLine, file: path) {
            diagnostics.append(error)
        }
        return diagnostics
    }

    private func readItem(
        _ element: xmlNodePtr, name: UnsafePointer<xmlChar>?, into c: inout CandidateEvidence, origin: ItemOrigin,
        cache: inout StringCache
    ) {
        var kind: EvidenceItem.Kind?
        if assay_nameEquals(name, "mark") != 0 {
            kind = .mark
        } else if assay_nameEquals(name, "grade") != 0 {
            kind = .grade
        } else if assay_nameEquals(name, "measure") != 0 {
            kind = .measure
        } else if assay_nameEquals(name, "deduction") != 0 {
            kind = .deduction
        }
        let attrs = ItemAttributes(element, cache: &cache)
        let elementName = { name.map { String(cString: $0) } ?? "?" }
        func need(_ value: String?, _ key: String) -> String? {
            if let value, !value.isEmpty { return value }
            c.problems.append(
                EvidenceProblem(
                    target: attrs.target ?? attrs.ref ?? attrs.competition ?? "*", message: "<\(elementName())> has no \(key)",
                    origin: origin))
            return nil
        }
        if let kind {
            guard let target = need(attrs.target, "target"), let node = need(attrs.node, "node"),
                let value = need(attrs.value, "value")
            else { return }
            var judge: String?
            if kind == .mark {
                guard let j = need(attrs.judge, "judge") else { return }
                judge = j
            }
            c.items.append(EvidenceItem(kind: kind, target: target, node: node, judge: judge, value: value, reason: attrs.reason, origin: origin))
        } else if assay_nameEquals(name, "certificate") != 0 {
            guard let ref = need(attrs.ref, "ref"), let level = need(attrs.level, "level"), let issued = need(attrs.issued, "issued")
            else { return }
            c.certificates.append(HeldCertificate(ref: ref, level: level, issued: issued, serial: attrs.serial, origin: origin))
        } else if assay_nameEquals(name, "award") != 0 {
            guard let competition = need(attrs.competition, "competition"), let award = need(attrs.award, "award"),
                let date = need(attrs.date, "date")
            else { return }
            c.awards.append(WonAward(competition: competition, award: award, date: date, origin: origin))
        } else if assay_nameEquals(name, "artifact") != 0 {
            guard let target = need(attrs.target, "target"), let node = need(attrs.node, "node"), let path = need(attrs.path, "path")
            else { return }
            c.artifacts.append(Artifact(target: target, node: node, path: path, sha256: attrs.sha256, origin: origin))
        } else {
            c.problems.append(
                EvidenceProblem(
                    target: attrs.target ?? "*",
                    message: "<\(elementName())> is not an evidence item (use mark, measure, grade, deduction, certificate, award or artifact)",
                    origin: origin))
        }
    }

    static func firstElement(_ node: xmlNodePtr?) -> xmlNodePtr? {
        var n = node
        while let x = n, x.pointee.type != XML_ELEMENT_NODE { n = x.pointee.next }
        return n
    }

    /// Candidates parsed from `first` on (when the reader handed over none).
    private func recoverParsedCandidates(startingAt first: xmlNodePtr, cache: inout StringCache, file: EvidenceFile) -> [(CandidateEvidence, Int)] {
        var out: [(CandidateEvidence, Int)] = []
        var sibling: xmlNodePtr? = first
        while let sib = sibling {
            if sib.pointee.type == XML_ELEMENT_NODE, let c = candidate(from: sib, cache: &cache, file: file) {
                out.append((c, Self.firstElement(sib.pointee.next) != nil ? Int(xmlGetLineNo(sib)) : Int.max))
            }
            sibling = sib.pointee.next
        }
        return out
    }

    /// A <candidate> element of the partial tree, read whole.
    private func candidate(from element: xmlNodePtr, cache: inout StringCache, file: EvidenceFile) -> CandidateEvidence? {
        guard assay_nameEquals(element.pointee.name, "candidate") != 0 else { return nil }
        var id = ""
        var a = element.pointee.properties
        while let attr = a {
            if assay_nameEquals(attr.pointee.name, "id") != 0, let t = attr.pointee.children, let v = t.pointee.content { id = String(cString: v) }
            a = attr.pointee.next
        }
        var c = CandidateEvidence(id: id)
        var child = element.pointee.children
        while let ch = child {
            if ch.pointee.type == XML_ELEMENT_NODE {
                readItem(ch, name: ch.pointee.name, into: &c, origin: ItemOrigin(file: file, line: Int(xmlGetLineNo(ch))), cache: &cache)
            }
            child = ch.pointee.next
        }
        return c
    }

    /// Candidates libxml2 had parsed when it stopped: the one being read (its remaining items) and the
    /// following sibling elements. Each with the line it ends on (Int.max when it never closed).
    private func recoverParsedCandidates(
        after node: xmlNodePtr?, current: CandidateEvidence?, cache: inout StringCache, file: EvidenceFile
    ) -> [(CandidateEvidence, Int)] {
        var out: [(CandidateEvidence, Int)] = []
        // Climb to the candidate element (child of <evidence>) the reader stood in.
        var candidateNode = node
        while let n = candidateNode, let parent = n.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE,
            parent.pointee.parent?.pointee.type == XML_ELEMENT_NODE
        {
            candidateNode = parent
        }
        func items(of element: xmlNodePtr, into c: inout CandidateEvidence, after: xmlNodePtr?) {
            var child = after.map { $0.pointee.next } ?? element.pointee.children
            while let ch = child {
                if ch.pointee.type == XML_ELEMENT_NODE {
                    readItem(ch, name: ch.pointee.name, into: &c, origin: ItemOrigin(file: file, line: Int(xmlGetLineNo(ch))), cache: &cache)
                }
                child = ch.pointee.next
            }
        }
        // A candidate followed by another was closed before the error: it ends before the error's line (its
        // start line stands in for its end, which libxml2 does not record). The last one may be unfinished.
        func endLine(_ element: xmlNodePtr) -> Int { Self.firstElement(element.pointee.next) != nil ? Int(xmlGetLineNo(element)) : Int.max }
        if var c = current, let cn = candidateNode {
            // Items of the current candidate after the last one handed over.
            items(of: cn, into: &c, after: node == cn ? nil : node)
            out.append((c, endLine(cn)))
        }
        var sibling = candidateNode?.pointee.next
        while let sib = sibling {
            if sib.pointee.type == XML_ELEMENT_NODE, let c = candidate(from: sib, cache: &cache, file: file) {
                out.append((c, endLine(sib)))
            }
            sibling = sib.pointee.next
        }
        return out
    }

    /// FNV-1a, 64 bits: stable across runs (Swift's Hasher is seeded per process).
    static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 14_695_981_039_346_656_037
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        return h
    }

    private func attribute(_ reader: xmlTextReaderPtr, _ name: String) -> String? {
        if let element = xmlTextReaderCurrentNode(reader) {
            var a = element.pointee.properties
            while let attr = a {
                if let n = attr.pointee.name, String(cString: n) == name, let t = attr.pointee.children, t.pointee.next == nil,
                    let v = t.pointee.content
                {
                    return String(cString: v)
                }
                a = attr.pointee.next
            }
        }
        guard let v = xmlTextReaderGetAttribute(reader, name) else { return nil }
        defer { assay_xmlFree(v) }
        return String(cString: v)
    }
}

/// The attributes an evidence item may carry, read in one pass over the element's attribute list with names
/// compared as C strings (no dictionary, no string for a name), and values taken from ``StringCache`` (ids,
/// judges and marks repeat from item to item).
private struct ItemAttributes {
    var target, node, judge, value, reason, ref, level, issued, serial, competition, award, date, path, sha256: String?

    init(_ element: xmlNodePtr, cache: inout StringCache) {
        var attribute = element.pointee.properties
        while let a = attribute {
            defer { attribute = a.pointee.next }
            guard let n = a.pointee.name, let text = a.pointee.children, text.pointee.next == nil,
                let v = text.pointee.content
            else {
                // An attribute with entity references (several text children): read it the slow, general way.
                if let n = a.pointee.name, let v = xmlNodeListGetString(element.pointee.doc, a.pointee.children, 1) {
                    set(n, String(cString: v))
                    assay_xmlFree(v)
                }
                continue
            }
            set(n, cache.string(v))
        }
    }

    private mutating func set(_ n: UnsafePointer<xmlChar>, _ value: String) {
        switch n[0] {
        case UInt8(ascii: "t"): if assay_nameEquals(n, "target") != 0 { target = value }
        case UInt8(ascii: "n"): if assay_nameEquals(n, "node") != 0 { node = value }
        case UInt8(ascii: "j"): if assay_nameEquals(n, "judge") != 0 { judge = value }
        case UInt8(ascii: "v"): if assay_nameEquals(n, "value") != 0 { self.value = value }
        case UInt8(ascii: "r"):
            if assay_nameEquals(n, "reason") != 0 { reason = value } else if assay_nameEquals(n, "ref") != 0 { ref = value }
        case UInt8(ascii: "l"): if assay_nameEquals(n, "level") != 0 { level = value }
        case UInt8(ascii: "i"): if assay_nameEquals(n, "issued") != 0 { issued = value }
        case UInt8(ascii: "s"):
            if assay_nameEquals(n, "serial") != 0 { serial = value } else if assay_nameEquals(n, "sha256") != 0 { sha256 = value }
        case UInt8(ascii: "c"): if assay_nameEquals(n, "competition") != 0 { competition = value }
        case UInt8(ascii: "a"): if assay_nameEquals(n, "award") != 0 { award = value }
        case UInt8(ascii: "d"): if assay_nameEquals(n, "date") != 0 { date = value }
        case UInt8(ascii: "p"): if assay_nameEquals(n, "path") != 0 { path = value }
        default: break
        }
    }
}

/// Recently seen short attribute values, so that "K", "A1", "J2" and "3" are not decoded from C again for
/// every item. A small direct-mapped table keyed by a hash of the bytes; a miss simply decodes.
private struct StringCache {
    private var keys = [[UInt8]](repeating: [], count: 256)
    private var values = [String](repeating: "", count: 256)

    mutating func string(_ c: UnsafePointer<xmlChar>) -> String {
        var hash: UInt32 = 2_166_136_261
        var length = 0
        while c[length] != 0 {
            hash = (hash ^ UInt32(c[length])) &* 16_777_619
            length += 1
            if length > 24 { return String(cString: c) }  // long values (reasons, paths) are not cached
        }
        let slot = Int(hash & 255)
        let key = keys[slot]
        if key.count == length, key.withUnsafeBufferPointer({ memcmp($0.baseAddress!, c, length) == 0 }) {
            return values[slot]
        }
        let s = String(cString: c)
        keys[slot] = Array(UnsafeBufferPointer(start: c, count: length))
        values[slot] = s
        return s
    }
}

/// Collects the reader's errors (per reader, never the global handler).
private final class ReaderErrors {
    struct Error {
        var code: Int32
        var line: Int
        var column: Int?
        var message: String
        var name: String?
        var openedOnLine: Int
    }

    /// In the order libxml2 reported them (at most 100).
    var all: [Error] = []
}

extension XMLEvidenceReader {
    /// libxml2's first error in a judge's words, where we know better words.
    fileprivate static func plainError(
        _ errors: ReaderErrors, recentCandidates: [(line: Int, id: String)], lastLine: Int, file: String
    ) -> Diagnostic? {
        guard let first = errors.all.first else { return nil }
        let location = SourceLocation(file: file, line: first.line, column: first.column)
        // Elements the file ends inside ("Premature end of data in tag candidate line 5").
        let unclosed = errors.all.filter { $0.code == Int32(XML_ERR_TAG_NOT_FINISHED.rawValue) && $0.name != nil }
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

private func assayReaderError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let userData, let error else { return }
    let errors = Unmanaged<ReaderErrors>.fromOpaque(userData).takeUnretainedValue()
    guard errors.all.count < 100, error.pointee.level != XML_ERR_WARNING else { return }
    let message = error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "malformed XML"
    errors.all.append(
        ReaderErrors.Error(
            code: Int32(error.pointee.code), line: Int(error.pointee.line),
            column: error.pointee.int2 > 0 ? Int(error.pointee.int2) : nil, message: message,
            name: error.pointee.str1.map { String(cString: $0) }, openedOnLine: Int(error.pointee.int1)))
}
