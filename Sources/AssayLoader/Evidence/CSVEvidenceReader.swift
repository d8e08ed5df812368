import AssayModel
import Foundation

/// Reads a mark sheet in long form: a header naming the columns `candidate,target,node,judge,value` (any
/// order; optional `kind` — mark, measure, grade or deduction — and `reason`), then one row per mark or value.
/// RFC 4180 quoting; UTF-8 with or without the byte-order mark spreadsheets write; CRLF or LF line ends.
/// An empty judge means a recorded value (a grade or measurement) rather than a judge's mark.
struct CSVEvidenceReader {
    let path: String

    static let required = ["candidate", "target", "node", "judge", "value"]

    /// Candidates in order of first appearance; file-level diagnostics.
    func read() -> (candidates: [CandidateEvidence], diagnostics: [Diagnostic]) {
        guard var data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            return ([], [
                Diagnostic(
                    .error, "file-unreadable", exists ? "cannot read mark sheet '\(path)'" : "mark sheet '\(path)' does not exist",
                    at: SourceLocation(file: path, line: 0))
            ])
        }
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        guard let text = String(data: data, encoding: .utf8) else {
            return ([], [
                Diagnostic(
                    .error, "csv-encoding", "the mark sheet is not UTF-8 text", hint: "save it from the spreadsheet as CSV UTF-8",
                    at: SourceLocation(file: path, line: 1))
            ])
        }
        let (rows, parseProblem) = Self.parse(text)
        var diagnostics: [Diagnostic] = []
        guard let header = rows.first else {
            return ([], [Diagnostic(.error, "csv-empty", "the mark sheet is empty", at: SourceLocation(file: path, line: 1))])
        }
        let names = header.fields.map { $0.trimmedOfSpaces().lowercased() }
        var column: [String: Int] = [:]
        for (i, n) in names.enumerated() where column[n] == nil { column[n] = i }
        let missing = Self.required.filter { column[$0] == nil }
        if !missing.isEmpty {
            return ([], [
                Diagnostic(
                    .error, "csv-header", "the mark sheet's header lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))",
                    hint: "the first row names the columns: candidate,target,node,judge,value", at: SourceLocation(file: path, line: 1))
            ])
        }
        var order: [String] = []
        var byID: [String: CandidateEvidence] = [:]
        let evidenceFile = EvidenceFile(path)
        for row in rows.dropFirst() {
            if row.fields.allSatisfy({ $0.trimmedOfSpaces().isEmpty }) { continue }
            let origin = ItemOrigin(file: evidenceFile, line: row.number, isCSVRow: true)
            func field(_ name: String) -> String? {
                guard let i = column[name], i < row.fields.count else { return nil }
                let v = row.fields[i].trimmedOfSpaces()
                return v.isEmpty ? nil : v
            }
            guard let candidate = field("candidate") else {
                diagnostics.append(
                    Diagnostic(.error, "csv-row", "row \(row.number) names no candidate; it is not scored", at: SourceLocation(file: path, line: row.number)))
                continue
            }
            if byID[candidate] == nil {
                order.append(candidate)
                byID[candidate] = CandidateEvidence(id: candidate)
            }
            let target = field("target") ?? "*"
            if row.fields.count != header.fields.count {
                byID[candidate]!.problems.append(
                    EvidenceProblem(
                        target: target,
                        message: "the row has \(row.fields.count) fields where the header has \(header.fields.count) (a cut-off or mistyped row); it was not read",
                        origin: origin))
                continue
            }
            guard let node = field("node"), let value = field("value"), target != "*" else {
                let what = ["target", "node", "value"].filter { field($0) == nil }.joined(separator: ", ")
                byID[candidate]!.problems.append(EvidenceProblem(target: target, message: "the row has no \(what)", origin: origin))
                continue
            }
            let judge = field("judge")
            let kind: EvidenceItem.Kind
            if let k = field("kind") {
                guard let parsed = EvidenceItem.Kind(rawValue: k.lowercased()) else {
                    byID[candidate]!.problems.append(
                        EvidenceProblem(target: target, message: "kind '\(k)' is not mark, measure, grade or deduction", origin: origin))
                    continue
                }
                kind = parsed
            } else {
                kind = judge == nil ? .grade : .mark
            }
            byID[candidate]!.items.append(
                EvidenceItem(kind: kind, target: target, node: node, judge: judge, value: value, reason: field("reason"), origin: origin))
        }
        if let parseProblem {
            diagnostics.append(Diagnostic(.error, "csv-quote", parseProblem.message, hint: "close the quoted field with \"", at: SourceLocation(file: path, line: parseProblem.row)))
        }
        return (order.compactMap { byID[$0] }, diagnostics)
    }

    struct Row {
        var number: Int
        var fields: [String]
    }

    /// RFC 4180: fields separated by commas, quoted with "…" (a doubled "" inside is a quote; quoted fields may
    /// hold commas and line breaks); rows end with LF or CRLF. Row numbers count lines of the file from 1.
    static func parse(_ text: String) -> (rows: [Row], problem: (row: Int, message: String)?) {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var rowStart = 1
        var fieldWasQuoted = false
        var chars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        func next() -> Unicode.Scalar? {
            if let p = pending {
                pending = nil
                return p
            }
            return chars.next()
        }
        func endRow() {
            fields.append(field)
            rows.append(Row(number: rowStart, fields: fields))
            fields = []
            field = ""
            fieldWasQuoted = false
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else {
                            inQuotes = false
                            pending = n
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r":
                if let n = next(), n != "\n" { pending = n }
                endRow()
                line += 1
                rowStart = line
            case "\n":
                endRow()
                line += 1
                rowStart = line
            default:
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes {
            endRow()
            return (rows, (rowStart, "row \(rowStart) opens a quoted field that is never closed"))
        }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return (rows, nil)
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
