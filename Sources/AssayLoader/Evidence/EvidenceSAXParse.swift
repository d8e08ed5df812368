import AssayModel
import CLibXML2
import Foundation

/// One read of an evidence file: what libxml2's SAX callbacks keep between calls, and the callbacks.
///
/// It lives in memory the reader allocates for the read and is reached through the parser context's
/// `_private` (errors too: the handler's `serror`, never libxml2's global handler). No tree is built: the
/// start-tag callback gets the element's local name and its attributes as pointers into libxml2's buffer,
/// recognises names by their dictionary pointer (``EvidenceNames``) and makes strings only for the attribute
/// values an item keeps.
///
/// Well-formed files are read by the same rules as with libxml2's xmlTextReader before (which element is an
/// item, when a candidate ends, element lines as libxml2's tree numbered them), so outcomes and diagnostics
/// are the same bytes. A malformed file is read up to the end of the candidate where the first error is,
/// and that candidate is the one marked (xmlTextReader's stopping point depended on its 512-byte chunks).
struct EvidenceSAXParse {
    let path: String
    let expectedProgram: String?
    let file: EvidenceFile
    let emit: (CandidateEvidence) -> Void
    /// The names looked for, as this parse's dictionary holds them (read in place, never copied).
    let names: UnsafePointer<EvidenceNames>
    /// Every item is a copy of this with its fields set: the value's number then comes from the value cache
    /// rather than being parsed again (the same `Exact(plainText:)` that `EvidenceItem.init` applies).
    let template: EvidenceItem

    var diagnostics: [Diagnostic] = []
    /// In the order libxml2 reported them (at most 100).
    var errors: [EvidenceXMLError] = []
    /// Set once the parser has been stopped (a DOCTYPE, a wrong root, the candidate after an error done).
    var stopped = false
    var seenRoot = false
    /// Elements open, as the reader counted them: an empty element (`<x/>`) does not count.
    var depth = 0
    /// While not 0, the reader is inside an element it does not read (not evidence, or inside an item) that
    /// opened at this depth: what is inside it has been reported with it.
    var skipDepth = 0
    /// Where an element was nested deeper than ``maxDepth`` (the reader stopped there).
    var tooDeep: SourceLocation?
    /// Problems found at the candidate's start tag that concern all of its evidence (it appears again, it
    /// has an attribute that is not evidence): put on every one of its targets when it ends.
    var wholeCandidate: [(message: String, origin: ItemOrigin)] = []
    /// The element just started was empty: libxml2 reports its end at once, which is not counted.
    var pendingEmptyEnd = false
    var inCandidate = false
    /// The item being read when it is not empty (`<award …>…</award>`), and its line: to name it when something
    /// is found inside it.
    var openItem: ElementName?
    var openItemLine = 0
    /// Text (not white space) has been reported in the candidate being read, or outside any candidate since
    /// the last one: said once for each.
    var textReported = false
    var current = CandidateEvidence(id: "")
    /// The last candidate ended, until the next one begins (see ``finishCandidate(_:)``).
    var held: CandidateEvidence?
    /// The last candidates begun (line, id), to name them in a "cut short" message.
    var recentCandidates: [(line: Int, id: String)] = []
    /// Candidates seen so far, by a 64-bit hash of the id (3 MB at most, however long the file).
    var emitted = CandidateFirstLines()
    var strings = AttributeStrings()
    /// The attributes of the element being read (kept here so that they are not copied from call to call).
    var attrs = ItemAttributes()

    /// The deepest an element may be nested (the root is 1), as libxml2 allows in the rubric loader (its
    /// `xmlParserMaxDepth` without `XML_PARSE_HUGE`; its push parser does not check). Evidence needs 3.
    static let maxDepth = 256

    init(path: String, expectedProgram: String?, names: UnsafePointer<EvidenceNames>, emit: @escaping (CandidateEvidence) -> Void) {
        self.path = path
        self.expectedProgram = expectedProgram
        self.file = EvidenceFile(path)
        self.names = names
        self.template = EvidenceItem(kind: .mark, target: "", node: "", value: "", origin: ItemOrigin(file: file, line: 0))
        self.emit = emit
    }

    /// The handler: start and end tags, text (only to refuse it where it is not white space; CDATA comes as
    /// text), errors, and the DOCTYPE refusal. Comments and processing instructions are not asked for.
    static func handler() -> xmlSAXHandler {
        var h = xmlSAXHandler()
        h.initialized = XML_SAX2_MAGIC
        h.startElementNs = evidenceStartElement
        h.endElementNs = evidenceEndElement
        h.characters = evidenceCharacters
        h.internalSubset = evidenceInternalSubset
        h.serror = evidenceError
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
        // This element's level: the root is 1, a candidate 2, an item 3.
        let level = depth + 1
        if !empty { depth += 1 }
        if level > Self.maxDepth {
            refuseDepth(ctxt)
            return
        }
        if skipDepth > 0 { return }
        let line = Self.elementLine(ctxt)
        // Only elements in the evidence namespace are evidence elements ("x:measure" in another is not).
        let name = ElementName(localname: localname, prefix: prefix, uri: uri, names: names)
        attrs.read(count: count, attributes, names: names)
        if !seenRoot {
            seenRoot = true
            let ns = uri.map { String(cString: $0) }
            guard name.kind == .evidence, ns == "urn:assay:evidence:1" else {
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
                return
            }
            for a in attrs.foreign {
                diagnostics.append(
                    Diagnostic(
                        .error, "evidence-foreign-name",
                        "<evidence> has the attribute \(a.described), which is not evidence: Assay reads only attributes without a prefix",
                        hint: "remove \(a.name)", at: location(ctxt, attribute: a.name, line: line)))
            }
            return
        }
        if name.kind == .evidence || (name.kind == .candidate && level != 2) {
            refuseNested(ctxt, name, level: level, empty: empty, line: line)
            return
        }
        if name.kind == .candidate {
            if inCandidate {
                finishCandidate(ctxt)
                if stopped { return }
            }
            releaseHeld()
            // An id with a control character in it is refused as a whole: nothing is printed under it.
            let badID = attrs.controlCharacter().flatMap { $0.name == "id" ? $0 : nil }
            let id = badID == nil ? attrs.id.map { $0.string() } ?? "" : ""
            let hash = attrs.id.map { XMLEvidenceReader.hash($0) } ?? XMLEvidenceReader.hash(id)
            current = CandidateEvidence(id: id)
            current.items.reserveCapacity(16)
            wholeCandidate.removeAll()
            inCandidate = true
            textReported = false
            if badID != nil || id.isEmpty {
                // Its row (if any command prints one) says why rather than what is missing.
                wholeCandidate.append(
                    (badID == nil ? "this <candidate> has no id; its items are not scored"
                        : "this <candidate>'s id holds a control character; its items are not scored", ItemOrigin(file: file, line: line)))
            }
            if let badID {
                diagnostics.append(
                    Diagnostic(
                        .error, "evidence-control-character",
                        "the id of a <candidate> holds the control character \(Self.describe(badID.scalar)); its items are not scored",
                        hint: "remove the character (written &#10;, &#9; or the like) from the id", at: location(ctxt, attribute: "id", line: line)))
            } else if id.isEmpty {
                diagnostics.append(
                    Diagnostic(.error, "evidence-invalid", "<candidate> has no id; its items are not scored", at: SourceLocation(file: path, line: line)))
            } else {
                if let first = emitted.firstLine(hash, else: line) {
                    // Every command refuses it alike: each of this element's outcomes is incomplete, the
                    // results do not rank the candidate, no credit is issued to it, and the file fails its check.
                    wholeCandidate.append(
                        (
                            "candidate '\(id)' appears again (first at line \(first)); put all of a candidate's items in one <candidate> element, or in separate files",
                            ItemOrigin(file: file, line: line)
                        ))
                    diagnostics.append(
                        Diagnostic(
                            .error, "candidate-repeated",
                            "candidate '\(id)' appears again (first at line \(first)): neither appearance counts (no rank, no credit) until the evidence is corrected",
                            hint: "put all of a candidate's items in one <candidate> element, or in separate files",
                            at: location(ctxt, line: line)))
                }
            }
            for a in attrs.foreign {
                wholeCandidate.append(
                    ("<candidate> has the attribute \(a.described), which is not evidence; remove it", ItemOrigin(file: file, line: line)))
                diagnostics.append(
                    Diagnostic(
                        .error, "evidence-foreign-name",
                        "candidate '\(id)' has the attribute \(a.described), which is not evidence: Assay reads only attributes without a prefix, and issues no credit to the candidate until it is removed",
                        hint: "remove \(a.name)", at: location(ctxt, attribute: a.name, line: line)))
            }
            recentCandidates.append((line, id))
            if recentCandidates.count > 64 { recentCandidates.removeFirst(32) }
            if empty { finishCandidate(ctxt) }
            return
        }
        guard inCandidate else {
            let inside = empty ? "" : "; nothing inside it is read"
            if name.kind == .other, !name.isEvidenceNamespace {
                diagnostics.append(
                    Diagnostic(
                        .error, "evidence-foreign-name",
                        "<\(name)> \(name.namespaceWords) is not evidence: evidence elements are in urn:assay:evidence:1\(inside)",
                        hint: "write evidence as <candidate id=\"…\"> elements in the evidence namespace, or remove <\(name)>",
                        at: location(ctxt, line: line)))
            } else {
                diagnostics.append(
                    Diagnostic(
                        .error, "evidence-invalid", "<\(name)> must be inside a <candidate>\(inside)",
                        hint: "put each item inside the <candidate id=\"…\"> it belongs to", at: location(ctxt, line: line)))
            }
            if !empty { skipDepth = depth }
            return
        }
        let origin = ItemOrigin(file: file, line: line)
        if level > 3 {
            // Inside an item: items hold no elements. Said once for the item; the rest of it is not read.
            refuseNested(ctxt, name, level: level, empty: empty, line: line)
            return
        }
        if !empty {
            openItem = name
            openItemLine = line
        }
        // What is inside an element that is not read is not read either (it was reported with it).
        if !empty, name.kind == .other || !attrs.foreign.isEmpty { skipDepth = depth }
        if name.kind == .other, !name.isEvidenceNamespace {
            let target = attrs.target.map { strings.string($0) } ?? "*"
            current.problems.append(
                EvidenceProblem(
                    target: target,
                    message: "<\(name)> \(name.namespaceWords) is not evidence: evidence elements are in urn:assay:evidence:1; it is not counted",
                    origin: origin, concernsWholeCandidate: true))
            diagnostics.append(
                Diagnostic(
                    .error, "evidence-foreign-name",
                    "<\(name)> \(name.namespaceWords) in candidate '\(current.id)' is not evidence: evidence elements are in urn:assay:evidence:1; it is not counted, and no credit is issued to the candidate until it is removed",
                    hint: "write the item in the evidence namespace (no prefix), or remove it", at: location(ctxt, line: line)))
            return
        }
        if let bad = attrs.controlCharacter() {
            // A line break or other control character in an id or value (written as &#10; and the like).
            let character = Self.describe(bad.scalar)
            current.problems.append(
                EvidenceProblem(
                    target: attrs.target.map { strings.string($0) } ?? "*",
                    message: "<\(name)>'s \(bad.name) holds the control character \(character); the <\(name)> is not counted: remove the character",
                    origin: origin, concernsWholeCandidate: true))
            diagnostics.append(
                Diagnostic(
                    .error, "evidence-control-character",
                    "the \(bad.name) of <\(name)> in candidate '\(current.id)' holds the control character \(character); the <\(name)> is not counted, and no credit is issued to the candidate until the evidence is corrected",
                    hint: "remove the character (written &#10;, &#9; or the like) from the attribute", at: location(ctxt, attribute: bad.name, line: line)))
            return
        }
        if let a = attrs.foreign.first {
            // A look-alike (x:award beside award): the item is not counted, and the candidate is in doubt.
            let scored: Set<ElementName.Kind> = [.mark, .measure, .grade, .deduction, .artifact]
            let target = scored.contains(name.kind) ? attrs.target.map { strings.string($0) } ?? "*" : "*"
            let names = attrs.foreign.map(\.described).joined(separator: ", ")
            current.problems.append(
                EvidenceProblem(
                    target: target,
                    message: "<\(name)> has the attribute\(attrs.foreign.count == 1 ? "" : "s") \(names), which \(attrs.foreign.count == 1 ? "is" : "are") not evidence; the <\(name)> is not counted: remove \(attrs.foreign.count == 1 ? "it" : "them")",
                    origin: origin, concernsWholeCandidate: true))
            diagnostics.append(
                Diagnostic(
                    .error, "evidence-foreign-name",
                    "<\(name)> in candidate '\(current.id)' has the attribute\(attrs.foreign.count == 1 ? "" : "s") \(names), which \(attrs.foreign.count == 1 ? "is" : "are") not evidence: Assay reads only attributes without a prefix; the <\(name)> is not counted, and no credit is issued to the candidate until the evidence is corrected",
                    hint: "remove \(attrs.foreign.map(\.name).joined(separator: ", "))", at: location(ctxt, attribute: a.name, line: line)))
            return
        }
        readItem(ctxt, name, origin: origin)
    }

    /// "U+000A (a line break)": a control character as a message names it.
    static func describe(_ scalar: UInt32) -> String {
        let code = "U+" + String(repeating: "0", count: max(0, 4 - String(scalar, radix: 16).count)) + String(scalar, radix: 16, uppercase: true)
        switch scalar {
        case 0x0A, 0x0D: return "\(code) (a line break)"
        case 0x09: return "\(code) (a tab)"
        case 0x200E...0x200F, 0x202A...0x202E, 0x2066...0x2069: return "\(code) (a direction control: the id would show in another order)"
        default: return code
        }
    }

    /// An element where evidence.xsd allows none: an `<evidence>` below the root, a `<candidate>` that is not
    /// directly inside `<evidence>`, or any element inside an item (items are empty elements). It is the file's
    /// error at its line:column; it and what it holds are not read (nor the rest of the item it is in); and
    /// the candidate it is in, if any, is in doubt as a whole: its outcomes are incomplete and it is issued no
    /// credit. The candidate's later items are still its own (they are read, to show what it scored).
    mutating func refuseNested(_ ctxt: xmlParserCtxtPtr, _ name: ElementName, level: Int, empty: Bool, line: Int) {
        if !errors.isEmpty, inCandidate, level > 3 {
            // After a well-formedness error (a tag libxml2's recovery left open) the next item comes inside it:
            // the malformed spot is the error said, and the candidate is marked as possibly misread.
            current.problems.append(
                EvidenceProblem(
                    target: attrs.target.map { strings.string($0) } ?? "*",
                    message: "<\(name)> is inside another item, and items hold no elements: it and the rest of that item's content are not read",
                    origin: ItemOrigin(file: file, line: line)))
            skipDepth = depth - (empty ? 0 : 1)
            return
        }
        let what = name.kind == .candidate ? "<\(name)\(attrs.id.map { " id=\"\($0.string())\"" } ?? "")>" : "<\(name)>"
        let inItem = level > 3 ? openItem.map { "<\($0)> (line \(openItemLine))" } ?? "an item" : nil
        var rule: String
        var hint: String
        switch name.kind {
        case .evidence:
            rule = "an evidence file has one <evidence>, its root"
            hint = "move the candidates into the outer <evidence>, or put them in a file of their own"
        case .candidate:
            rule = "a <candidate> belongs directly inside <evidence>"
            hint = inCandidate && inItem == nil
                ? "close candidate '\(current.id)' with </candidate> before the next <candidate> begins"
                : "write each item as an empty element (<award …/>) directly inside its <candidate>, and each <candidate> directly inside <evidence>"
        default:
            rule = "evidence items hold no elements"
            hint = "write each item as an empty element (<award …/>) directly inside its <candidate>, and remove \(what)"
        }
        let inside = empty ? "it is not read" : (inItem != nil ? "it and the rest of that item's content are not read" : "it and what it holds are not read")
        if inCandidate {
            let place = inItem.map { "inside \($0) of candidate '\(current.id)'" } ?? "inside candidate '\(current.id)'"
            diagnostics.append(
                Diagnostic(
                    .error, "evidence-nested",
                    "\(what) is \(place): \(rule); \(inside), and no credit is issued to candidate '\(current.id)' until the evidence is corrected",
                    hint: hint, at: location(ctxt, line: line)))
            let here = inItem.map { "inside \($0) of this candidate" } ?? "inside this candidate"
            wholeCandidate.append(("\(what) is \(here): \(rule); \(inside)", ItemOrigin(file: file, line: line)))
        } else {
            diagnostics.append(
                Diagnostic(.error, "evidence-nested", "\(what) is inside <evidence>: \(rule); \(inside)", hint: hint, at: location(ctxt, line: line)))
        }
        // What it holds is not read; inside an item, neither is the rest of the item.
        if level > 3 {
            skipDepth = depth - (empty ? 0 : 1)
        } else if !empty {
            skipDepth = depth
        }
    }

    /// Text: white space between elements is nothing; any other text is not evidence (evidence.xsd allows none,
    /// and a value is read only from its attribute: `<grade … value="82.5">85</grade>` is 82.5, not 85). The first
    /// such text in a candidate is an error at its place and puts the candidate in doubt; outside any
    /// candidate it is an error. CDATA sections come here too (the handler has no `cdataBlock`).
    mutating func text(_ ctxt: xmlParserCtxtPtr, _ ch: UnsafePointer<xmlChar>, _ len: Int) {
        // After a well-formedness error libxml2's recovery hands over pieces of tags as text: that error is said.
        if skipDepth > 0 || textReported || !seenRoot || !errors.isEmpty { return }
        var i = 0
        while i < len {
            let c = ch[i]
            if c != 0x20, c != 0x0A, c != 0x09, c != 0x0D { break }
            i += 1
        }
        guard i < len else { return }
        textReported = true
        let place = StartTag.place(of: ch + i, textEnd: ch + len, ctxt)
        let at = SourceLocation(file: path, line: place.line, column: place.column)
        // Its first line, up to 40 bytes (not splitting a character), and "…" if more text follows.
        var n = min(len - i, 40)
        if let nl = (0..<n).first(where: { ch[i + $0] == 0x0A || ch[i + $0] == 0x0D }) { n = nl }
        while n > 0, i + n < len, ch[i + n] & 0xC0 == 0x80 { n -= 1 }
        var sample = String(decoding: UnsafeBufferPointer(start: ch + i, count: n), as: UTF8.self)
        while sample.last?.isWhitespace == true { sample.removeLast() }
        if (i + n..<len).contains(where: { c in ch[c] != 0x20 && ch[c] != 0x0A && ch[c] != 0x09 && ch[c] != 0x0D }) { sample += "…" }
        let inItem = depth >= 3 ? openItem.map { "<\($0)> (line \(openItemLine))" } : nil
        if inCandidate {
            let place = inItem.map { "inside \($0) of candidate '\(current.id)'" } ?? "inside candidate '\(current.id)'"
            diagnostics.append(
                Diagnostic(
                    .error, "evidence-text",
                    "the text \"\(sample)\" is \(place): text is not evidence (an item's value is read only from its attributes); no credit is issued to candidate '\(current.id)' until the evidence is corrected",
                    hint: "put the value in the item's attribute (value=\"…\") and remove the text", at: at))
            let here = inItem.map { "inside \($0) of this candidate" } ?? "inside this candidate"
            wholeCandidate.append(("the text \"\(sample)\" is \(here): text is not evidence; remove it", ItemOrigin(file: file, line: at.line)))
        } else {
            diagnostics.append(
                Diagnostic(
                    .error, "evidence-text",
                    "the text \"\(sample)\" is inside <evidence>, outside any candidate: text is not evidence, and it is not read",
                    hint: "remove the text, or put what it says in an item of the candidate it belongs to", at: at))
        }
    }

    /// Where the element just started (its `<`), or one of its attributes, is: line and column when known,
    /// else the element's line.
    func location(_ ctxt: xmlParserCtxtPtr, attribute: String? = nil, line: Int) -> SourceLocation {
        let tag = StartTag(ctxt)
        let place = attribute.flatMap { tag?.attribute($0) } ?? tag?.start
        return SourceLocation(file: path, line: place?.line ?? line, column: place?.column)
    }

    /// An element nested deeper than ``maxDepth``: reported at its place as the file's error, and nothing more is
    /// read (the candidate being read, if any, is marked and handed on, as after a malformed spot).
    mutating func refuseDepth(_ ctxt: xmlParserCtxtPtr) {
        let place = location(ctxt, line: Self.elementLine(ctxt))
        tooDeep = place
        errors.append(
            EvidenceXMLError(code: EvidenceXMLError.tooDeep, line: place.line, column: place.column, message: "", name: nil, openedOnLine: 0))
        // A candidate that ended before it is whole: handed on as it is.
        if inCandidate { finishCandidate(ctxt) } else if self.errors.count == 1 { releaseHeld() }
        if !stopped { stop(ctxt) }
    }

    mutating func endElement(_ ctxt: xmlParserCtxtPtr) {
        if pendingEmptyEnd {
            // The end of an empty element, which the start tag has dealt with.
            pendingEmptyEnd = false
            return
        }
        depth -= 1
        if skipDepth > depth { skipDepth = 0 }
        if depth == 1, inCandidate { finishCandidate(ctxt) }
    }

    /// Ends the candidate being read. If the file is malformed anywhere up to where it ends, it is marked as
    /// possibly misread, handed on, and the reader stops: after an error this is the last candidate read.
    /// Otherwise it is held back until the next candidate begins or the file ends: a file that breaks off
    /// after it (no `</evidence>`, or junk after it) makes it the last candidate of a file cut short, and
    /// then it is marked too, as libxml2's reader did.
    mutating func finishCandidate(_ ctxt: xmlParserCtxtPtr?) {
        inCandidate = false
        textReported = false
        skipDepth = 0
        var c = current
        current = CandidateEvidence(id: "")
        if !wholeCandidate.isEmpty {
            // On every outcome of the candidate, whatever target a command asks for.
            let targets = c.targets.filter { $0 != "*" }
            for (message, origin) in wholeCandidate {
                for target in targets.isEmpty ? ["*"] : targets {
                    c.problems.append(EvidenceProblem(target: target, message: message, origin: origin, concernsWholeCandidate: true))
                }
            }
            wholeCandidate.removeAll()
        }
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

    /// Marks every outcome of the candidate being read at the file's first error: any of its targets may have
    /// lost items there (a target with `missing="zero"` would otherwise score them as zeros, unseen).
    private func mark(_ c: inout CandidateEvidence) {
        guard let error = errors.first else { return }
        let targets = c.targets.filter { $0 != "*" }
        let what =
            error.code == EvidenceXMLError.tooDeep
            ? "the evidence file nests elements too deep at line \(error.line) (see the error for \(path)); this candidate's items from there on are not read"
            : "the evidence file is malformed at line \(error.line) (see the error for \(path)); this candidate's items from there on may be missing or misread"
        for target in targets.isEmpty ? ["*"] : targets {
            c.problems.append(
                EvidenceProblem(
                    target: target,
                    message: what,
                    origin: ItemOrigin(file: file, line: error.line), concernsWholeCandidate: true))
        }
    }

    mutating func stop(_ ctxt: xmlParserCtxtPtr) {
        stopped = true
        xmlStopParser(ctxt)
    }

    /// Reads one item element of the current candidate.
    mutating func readItem(_ ctxt: xmlParserCtxtPtr, _ name: ElementName, origin: ItemOrigin) {
        var kind: EvidenceItem.Kind?
        switch name.kind {
        case .mark: kind = .mark
        case .measure: kind = .measure
        case .grade: kind = .grade
        case .deduction: kind = .deduction
        default: break
        }
        if let kind {
            guard let target = need(attrs.target, "target", name, origin), let node = need(attrs.node, "node", name, origin),
                let value = present(attrs.value, "value", name, origin)
            else { return }
            var judge: String?
            if kind == .mark {
                guard let j = need(attrs.judge, "judge", name, origin) else { return }
                judge = j
            }
            var item = template
            item.kind = kind
            item.target = target
            item.node = node
            item.judge = judge
            (item.value, item.number) = strings.stringAndNumber(value)
            item.reason = attrs.reason.map { strings.string($0) }
            item.origin = origin
            current.items.append(item)
        } else if name.kind == .certificate {
            guard let ref = need(attrs.ref, "ref", name, origin), let level = need(attrs.level, "level", name, origin),
                let issued = need(attrs.issued, "issued", name, origin)
            else { return }
            current.certificates.append(
                HeldCertificate(ref: ref, level: level, issued: issued, serial: attrs.serial.map { strings.string($0) }, origin: origin))
        } else if name.kind == .award {
            guard let competition = need(attrs.competition, "competition", name, origin),
                let award = need(attrs.award, "award", name, origin), let date = need(attrs.date, "date", name, origin)
            else { return }
            current.awards.append(WonAward(competition: competition, award: award, date: date, origin: origin))
        } else if name.kind == .artifact {
            guard let target = need(attrs.target, "target", name, origin), let node = need(attrs.node, "node", name, origin),
                let path = need(attrs.path, "path", name, origin)
            else { return }
            current.artifacts.append(Artifact(target: target, node: node, path: path, sha256: attrs.sha256.map { strings.string($0) }, origin: origin))
        } else {
            // A misspelt item (<awrd>) in the evidence namespace: what it says is lost, so the candidate is in
            // doubt as a whole (no credit on what is left), and the file has an error at the element.
            let items: Set<String> = ["mark", "measure", "grade", "deduction", "certificate", "award", "artifact"]
            let known = "use mark, measure, grade, deduction, certificate, award or artifact"
            current.problems.append(
                EvidenceProblem(
                    target: attrs.target.map { strings.string($0) } ?? "*",
                    message: "<\(name)> is not an evidence item (\(known)); it is not counted",
                    origin: origin, concernsWholeCandidate: true))
            diagnostics.append(
                Diagnostic(
                    .error, "evidence-unknown-item",
                    "<\(name)> in candidate '\(current.id)' is not an evidence item (\(known)); it is not counted, and no credit is issued to the candidate until it is corrected",
                    hint: Suggest.closest(to: "\(name)", among: items).map { "did you mean <\($0)>?" } ?? known,
                    at: location(ctxt, line: origin.line)))
        }
    }

    /// A required attribute's value, or a problem on the candidate ("<mark> has no judge") and nil.
    private mutating func need(
        _ value: AttributeValue?, _ key: StaticString, _ name: ElementName, _ origin: ItemOrigin
    ) -> String? {
        present(value, key, name, origin).map { strings.string($0) }
    }

    /// A required attribute, present and not empty, or a problem on the candidate and nil.
    private mutating func present(
        _ value: AttributeValue?, _ key: StaticString, _ name: ElementName, _ origin: ItemOrigin
    ) -> AttributeValue? {
        if let value, !value.isEmpty { return value }
        let target = (attrs.target ?? attrs.ref ?? attrs.competition).map { strings.string($0) } ?? "*"
        current.problems.append(EvidenceProblem(target: target, message: "<\(name)> has no \(key)", origin: origin))
        return nil
    }

    // MARK: - The end

    /// The parser's line: for an element, the line its start tag ends on. (The tree reader this replaced
    /// stopped counting at 65,535; the SAX parser's count is exact, so items past that line keep their line.)
    static func elementLine(_ ctxt: xmlParserCtxtPtr) -> Int {
        Int(ctxt.pointee.input?.pointee.line ?? 0)
    }

    mutating func refuseDoctype(_ ctxt: xmlParserCtxtPtr) {
        diagnostics.append(
            Diagnostic(
                .error, "xml-doctype-refused",
                "the evidence file has a DOCTYPE declaration; Assay refuses DOCTYPEs, entities and external DTDs in its input, and read nothing further",
                hint: "delete the <!DOCTYPE …> declaration", at: SourceLocation(file: path, line: EvidenceSAXParse.elementLine(ctxt))))
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
        strings.deallocate()
        if let failure = emitted.lookupFailure {
            diagnostics.append(
                Diagnostic(
                    .warning, "repeat-check-incomplete",
                    "a candidate appearing twice in this file may have gone unnoticed: \(failure)",
                    hint: "check the disk of TMPDIR and score the file again", at: SourceLocation(file: path, line: 0)))
        }
        emitted.deallocate()
        if let tooDeep {
            diagnostics.append(
                Diagnostic(
                    .error, "xml-too-deep",
                    "the evidence file nests elements more than \(Self.maxDepth) deep here; evidence needs three levels (<evidence>, <candidate>, its items), and nothing from here on is read",
                    hint: "check how the file was made: each item belongs directly inside its <candidate>, and items hold no elements",
                    at: tooDeep))
        }
        let xmlErrors = errors.filter { $0.code != EvidenceXMLError.tooDeep }
        if let error = XMLEvidenceReader.plainError(xmlErrors, recentCandidates: recentCandidates, lastLine: lastLine, file: path) {
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

private func evidenceCharacters(_ ctx: UnsafeMutableRawPointer?, _ ch: UnsafePointer<xmlChar>?, _ len: Int32) {
    guard let (ctxt, state) = EvidenceSAXParse.from(ctx), !state.pointee.stopped, let ch, len > 0 else { return }
    state.pointee.text(ctxt, ch, Int(len))
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

/// An element's name as libxml2 hands it over: its local name, its prefix and its namespace. Only an element
/// in the evidence namespace is one of the evidence elements; any other (another namespace, none, or a
/// prefix that names none) is `.other`, and is known by its name as written ("x:measure").
struct ElementName: CustomStringConvertible {
    enum Kind { case evidence, candidate, mark, measure, grade, deduction, certificate, award, artifact, other }

    let localname: UnsafePointer<xmlChar>
    let prefix: UnsafePointer<xmlChar>?
    let uri: UnsafePointer<xmlChar>?
    /// In `urn:assay:evidence:1`.
    let isEvidenceNamespace: Bool
    let kind: Kind

    init(
        localname: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, uri: UnsafePointer<xmlChar>?, names: UnsafePointer<EvidenceNames>
    ) {
        self.localname = localname
        self.prefix = prefix
        self.uri = uri
        // By dictionary pointer first (libxml2 keeps namespace names in its dictionary), then by bytes.
        isEvidenceNamespace = uri != nil && (uri == names.pointee.namespace || assay_nameEquals(uri, EvidenceNames.namespace) != 0)
        kind = isEvidenceNamespace ? Self.kind(localname, names.pointee) : .other
    }

    private static func kind(_ n: UnsafePointer<xmlChar>, _ names: EvidenceNames) -> Kind {
        // By dictionary pointer first (see EvidenceNames), then, for a name found no other way, by bytes.
        if n == names.mark { return .mark }
        if n == names.candidate { return .candidate }
        if n == names.measure { return .measure }
        if n == names.grade { return .grade }
        if n == names.deduction { return .deduction }
        if n == names.certificate { return .certificate }
        if n == names.award { return .award }
        if n == names.artifact { return .artifact }
        if n == names.evidence { return .evidence }
        let known: [(String, Kind)] = [
            ("mark", .mark), ("candidate", .candidate), ("measure", .measure), ("grade", .grade), ("deduction", .deduction),
            ("certificate", .certificate), ("award", .award), ("artifact", .artifact), ("evidence", .evidence),
        ]
        return known.first { assay_nameEquals(n, $0.0) != 0 }?.1 ?? .other
    }

    /// "(namespace urn:x)", "(no namespace)" or "(prefix y is not declared)".
    var namespaceWords: String {
        if let uri { return "(namespace \(String(cString: uri)))" }
        if let prefix { return "(prefix \(String(cString: prefix)) is not declared)" }
        return "(no namespace)"
    }

    var description: String {
        let local = String(cString: localname)
        return prefix.map { "\(String(cString: $0)):\(local)" } ?? local
    }
}
