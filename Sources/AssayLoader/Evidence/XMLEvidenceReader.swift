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
        guard let reader = xmlReaderForFile(path, nil, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_COMPACT.rawValue)) else {
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
        // Candidates seen so far, by a 64-bit hash of the id (memory stays small however many there are).
        var emitted: [UInt64: Int] = [:]

        // The line of the element being read (the parser itself may already be further on).
        func line() -> Int {
            if let node = xmlTextReaderCurrentNode(reader) { return Int(xmlGetLineNo(node)) }
            return Int(xmlTextReaderGetParserLineNumber(reader))
        }
        func location() -> SourceLocation { SourceLocation(file: path, line: line()) }
        func origin() -> ItemOrigin { ItemOrigin(file: evidenceFile, line: line()) }

        while true {
            let rc = xmlTextReaderRead(reader)
            if rc == 0 { break }
            if rc < 0 {
                let error = Self.plainError(errors, open: open, file: path)
                    ?? Diagnostic(.error, "xml-malformed", "the evidence file is not well-formed XML", at: location())
                diagnostics.append(error)
                if var c = current {
                    c.problems.append(
                        EvidenceProblem(
                            target: c.targets.first ?? "*", message: "items after \(error.location.description) were not read: \(error.message)",
                            origin: ItemOrigin(file: evidenceFile, line: error.location.line)))
                    emit(c)
                    current = nil
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
                    emit(c)
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
                if let c = current { emit(c) }
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
                    emit(c)
                    current = nil
                }
                continue
            }
            guard current != nil else {
                diagnostics.append(
                    Diagnostic(
                        .error, "evidence-invalid", "<\(name.map { String(cString: $0) } ?? "?")> must be inside a <candidate>",
                        hint: "put each item inside the <candidate id=\"…\"> it belongs to", at: location()))
                continue
            }
            readItem(reader, name: name, into: &current!, origin: origin(), cache: &cache)
        }
        if let c = current { emit(c) }
        return diagnostics
    }

    private func readItem(
        _ reader: xmlTextReaderPtr, name: UnsafePointer<xmlChar>?, into c: inout CandidateEvidence, origin: ItemOrigin,
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
        let attrs = ItemAttributes(reader, cache: &cache)
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

    init(_ reader: xmlTextReaderPtr, cache: inout StringCache) {
        guard let element = xmlTextReaderCurrentNode(reader) else { return }
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
    var first: Diagnostic?
    var code: Int32 = 0
}

extension XMLEvidenceReader {
    /// libxml2's first error in a judge's words, where we know better words.
    fileprivate static func plainError(_ errors: ReaderErrors, open: [(name: String, id: String?, line: Int)], file: String) -> Diagnostic? {
        guard let first = errors.first else { return nil }
        switch errors.code {
        case Int32(XML_ERR_ATTRIBUTE_NOT_STARTED.rawValue):
            return Diagnostic(
                .error, "xml-malformed", "an attribute value is not in quotes",
                hint: "write attribute values in quotes, e.g. value=\"2\"", at: first.location)
        case Int32(XML_ERR_ATTRIBUTE_NOT_FINISHED.rawValue), Int32(XML_ERR_DOCUMENT_END.rawValue),
            Int32(XML_ERR_TAG_NOT_FINISHED.rawValue), Int32(XML_ERR_GT_REQUIRED.rawValue),
            Int32(XML_ERR_LTSLASH_REQUIRED.rawValue), Int32(XML_ERR_DOCUMENT_EMPTY.rawValue):
            guard !open.isEmpty || errors.code == Int32(XML_ERR_DOCUMENT_EMPTY.rawValue) else { return first }
            let what = open.reversed().map { "<\($0.name)\($0.id.map { " id=\"\($0)\"" } ?? "")> (line \($0.line))" }.joined(separator: " and ")
            return Diagnostic(
                .error, "xml-cut-short",
                open.isEmpty ? "the evidence file is empty" : "the evidence file ends before \(what) \(open.count == 1 ? "is" : "are") closed: it may be cut short",
                hint: "check that the whole file was copied or exported; close the elements", at: first.location)
        default:
            return first
        }
    }
}

private func assayReaderError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let userData, let error else { return }
    let errors = Unmanaged<ReaderErrors>.fromOpaque(userData).takeUnretainedValue()
    guard errors.first == nil, error.pointee.level != XML_ERR_WARNING else { return }
    errors.code = Int32(error.pointee.code)
    let file = error.pointee.file.map { String(cString: $0) } ?? ""
    let message = error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "malformed XML"
    errors.first = Diagnostic(
        .error, "xml-malformed", "malformed XML: \(message)", hint: "fix the XML syntax at this position",
        at: SourceLocation(file: file, line: Int(error.pointee.line), column: error.pointee.int2 > 0 ? Int(error.pointee.int2) : nil))
}
