import AssayModel
import CLibXML2
import Foundation

/// One read of an evidence file: what libxml2's SAX callbacks keep between calls, and the callbacks.
///
/// It lives in memory the reader allocates for the read and is reached through the parser context's
/// `_private` (errors too: the handler's `serror`, never libxml2's global handler). No tree is built: the
/// start-tag callback gets the element's local name and its attributes as pointers into libxml2's buffer,
/// compares names as bytes and makes strings only for the attribute values an item keeps.
///
/// Reading follows the same rules as before the SAX parser (when the element is empty, when a candidate ends,
/// which element is an item); what is new is only that nothing is allocated for what is not kept.
struct EvidenceSAXParse {
    let path: String
    let expectedProgram: String?
    let file: EvidenceFile
    let emit: (CandidateEvidence) -> Void

    var diagnostics: [Diagnostic] = []
    /// In the order libxml2 reported them (at most 100).
    var errors: [EvidenceXMLError] = []
    /// Set once the parser has been stopped (a DOCTYPE, a wrong root, the candidate after an error done).
    var stopped = false
    var seenRoot = false
    /// Elements open, as the reader counted them: an empty element (`<x/>`) does not count.
    var depth = 0
    /// The element just started was empty: libxml2 reports its end at once, which is not counted.
    var pendingEmptyEnd = false
    var inCandidate = false
    var current = CandidateEvidence(id: "")
    /// The last candidate ended, until the next one begins (see ``finishCandidate(_:)``).
    var held: CandidateEvidence?
    /// The last candidates begun (line, id), to name them in a "cut short" message.
    var recentCandidates: [(line: Int, id: String)] = []
    /// Candidates seen so far, by a 64-bit hash of the id (memory stays small however many there are).
    var emitted: [UInt64: Int] = [:]
    var strings = AttributeStrings()
    /// The line a DOCTYPE is reported on: that of a comment or processing instruction before it, else -1 —
    /// what libxml2's tree said of a DOCTYPE node, kept so that diagnostics stay as they were.
    var prologLine = -1

    init(path: String, expectedProgram: String?, emit: @escaping (CandidateEvidence) -> Void) {
        self.path = path
        self.expectedProgram = expectedProgram
        self.file = EvidenceFile(path)
        self.emit = emit
    }

    /// The handler: start and end tags, errors, and the DOCTYPE refusal (comments and processing
    /// instructions only for the line of a DOCTYPE after them). Text is not asked for.
    static func handler() -> xmlSAXHandler {
        var h = xmlSAXHandler()
        h.initialized = XML_SAX2_MAGIC
        h.startElementNs = evidenceStartElement
        h.endElementNs = evidenceEndElement
        h.internalSubset = evidenceInternalSubset
        h.serror = evidenceError
        h.comment = evidenceComment
        h.processingInstruction = evidenceProcessingInstruction
        return h
    }

    /// The state of the read that `ctx` (the parser context, libxml2's user data) belongs to.
    @inline(__always)
    static func from(_ ctx: UnsafeMutableRawPointer?) -> (xmlParserCtxtPtr, UnsafeMutablePointer<EvidenceSAXParse>)? {
        guard let ctx else { return nil }
        let ctxt = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let state = ctxt.pointee._private else { return nil }
        return (ctxt, state.assumingMemoryBound(to: EvidenceSAXParse.self))
    }

    // MARK: - Elements

    mutating func startElement(
        _ ctxt: xmlParserCtxtPtr, _ localname: UnsafePointer<xmlChar>, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?,
        _ count: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        // libxml2 calls back with its cursor on the "/>" or ">" that ends the start tag.
        let empty = ctxt.pointee.input?.pointee.cur?.pointee == UInt8(ascii: "/")
        pendingEmptyEnd = empty
        if !empty { depth += 1 }
        let line = Self.elementLine(ctxt)
        // An element whose prefix names no namespace keeps its qualified name ("y:mark"), as in libxml2's tree:
        // it is then no evidence element.
        let name = ElementName(localname: localname, undefinedPrefix: uri == nil ? prefix : nil)
        let attrs = ItemAttributes(count: count, attributes)
        if !seenRoot {
            seenRoot = true
            let ns = uri.map { String(cString: $0) }
            guard name.is("evidence"), ns == "urn:assay:evidence:1" else {
                diagnostics.append(
                    Diagnostic(
                        .error, "wrong-root",
                        "this is not an evidence file: its root element is <\(name)>\(ns.map { " in namespace \($0)" } ?? " with no namespace")",
                        hint: "evidence starts with <evidence xmlns=\"urn:assay:evidence:1\" program=\"…\">", at: SourceLocation(file: path, line: line)))
                stop(ctxt)
                return
            }
            let program = attrs.program.map { strings.string($0) }
            if let expectedProgram, let program, program != expectedProgram {
                diagnostics.append(
                    Diagnostic(
                        .error, "wrong-program", "this evidence is for program '\(program)', not '\(expectedProgram)'",
                        hint: "score it with the rubric of program '\(program)'", at: SourceLocation(file: path, line: line)))
                stop(ctxt)
            }
            return
        }
        if name.is("candidate") {
            if inCandidate {
                finishCandidate(ctxt)
                if stopped { return }
            }
            releaseHeld()
            let id = attrs.id.map { $0.string() } ?? ""
            current = CandidateEvidence(id: id)
            current.items.reserveCapacity(16)
            inCandidate = true
            if id.isEmpty {
                diagnostics.append(
                    Diagnostic(.error, "evidence-invalid", "<candidate> has no id; its items are not scored", at: SourceLocation(file: path, line: line)))
            } else {
                let hash = XMLEvidenceReader.hash(id)
                if let first = emitted[hash] {
                    current.problems.append(
                        EvidenceProblem(
                            target: "*",
                            message: "candidate '\(id)' appears again (first at line \(first)); put all of a candidate's items in one <candidate> element, or in separate files",
                            origin: ItemOrigin(file: file, line: line)))
                } else {
                    emitted[hash] = line
                }
            }
            recentCandidates.append((line, id))
            if recentCandidates.count > 64 { recentCandidates.removeFirst(32) }
            if empty { finishCandidate(ctxt) }
            return
        }
        guard inCandidate else {
            diagnostics.append(
                Diagnostic(
                    .error, "evidence-invalid", "<\(name)> must be inside a <candidate>",
                    hint: "put each item inside the <candidate id=\"…\"> it belongs to", at: SourceLocation(file: path, line: line)))
            return
        }
        readItem(name, attrs, origin: ItemOrigin(file: file, line: line))
    }

    mutating func endElement(_ ctxt: xmlParserCtxtPtr) {
        if pendingEmptyEnd {
            // The end of an empty element, which the start tag has dealt with.
            pendingEmptyEnd = false
            return
        }
        depth -= 1
        if depth == 1, inCandidate { finishCandidate(ctxt) }
    }

    /// Ends the candidate being read. If the file is malformed anywhere up to where it ends, it is marked as
    /// possibly misread, handed on, and the reader stops: after an error this is the last candidate read.
    /// Otherwise it is held back until the next candidate begins or the file ends: a file that breaks off
    /// after it (no `</evidence>`, or junk after it) makes it the last candidate of a file cut short, and
    /// then it is marked too, as libxml2's reader did.
    mutating func finishCandidate(_ ctxt: xmlParserCtxtPtr?) {
        inCandidate = false
        var c = current
        current = CandidateEvidence(id: "")
        releaseHeld()
        if errors.isEmpty {
            held = c
            return
        }
        mark(&c)
        emit(c)
        if let ctxt { stop(ctxt) }
    }

    /// Hands on the candidate held back, as it is.
    mutating func releaseHeld() {
        if let c = held {
            held = nil
            emit(c)
        }
    }

    private func mark(_ c: inout CandidateEvidence) {
        guard let error = errors.first else { return }
        c.problems.append(
            EvidenceProblem(
                target: c.targets.first ?? "*",
                message: "the evidence file is malformed at line \(error.line) (see the error for \(path)); this candidate's items from there on may be missing or misread",
                origin: ItemOrigin(file: file, line: error.line)))
    }

    mutating func stop(_ ctxt: xmlParserCtxtPtr) {
        stopped = true
        xmlStopParser(ctxt)
    }

    /// Reads one item element of the current candidate.
    mutating func readItem(_ name: ElementName, _ attrs: ItemAttributes, origin: ItemOrigin) {
        var kind: EvidenceItem.Kind?
        if name.undefinedPrefix == nil {
            switch name.localname[0] {
            case UInt8(ascii: "m"): if name.is("mark") { kind = .mark } else if name.is("measure") { kind = .measure }
            case UInt8(ascii: "g"): if name.is("grade") { kind = .grade }
            case UInt8(ascii: "d"): if name.is("deduction") { kind = .deduction }
            default: break
            }
        }
        if let kind {
            guard let target = need(attrs.target, "target", name, attrs, origin), let node = need(attrs.node, "node", name, attrs, origin),
                let value = need(attrs.value, "value", name, attrs, origin)
            else { return }
            var judge: String?
            if kind == .mark {
                guard let j = need(attrs.judge, "judge", name, attrs, origin) else { return }
                judge = j
            }
            let reason = attrs.reason.map { strings.string($0) }
            current.items.append(EvidenceItem(kind: kind, target: target, node: node, judge: judge, value: value, reason: reason, origin: origin))
        } else if name.is("certificate") {
            guard let ref = need(attrs.ref, "ref", name, attrs, origin), let level = need(attrs.level, "level", name, attrs, origin),
                let issued = need(attrs.issued, "issued", name, attrs, origin)
            else { return }
            current.certificates.append(
                HeldCertificate(ref: ref, level: level, issued: issued, serial: attrs.serial.map { strings.string($0) }, origin: origin))
        } else if name.is("award") {
            guard let competition = need(attrs.competition, "competition", name, attrs, origin),
                let award = need(attrs.award, "award", name, attrs, origin), let date = need(attrs.date, "date", name, attrs, origin)
            else { return }
            current.awards.append(WonAward(competition: competition, award: award, date: date, origin: origin))
        } else if name.is("artifact") {
            guard let target = need(attrs.target, "target", name, attrs, origin), let node = need(attrs.node, "node", name, attrs, origin),
                let path = need(attrs.path, "path", name, attrs, origin)
            else { return }
            current.artifacts.append(Artifact(target: target, node: node, path: path, sha256: attrs.sha256.map { strings.string($0) }, origin: origin))
        } else {
            current.problems.append(
                EvidenceProblem(
                    target: attrs.target.map { strings.string($0) } ?? "*",
                    message: "<\(name)> is not an evidence item (use mark, measure, grade, deduction, certificate, award or artifact)",
                    origin: origin))
        }
    }

    /// A required attribute's value, or a problem on the candidate ("<mark> has no judge") and nil.
    private mutating func need(
        _ value: AttributeValue?, _ key: String, _ name: ElementName, _ attrs: ItemAttributes, _ origin: ItemOrigin
    ) -> String? {
        if let value, !value.isEmpty { return strings.string(value) }
        let target = (attrs.target ?? attrs.ref ?? attrs.competition).map { strings.string($0) } ?? "*"
        current.problems.append(EvidenceProblem(target: target, message: "<\(name)> has no \(key)", origin: origin))
        return nil
    }

    // MARK: - The end

    /// libxml2's line for an element: the line its start tag ends on, at most 65,535 — libxml2's tree kept
    /// element lines in 16 bits (without XML_PARSE_BIG_LINES), and evidence lines are kept as they were.
    static func elementLine(_ ctxt: xmlParserCtxtPtr) -> Int {
        min(Int(ctxt.pointee.input?.pointee.line ?? 0), 65_535)
    }

    mutating func refuseDoctype(_ ctxt: xmlParserCtxtPtr) {
        diagnostics.append(
            Diagnostic(
                .error, "xml-doctype-refused",
                "the evidence file has a DOCTYPE declaration; Assay refuses DOCTYPEs, entities and external DTDs in its input, and read nothing further",
                hint: "delete the <!DOCTYPE …> declaration", at: SourceLocation(file: path, line: prologLine)))
        stop(ctxt)
    }

    mutating func record(_ error: xmlError) {
        guard errors.count < 100, error.level != XML_ERR_WARNING else { return }
        let message = error.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "malformed XML"
        errors.append(
            EvidenceXMLError(
                code: Int32(error.code), line: Int(error.line), column: error.int2 > 0 ? Int(error.int2) : nil, message: message,
                name: error.str1.map { String(cString: $0) }, openedOnLine: Int(error.int1)))
    }

    /// After the last chunk: hands on a candidate the file left open and returns the file's diagnostics.
    mutating func end(lastLine: Int) -> [Diagnostic] {
        if inCandidate { finishCandidate(nil) }
        if var c = held {
            // The file broke off (or went wrong) after this candidate's end, and no candidate began after it.
            held = nil
            mark(&c)
            emit(c)
        }
        if let error = XMLEvidenceReader.plainError(errors, recentCandidates: recentCandidates, lastLine: lastLine, file: path) {
            diagnostics.append(error)
        }
        return diagnostics
    }
}

// MARK: - Callbacks (C function pointers)

private func evidenceStartElement(
    _ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?,
    _ uri: UnsafePointer<xmlChar>?, _ nbNamespaces: Int32, _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
    _ nbAttributes: Int32, _ nbDefaulted: Int32, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
) {
    guard let (ctxt, state) = EvidenceSAXParse.from(ctx), !state.pointee.stopped, let localname else { return }
    state.pointee.startElement(ctxt, localname, prefix, uri, Int(nbAttributes), attributes)
}

private func evidenceEndElement(
    _ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?
) {
    guard let (ctxt, state) = EvidenceSAXParse.from(ctx), !state.pointee.stopped else { return }
    state.pointee.endElement(ctxt)
}

private func evidenceInternalSubset(
    _ ctx: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?, _ externalID: UnsafePointer<xmlChar>?,
    _ systemID: UnsafePointer<xmlChar>?
) {
    guard let (ctxt, state) = EvidenceSAXParse.from(ctx), !state.pointee.stopped else { return }
    state.pointee.refuseDoctype(ctxt)
}

private func evidenceError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let error, let (_, state) = EvidenceSAXParse.from(userData), !state.pointee.stopped else { return }
    state.pointee.record(error.pointee)
}

private func evidenceComment(_ ctx: UnsafeMutableRawPointer?, _ value: UnsafePointer<xmlChar>?) {
    guard let (ctxt, state) = EvidenceSAXParse.from(ctx), !state.pointee.stopped, !state.pointee.seenRoot else { return }
    state.pointee.prologLine = EvidenceSAXParse.elementLine(ctxt)
}

private func evidenceProcessingInstruction(_ ctx: UnsafeMutableRawPointer?, _ target: UnsafePointer<xmlChar>?, _ data: UnsafePointer<xmlChar>?) {
    guard let (ctxt, state) = EvidenceSAXParse.from(ctx), !state.pointee.stopped, !state.pointee.seenRoot else { return }
    state.pointee.prologLine = EvidenceSAXParse.elementLine(ctxt)
}

/// An element's name as libxml2 hands it over: its local name, and the prefix when that prefix names no
/// namespace (then the element is known by "prefix:localname", as libxml2's tree names it).
struct ElementName: CustomStringConvertible {
    let localname: UnsafePointer<xmlChar>
    let undefinedPrefix: UnsafePointer<xmlChar>?

    /// Whether the name is `expected` (compared as bytes; never true for an undefined prefix).
    @inline(__always)
    func `is`(_ expected: StaticString) -> Bool {
        undefinedPrefix == nil && strcmp(UnsafeRawPointer(localname).assumingMemoryBound(to: CChar.self), UnsafeRawPointer(expected.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }

    var description: String {
        let local = String(cString: localname)
        return undefinedPrefix.map { "\(String(cString: $0)):\(local)" } ?? local
    }
}
