import AssayModel
import Foundation

/// Reads a mark sheet in long form: a header naming the columns `candidate,target,node,judge,value` (any
/// order; optional `kind` — mark, measure, grade or deduction — and `reason`; other columns are ignored),
/// then one row per mark or value. RFC 4180 quoting (see ``CSVScanner``); UTF-8 with or without the
/// byte-order mark spreadsheets write, or GB18030 (see ``MarkSheetEncoding``); CRLF or LF line ends. An empty
/// judge means a recorded value (a grade or measurement) rather than a judge's mark.
///
/// **Streaming.** The sheet is read twice from the file, never held whole:
///
/// 1. A survey: the encoding (a GB18030 sheet is converted once to a temporary UTF-8 file), the header, and
///    where each run of rows for one candidate starts (its *segment*: offset, line, row count, and the line
///    the candidate first appeared on, from ``CandidateFirstLines``, whose memory is bounded).
/// 2. The reading proper. A sheet whose rows for each candidate are together (sorted by candidate, the usual
///    export) is read straight through and each candidate handed on at its last row. A sheet that is not
///    (sorted by judge, say, or two sheets pasted one under the other) is read segment by segment in order of
///    each candidate's first appearance: the segments of one candidate are read one after another (a `pread`
///    at each one's offset) and the candidate is handed on once, whole. That index costs 16 bytes a segment
///    and is bounded at ``maxSegments`` (kept in chunks: see ``CSVSegmentIndex``); an unsorted sheet with more segments is refused as a whole, with
///    what to do (sort it by candidate). So no candidate is lost or handed on twice, whatever the order.
///
/// Every fatal problem of the file (unreadable, wrong encoding, empty, a header that lacks a column or
/// names one twice, too many segments) is known before the first candidate is handed on, and then none is.
///
/// A row that cannot be read (a quote not closed, a field over ``CSVScanner/fieldLimit`` bytes, an id over
/// ``idLimit`` characters, an id or value over a line break or with a control character, the wrong number of
/// fields) is reported with file:line:column, and makes its candidate's outcome incomplete; the other rows are
/// read as usual. The lines after a quote left open that cannot be rows (see ``CSVScanner``) are reported by
/// line and belong to no candidate. So no id handed on holds a control character, and none is made up.
struct CSVEvidenceReader {
    let path: String
    let encoding: MarkSheetEncoding

    /// The most segments this reader indexes (``maxSegments`` but in tests).
    let segmentLimit: Int

    init(path: String, encoding: MarkSheetEncoding = .automatic, segmentLimit: Int = Self.maxSegments) {
        self.path = path
        self.encoding = encoding
        self.segmentLimit = segmentLimit
    }

    static let required = ["candidate", "target", "node", "judge", "value"]
    /// The columns read; a header naming one of them twice is refused.
    static let known = required + ["kind", "reason"]
    /// Columns that hold ids or numbers: a quoted field there may not run over a line break, and no field there
    /// may hold a control character.
    static let singleLine: Set<String> = ["candidate", "target", "node", "judge", "value", "kind"]
    /// The longest candidate, target, node or judge id, in characters.
    static let idLimit = 256
    /// The most segments (runs of one candidate's rows) an unsorted sheet may have: 16 bytes each, 32 MB.
    static let maxSegments = 1 << 21

    /// A run of consecutive rows for one candidate, in 16 bytes.
    struct Segment {
        /// The line on which the candidate first appears in the file (its order).
        var key: UInt32
        var line: UInt32
        /// The run's byte offset (low 40 bits: up to 1 TB) and its rows, blank rows not counted (high 24 bits;
        /// a longer run goes on in a new segment with the same key).
        private var packed: UInt64

        static let maxRows = (1 << 24) - 1

        init(key: Int, line: Int, offset: Int) {
            self.key = UInt32(clamping: key)
            self.line = UInt32(clamping: line)
            packed = UInt64(offset) & 0xFF_FFFF_FFFF | 1 << 40
        }

        var offset: Int { Int(packed & 0xFF_FFFF_FFFF) }
        var rows: Int { Int(packed >> 40) }
        mutating func addRow() { packed += 1 << 40 }
    }

    /// Reads the sheet, calling `emit` once per candidate in order of first appearance. Returns the file's
    /// diagnostics (problems of single rows travel with their candidate as well).
    func read(_ emit: (CandidateEvidence) -> Void) -> [Diagnostic] {
        let content: MarkSheetContent
        switch MarkSheetContent.open(path, encoding: encoding) {
        case .failure(let d): return [d]
        case .success(let c): content = c
        }
        defer { content.close() }
        var diagnostics: [Diagnostic] = content.note.map { [$0] } ?? []
        var scanner = CSVScanner(descriptor: content.descriptor, start: content.start)
        defer { scanner.deallocate() }
        var record = CSVRecord()

        // The header.
        guard scanner.next(&record) else {
            return diagnostics + [Diagnostic(.error, "csv-empty", "the mark sheet is empty", hint: "export the marks again", at: at(1))]
        }
        let header: Header
        switch Header.read(record, path: path) {
        case .failure(let d): return diagnostics + [d]
        case .success(let h): header = h
        }
        scanner.expectedFieldCount = header.names.count
        let bodyStart = (offset: scanner.offset, line: scanner.line)

        // Pass 1: the survey.
        var firstLines = CandidateFirstLines()
        var segments = CSVSegmentIndex()
        var sorted = true
        var overflow = false
        var previous: String?
        while scanner.next(&record) {
            if record.isBlank || record.continues != nil { continue }
            let id = header.candidate(of: record)
            if let id, id == previous, overflow || segments.lastRows < Segment.maxRows {
                if !overflow { segments.addRowToLast() }
                continue
            }
            var key = record.line
            if let id, let first = firstLines.firstLine(XMLEvidenceReader.hash(id), else: record.line) {
                key = first
                if id != previous { sorted = false }
            }
            previous = id
            if segments.count == segmentLimit { overflow = true }
            if !overflow { segments.append(Segment(key: key, line: record.line, offset: record.offset)) }
            if overflow && !sorted { break }
        }
        let lookupFailure = firstLines.lookupFailure
        firstLines.deallocate()
        if let failure = scanner.readFailure {
            return diagnostics + [Diagnostic(.error, "file-unreadable", "cannot read mark sheet '\(path)': \(failure)", at: at(0))]
        }
        if let lookupFailure {
            return diagnostics + [
                Diagnostic(
                    .error, "file-unreadable", "cannot tell whether the mark sheet's rows are sorted by candidate: \(lookupFailure)",
                    hint: "check the disk of TMPDIR and score the file again", at: at(0))
            ]
        }
        if overflow && !sorted {
            return diagnostics + [
                Diagnostic(
                    .error, "csv-unsorted",
                    "the mark sheet's rows are not sorted by candidate, and they change candidate more than \(Self.grouped(segmentLimit)) times: too many to read in order",
                    hint: "sort the sheet by the candidate column (all of a candidate's rows together) and score it again",
                    at: at(0))
            ]
        }

        // Pass 2: the reading proper.
        let file = EvidenceFile(path)
        let rows = RowReader(header: header, path: path, file: file)
        if sorted {
            scanner.seek(offset: bodyStart.offset, line: bodyStart.line)
            var current: CandidateEvidence?
            while scanner.next(&record) {
                if let open = record.continues {
                    rows.refuseContinuation(record, of: open, &diagnostics)
                    continue
                }
                if record.isBlank { continue }
                guard let id = header.candidate(of: record) else {
                    if let c = current { emit(c) }
                    current = nil
                    rows.refuseWithoutCandidate(record, &diagnostics)
                    continue
                }
                if current?.id != id {
                    if let c = current { emit(c) }
                    current = CandidateEvidence(id: id)
                }
                rows.add(record, to: &current!, &diagnostics)
            }
            if let c = current { emit(c) }
        } else {
            segments.sort()
            var pending = segments.next()
            while let first = pending {
                // One candidate's segments (the same first line), read in file order.
                var group: [CandidateEvidence] = []
                while let segment = pending, segment.key == first.key {
                    pending = segments.next()
                    scanner.seek(offset: segment.offset, line: Int(segment.line))
                    var left = segment.rows
                    // After the segment's rows, the pieces of a row whose quote was left open are read too.
                    while left > 0 || scanner.quoteLeftOpen != nil, scanner.next(&record) {
                        if let open = record.continues {
                            rows.refuseContinuation(record, of: open, &diagnostics)
                            continue
                        }
                        if record.isBlank { continue }
                        if left == 0 { break }
                        left -= 1
                        guard let id = header.candidate(of: record) else {
                            rows.refuseWithoutCandidate(record, &diagnostics)
                            continue
                        }
                        // (Two ids with one 64-bit hash share a key: each still gets its own evidence.)
                        if let g = group.firstIndex(where: { $0.id == id }) {
                            rows.add(record, to: &group[g], &diagnostics)
                        } else {
                            group.append(CandidateEvidence(id: id))
                            rows.add(record, to: &group[group.count - 1], &diagnostics)
                        }
                    }
                }
                group.forEach(emit)
            }
        }
        if let failure = scanner.readFailure {
            diagnostics.append(
                Diagnostic(.error, "file-unreadable", "reading mark sheet '\(path)' failed part way: \(failure)", at: at(scanner.line)))
        }
        return diagnostics
    }

    private func at(_ line: Int, _ column: Int? = nil) -> SourceLocation { SourceLocation(file: path, line: line, column: column) }

    /// `n` with a comma every three digits (not the locale's way: output is the same everywhere).
    static func grouped(_ n: Int) -> String {
        var digits = String(n)
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return digits + out
    }

    /// The spreadsheet's name for column `i` (0 → A, 26 → AA).
    static func letter(_ i: Int) -> String {
        var n = i + 1
        var s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }

    // MARK: - Header

    struct Header {
        /// Column names, trimmed and lowercased.
        var names: [String]
        var column: [String: Int]
        /// The columns read, by name (looked up once, not for every row).
        let candidateIndex: Int
        let target: Int
        let node: Int
        let judge: Int
        let value: Int
        let kind: Int?
        let reason: Int?
        /// The columns of ``singleLine``, by index, in the header's order.
        let checked: [Int]

        init(names: [String], column: [String: Int]) {
            self.names = names
            self.column = column
            (target, node, judge, value) = (column["target"]!, column["node"]!, column["judge"]!, column["value"]!)
            (kind, reason) = (column["kind"], column["reason"])
            candidateIndex = column["candidate"]!
            checked = names.indices.filter { column[names[$0]] == $0 && singleLine.contains(names[$0]) }
        }

        static func read(_ record: CSVRecord, path: String) -> Refusable<Header> {
            let names = (0..<record.fields.count).map { record.string($0).trimmedOfSpaces().lowercased() }
            func at(_ i: Int) -> SourceLocation { SourceLocation(file: path, line: record.line, column: record.fields[i].column) }
            if let q = record.unclosedQuote {
                return .failure(
                    Diagnostic(
                        .error, "csv-quote", "the header's quote in column \(letter(q)) is not closed",
                        hint: "the first row names the columns: candidate,target,node,judge,value", at: at(q)))
            }
            var column: [String: Int] = [:]
            for (i, n) in names.enumerated() where known.contains(n) {
                if let first = column[n] {
                    return .failure(
                        Diagnostic(
                            .error, "csv-header-duplicate",
                            "the mark sheet's header names the column \(n) twice (columns \(letter(first)) and \(letter(i))): it is not clear which to read",
                            hint: "delete or rename one of the two columns", at: at(i)))
                }
                column[n] = i
            }
            let missing = required.filter { column[$0] == nil }
            if !missing.isEmpty {
                return .failure(
                    Diagnostic(
                        .error, "csv-header",
                        "the mark sheet's header lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))",
                        hint: "the first row names the columns: candidate,target,node,judge,value", at: SourceLocation(file: path, line: 1)))
            }
            return .success(Header(names: names, column: column))
        }

        /// The record's candidate id, if it has a usable one (there, not in a broken quote, not too long).
        func candidate(of record: CSVRecord) -> String? {
            let i = candidateIndex
            guard i < record.fields.count, !record.fields[i].isTooLong else { return nil }
            if let q = record.unclosedQuote, q <= i { return nil }
            if record.fields[i].lineBreaks > 0 || record.controlCharacter(i) != nil { return nil }
            let id = record.string(i).trimmedOfSpaces()
            guard !id.isEmpty, id.utf8.count <= idLimit || id.unicodeScalars.count <= idLimit else { return nil }
            return id
        }
    }

    // MARK: - Rows

    /// Turns records into evidence items, or into problems with their places.
    struct RowReader {
        let header: Header
        let path: String
        let file: EvidenceFile

        func location(_ record: CSVRecord, _ i: Int) -> SourceLocation {
            i < record.fields.count
                ? SourceLocation(file: path, line: record.fields[i].line, column: record.fields[i].column)
                : SourceLocation(file: path, line: record.line)
        }

        func name(_ i: Int) -> String {
            "column \(letter(i))" + (i < header.names.count && !header.names[i].isEmpty ? " (\(header.names[i]))" : "")
        }

        func quoteMessage(_ record: CSVRecord, _ q: Int) -> String {
            let why =
                switch record.unclosedReason {
                case .tooLong: " within \(grouped(CSVScanner.fieldLimit)) bytes"
                case .endOfFile: " before the end of the file"
                case .strayText(let line):
                    ": the next quote, on line \(line), is followed by other text, not by a comma or the line's end"
                }
            return "the quote that opens \(name(q)) on line \(record.fields[q].line) is not closed\(why); the row is not read"
        }
        static let quoteHint = "close the quote where the cell ends, or remove it"

        /// What column `i` holds, for a message: "the judge id", "the value".
        func what(_ i: Int) -> String {
            let n = i < header.names.count ? header.names[i] : ""
            return ["candidate", "target", "node", "judge"].contains(n) ? "the \(n) id" : "the \(n)"
        }

        /// The first column read (id, value or kind) that runs over a line break or holds a control character,
        /// with its message and hint: such a cell is refused, and never printed.
        func unprintable(_ record: CSVRecord, in columns: [Int]? = nil) -> (column: Int, code: String, message: String, hint: String)? {
            for i in columns ?? header.checked where i < record.fields.count && !record.fields[i].isTooLong {
                let f = record.fields[i]
                let noun = header.names[i] == "value" || header.names[i] == "kind" ? header.names[i] : "id"
                if f.lineBreaks > 0 {
                    return (
                        i, "csv-line-break",
                        "\(what(i)) in \(name(i)) of row \(record.line) runs over \(f.lineBreaks + 1) lines (\(f.line) to \(f.line + f.lineBreaks)); the row is not read",
                        "\(noun == "id" ? "an" : "a") \(noun) is on one line: remove the line break from this cell (a spreadsheet makes one with Alt+Enter)"
                    )
                }
                if let c = record.controlCharacter(i) {
                    var hex = String(c, radix: 16, uppercase: true)
                    while hex.count < 4 { hex = "0" + hex }
                    return (
                        i, "csv-control-character",
                        "\(what(i)) in \(name(i)) of row \(record.line) holds the control character U+\(hex); the row is not read",
                        "type the \(noun) again without it; \(noun == "id" ? "an" : "a") \(noun) holds no control characters"
                    )
                }
            }
            return nil
        }

        /// A line after a quote left open that cannot be a row: a file diagnostic, no candidate's.
        func refuseContinuation(_ record: CSVRecord, of open: Int, _ diagnostics: inout [Diagnostic]) {
            let n = record.fieldCount
            diagnostics.append(
                Diagnostic(
                    .error, "csv-quote-continued",
                    "line \(record.line) follows the quote left open on line \(open) and is not a row of its own (it has \(n) field\(n == 1 ? "" : "s") where the header has \(header.names.count)); it is not read",
                    hint: "close the quote on line \(open), or join this line to that row", at: SourceLocation(file: path, line: record.line, column: 1)))
        }

        /// A row that names no usable candidate: a file diagnostic, since there is no outcome to mark.
        func refuseWithoutCandidate(_ record: CSVRecord, _ diagnostics: inout [Diagnostic]) {
            let c = header.candidateIndex
            if let q = record.unclosedQuote, q <= c {
                diagnostics.append(Diagnostic(.error, "csv-quote", quoteMessage(record, q), hint: Self.quoteHint, at: location(record, q)))
            } else if let bad = unprintable(record, in: [c]) {
                diagnostics.append(Diagnostic(.error, bad.code, bad.message, hint: bad.hint, at: location(record, c)))
            } else if c < record.fields.count, record.fields[c].isTooLong || record.string(c).trimmedOfSpaces().unicodeScalars.count > idLimit {
                diagnostics.append(
                    Diagnostic(
                        .error, "csv-too-long", "row \(record.line)'s candidate id is longer than \(idLimit) characters; the row is not read",
                        hint: "check the candidate column of this row", at: location(record, c)))
            } else {
                diagnostics.append(
                    Diagnostic(
                        .error, "csv-row", "row \(record.line) names no candidate; it is not scored",
                        at: SourceLocation(file: path, line: record.line)))
            }
        }

        func add(_ record: CSVRecord, to candidate: inout CandidateEvidence, _ diagnostics: inout [Diagnostic]) {
            let origin = ItemOrigin(file: file, line: record.line, isCSVRow: true)
            func index(_ column: Int?) -> Int? {
                guard let i = column, i < record.fields.count else { return nil }
                if let q = record.unclosedQuote, q <= i { return nil }
                return i
            }
            func field(_ column: Int?) -> String? {
                guard let i = index(column) else { return nil }
                let v = record.string(i).trimmedOfSpaces()
                return v.isEmpty ? nil : v
            }
            func refuse(_ message: String, code: String, at location: SourceLocation, hint: String) {
                let target = index(header.target).flatMap { t in
                    record.fields[t].isTooLong || record.fields[t].lineBreaks > 0 || record.controlCharacter(t) != nil ? nil : field(t)
                }
                let shownTarget = target.map { $0.unicodeScalars.count <= idLimit ? $0 : "*" } ?? "*"
                diagnostics.append(Diagnostic(.error, code, message, hint: hint, at: location))
                candidate.problems.append(EvidenceProblem(target: shownTarget, message: message, origin: origin))
            }
            if let q = record.unclosedQuote {
                refuse(quoteMessage(record, q), code: "csv-quote", at: location(record, q), hint: Self.quoteHint)
                return
            }
            if let long = record.fields.indices.first(where: { record.fields[$0].isTooLong }) {
                refuse(
                    "\(name(long)) of row \(record.line) is longer than \(grouped(CSVScanner.fieldLimit)) bytes; the row is not read",
                    code: "csv-too-long", at: location(record, long), hint: "check this cell; a mark sheet's cells are short")
                return
            }
            if let bad = unprintable(record) {
                refuse(bad.message, code: bad.code, at: location(record, bad.column), hint: bad.hint)
                return
            }
            let target = field(header.target) ?? "*"
            if record.fieldCount != header.names.count {
                candidate.problems.append(
                    EvidenceProblem(
                        target: target,
                        message: "the row has \(record.fieldCount) fields where the header has \(header.names.count) (a cut-off or mistyped row); it was not read",
                        origin: origin))
                return
            }
            for (id, i) in [("target", header.target), ("node", header.node), ("judge", header.judge)] {
                if let v = field(i), v.utf8.count > idLimit, v.unicodeScalars.count > idLimit {
                    refuse(
                        "the \(id) id in \(name(i)) of row \(record.line) is longer than \(idLimit) characters; the row is not read",
                        code: "csv-too-long", at: location(record, i), hint: "check this cell")
                    return
                }
            }
            guard let node = field(header.node), let value = field(header.value), target != "*" else {
                let what = [("target", header.target), ("node", header.node), ("value", header.value)].filter { field($0.1) == nil }.map(\.0)
                    .joined(separator: ", ")
                candidate.problems.append(EvidenceProblem(target: target, message: "the row has no \(what)", origin: origin))
                return
            }
            let judge = field(header.judge)
            let kind: EvidenceItem.Kind
            if let k = field(header.kind) {
                guard let parsed = EvidenceItem.Kind(rawValue: k.lowercased()) else {
                    candidate.problems.append(
                        EvidenceProblem(target: target, message: "kind '\(k)' is not mark, measure, grade or deduction", origin: origin))
                    return
                }
                kind = parsed
            } else {
                kind = judge == nil ? .grade : .mark
            }
            candidate.items.append(
                EvidenceItem(kind: kind, target: target, node: node, judge: judge, value: value, reason: field(header.reason), origin: origin))
        }
    }
}

extension String {
    /// `trimmingCharacters(in: .whitespaces)`, without its cost for the usual field that has nothing to trim
    /// (it was half the time of reading a mark sheet): a field that starts and ends with a visible ASCII
    /// character is returned as it is; any other goes through Foundation, so Unicode spaces are trimmed too.
    fileprivate func trimmedOfSpaces() -> String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        if first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F { return self }
        return trimmingCharacters(in: .whitespaces)
    }
}
