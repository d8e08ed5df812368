import AssayEngine
import AssayModel
import Foundation

/// Writes outcomes as they are scored, in one of `assay score`'s formats. Same outcomes, same bytes.
protocol OutcomeWriter {
    mutating func begin(program: Program)
    mutating func write(_ outcome: Outcome)
    mutating func end(diagnostics: [Diagnostic])
}

/// `candidate,target,score,max,status,detail` (RFC 4180).
struct CSVOutcomeWriter: OutcomeWriter {
    let output: Output
    var buffer = ""

    init(output: Output) { self.output = output }

    mutating func begin(program: Program) { output.out("candidate,target,score,max,status,detail\n") }

    mutating func write(_ o: Outcome) {
        buffer += [
            CSVText.field(o.candidate), CSVText.field(o.target), o.shownScore ?? "", o.kind == .unknown ? "" : o.maxValue.text(), o.status.word,
            CSVText.field(detail(o)),
        ].joined(separator: ",")
        buffer += "\n"
        if buffer.utf8.count > 1 << 16 {
            output.out(buffer)
            buffer = ""
        }
    }

    mutating func end(diagnostics: [Diagnostic]) {
        output.out(buffer)
        buffer = ""
    }
}

/// The words in the CSV detail column and the text table: pass/fail, reasons, flags.
func detail(_ o: Outcome) -> String {
    var parts: [String] = []
    if let passed = o.passed { parts.append(passed ? "pass" : "fail") }
    parts += o.status.reasons
    parts += o.flags
    return parts.joined(separator: "; ")
}

/// An aligned table for people (the first rows are held to find the column widths).
struct TextOutcomeWriter: OutcomeWriter {
    let output: Output
    /// Rows held to find the column widths: up to this many, the whole table is aligned; past it, the rows
    /// that follow are printed as they come with the widths of the first ones (a longer cell pushes only its
    /// own line), so memory stays bounded however many candidates there are.
    let alignWindow: Int
    private var rows: [[String]] = []
    private var widths: [Int]?
    private var count = 0
    private var incomplete = 0
    private static let header = ["candidate", "target", "score", "max", "result", "status"]
    /// Score and max aligned on the right, two spaces between columns.
    private static let table = TextTable(rightAligned: [2, 3])

    init(output: Output, alignWindow: Int = 10_000) {
        self.output = output
        self.alignWindow = alignWindow
    }

    mutating func begin(program: Program) {}

    mutating func write(_ o: Outcome) {
        let result = o.passed.map { $0 ? "pass" : "fail" } ?? (o.status.isComplete ? "" : "—")
        var status = o.status.word
        if !o.status.isComplete { status += ": " + o.status.reasons.joined(separator: "; ") }
        if !o.flags.isEmpty { status += " [" + o.flags.joined(separator: "; ") + "]" }
        let row = [o.candidate, o.target, o.shownScore ?? "—", o.kind == .unknown ? "—" : o.maxValue.text(), result, status]
        count += 1
        if !o.status.isComplete { incomplete += 1 }
        if let widths {
            print(row, widths)
            return
        }
        rows.append(row)
        if rows.count >= alignWindow { printHeld() }
    }

    mutating func end(diagnostics: [Diagnostic]) {
        if widths == nil { printHeld() }
        output.line("\(count) outcome\(count == 1 ? "" : "s"), \(incomplete) incomplete")
    }

    /// Prints the header and the rows held, aligned, and fixes the widths for the rows to come.
    private mutating func printHeld() {
        let all = [Self.header] + rows
        let w = Self.table.widths(all)
        for row in all { print(row, w) }
        widths = w
        rows = []
    }

    private func print(_ row: [String], _ widths: [Int]) { output.line(Self.table.line(row, widths: widths)) }
}

/// JSON with the full node tree of every outcome, keys in a fixed order.
struct JSONOutcomeWriter: OutcomeWriter {
    let output: Output
    var first = true

    init(output: Output) { self.output = output }

    mutating func begin(program: Program) {
        output.out("{\n  \"program\": \(json(program.id)),\n  \"version\": \(json(program.version)),\n  \"outcomes\": [")
    }

    mutating func write(_ o: Outcome) {
        var s = first ? "\n" : ",\n"
        first = false
        s += "    {\"candidate\": \(json(o.candidate)), \"target\": \(json(o.target)), \"kind\": \(json(o.kind.rawValue)), "
        s += "\"score\": \(o.shownScore ?? "null"), \"max\": \(o.maxValue.text()), "
        s += "\"passed\": \(o.passed.map { $0 ? "true" : "false" } ?? "null"), \"status\": \(json(o.status.word)), "
        s += "\"reasons\": \(jsonArray(o.status.reasons)), \"flags\": \(jsonArray(o.flags)), "
        s += "\"tree\": \(o.root.map { node($0, indent: 6) } ?? "null")}"
        output.out(s)
    }

    mutating func end(diagnostics: [Diagnostic]) {
        var s = first ? "],\n" : "\n  ],\n"
        s += "  \"diagnostics\": ["
        s += diagnostics.map {
            "\n    {\"file\": \(json($0.location.file)), \"line\": \($0.location.line), \"severity\": \(json($0.severity.rawValue)), \"code\": \(json($0.code)), \"message\": \(json($0.message))}"
        }.joined(separator: ",")
        s += diagnostics.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        output.out(s)
    }

    private func node(_ n: NodeOutcome, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var s = "{\"node\": \(json(n.node)), \"scorer\": \(json(n.scorer)), \"score\": \(n.shownScore ?? "null"), "
        s += "\"max\": \(n.maxValue.text()), "
        if let w = n.weightValue { s += "\"weight\": \(w.text()), " }
        s += "\"status\": \(json(n.skipped ? "skipped" : n.status.word)), \"explanation\": \(json(n.explanation)), "
        s += "\"sources\": \(jsonArray(n.sources.map(\.description))), \"flags\": \(jsonArray(n.flags)), \"children\": ["
        if !n.children.isEmpty {
            s += n.children.map { "\n" + pad + "  " + node($0, indent: indent + 2) }.joined(separator: ",") + "\n" + pad
        }
        return s + "]}"
    }
}

/// `s` as a JSON string literal: the shared escaper (``JSONText/quoted(_:)``), under the short name the CLI's
/// JSON writers use.
func json(_ s: String) -> String { JSONText.quoted(s) }

func jsonArray(_ items: [String]) -> String { "[" + items.map(json).joined(separator: ", ") + "]" }

/// XML (`urn:assay:outcomes:1`) with the full node tree.
struct XMLOutcomeWriter: OutcomeWriter {
    let output: Output

    init(output: Output) { self.output = output }

    mutating func begin(program: Program) {
        output.out(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<outcomes xmlns=\"urn:assay:outcomes:1\" program=\(xml(program.id)) version=\(xml(program.version))>\n")
    }

    mutating func write(_ o: Outcome) {
        var s = "  <outcome candidate=\(xml(o.candidate)) target=\(xml(o.target)) kind=\(xml(o.kind.rawValue))"
        if let score = o.shownScore { s += " score=\"\(score)\"" }
        s += " max=\"\(o.maxValue.text())\""
        if let p = o.passed { s += " passed=\"\(p)\"" }
        s += " status=\"\(o.status.word)\">\n"
        for r in o.status.reasons { s += "    <reason>\(xmlText(r))</reason>\n" }
        for f in o.flags { s += "    <flag>\(xmlText(f))</flag>\n" }
        if let root = o.root { s += node(root, indent: 4) }
        s += "  </outcome>\n"
        output.out(s)
    }

    mutating func end(diagnostics: [Diagnostic]) {
        var s = ""
        for d in diagnostics {
            s += "  <diagnostic file=\(xml(d.location.file)) line=\"\(d.location.line)\" severity=\"\(d.severity.rawValue)\" code=\(xml(d.code))>\(xmlText(d.message))</diagnostic>\n"
        }
        output.out(s + "</outcomes>\n")
    }

    private func node(_ n: NodeOutcome, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var s = "\(pad)<node id=\(xml(n.node)) scorer=\(xml(n.scorer))"
        if let score = n.shownScore { s += " score=\"\(score)\"" }
        s += " max=\"\(n.maxValue.text())\""
        if let w = n.weightValue { s += " weight=\"\(w.text())\"" }
        s += " status=\"\(n.skipped ? "skipped" : n.status.word)\">\n"
        if !n.explanation.isEmpty { s += "\(pad)  <explanation>\(xmlText(n.explanation))</explanation>\n" }
        for src in n.sources { s += "\(pad)  <source>\(xmlText(src.description))</source>\n" }
        for f in n.flags { s += "\(pad)  <flag>\(xmlText(f))</flag>\n" }
        for c in n.children { s += node(c, indent: indent + 2) }
        return s + "\(pad)</node>\n"
    }
}

func xmlText(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
}

func xml(_ s: String) -> String { "\"" + xmlText(s).replacingOccurrences(of: "\"", with: "&quot;") + "\"" }

