import AssayModel
import AssayRecognition
import Foundation

/// Writes recognition decisions as they are made, in one of `assay recognize`'s formats. Same decisions, same
/// bytes.
protocol DecisionWriter {
    mutating func begin(program: Program, asOf: String)
    /// One candidate's decisions (one per rule, rubric order) and the evidence items that could not be counted.
    mutating func write(candidate: String, decisions: [RecognitionDecision], cap: Decimal?, problems: [String])
    mutating func end(diagnostics: [Diagnostic])
}

/// "exempt-course MIT-201, 4 credits, grade 95": the grant and, when granted, what it gives.
func decisionSummary(_ d: RecognitionDecision) -> String {
    var s = d.grant.code
    if let c = d.credits { s += ", \(c.plainText) credit\(c == 1 ? "" : "s")" }
    if let g = d.grade { s += ", grade \(g.plainText)" }
    if let by = d.verdict.supersedingRule { s += " (by \(by))" }
    return s
}

/// A block per candidate for the registrar: the total recognised, then each rule's verdict with its reason.
struct TextDecisionWriter: DecisionWriter {
    let output: Output
    var candidates = 0
    var counts: [String: Int] = [:]
    var credits = Decimal(0)
    var awaiting = 0

    init(output: Output) { self.output = output }

    mutating func begin(program: Program, asOf: String) {
        output.line("Credit recognition for program \(program.id) \(program.version), decision date \(asOf)")
    }

    mutating func write(candidate: String, decisions: [RecognitionDecision], cap: Decimal?, problems: [String]) {
        candidates += 1
        let total = decisions.compactMap(\.credits).reduce(Decimal(0), +)
        credits += total
        var tally: [String] = []
        for word in ["granted", "superseded", "capped", "refused"] {
            let n = decisions.filter { $0.verdict.word == word }.count
            counts[word, default: 0] += n
            // A refusal that waits on an incomplete result is not final: counted and shown as waiting.
            let final = word == "refused" ? n - decisions.filter(\.awaitingEvidence).count : n
            if final > 0 { tally.append("\(final) \(word)") }
        }
        let waiting = decisions.filter(\.awaitingEvidence).count
        if waiting > 0 { tally.append("\(waiting) waiting") }
        awaiting += waiting
        var s = "\n\(candidate): \(total.plainText) credit\(total == 1 ? "" : "s") recognised"
        s += cap.map { " (cap \($0.plainText))" } ?? ""
        s += "; " + tally.joined(separator: ", ") + "\n"
        for d in decisions {
            s += "  " + (d.awaitingEvidence ? "waiting" : d.verdict.word).padding(toLength: 12, withPad: " ", startingAt: 0) + d.ruleID + ": "
                + decisionSummary(d) + "\n"
            s += String(repeating: " ", count: 14) + d.reason + "\n"
        }
        for p in problems { s += "  not counted: \(p)\n" }
        output.out(s)
    }

    mutating func end(diagnostics: [Diagnostic]) {
        var s = "\n\(candidates) candidate\(candidates == 1 ? "" : "s"): \(counts["granted", default: 0]) granted "
        s += "(\(credits.plainText) credit\(credits == 1 ? "" : "s")), \(counts["superseded", default: 0]) superseded, "
        // A decision waiting on an incomplete result is not final: counted apart from the refusals.
        s += "\(counts["capped", default: 0]) capped, \(counts["refused", default: 0] - awaiting) refused"
        if awaiting > 0 { s += ", \(awaiting) waiting for incomplete results" }
        output.line(s)
    }
}

/// `candidate,rule,grant,verdict,credits,grade,reason` (RFC 4180).
struct CSVDecisionWriter: DecisionWriter {
    let output: Output

    init(output: Output) { self.output = output }

    mutating func begin(program: Program, asOf: String) { output.out("candidate,rule,grant,verdict,credits,grade,reason\n") }

    mutating func write(candidate: String, decisions: [RecognitionDecision], cap: Decimal?, problems: [String]) {
        var s = ""
        for d in decisions {
            s += [
                CSVText.field(candidate), CSVText.field(d.ruleID), CSVText.field(d.grant.code), d.awaitingEvidence ? "waiting" : d.verdict.word, d.credits?.plainText ?? "",
                d.grade?.plainText ?? "", CSVText.field(d.reason),
            ].joined(separator: ",") + "\n"
        }
        output.out(s)
    }

    mutating func end(diagnostics: [Diagnostic]) {}
}

/// Every decision with the evidence it rests on (canonical forms included), keys in a fixed order.
struct JSONDecisionWriter: DecisionWriter {
    let output: Output
    var first = true

    init(output: Output) { self.output = output }

    mutating func begin(program: Program, asOf: String) {
        output.out(
            "{\n  \"program\": \(json(program.id)),\n  \"version\": \(json(program.version)),\n  \"asOf\": \(json(asOf)),\n"
                + "  \"maxCredits\": \(program.recognition?.maxCredits?.plainText ?? "null"),\n  \"candidates\": [")
    }

    mutating func write(candidate: String, decisions: [RecognitionDecision], cap: Decimal?, problems: [String]) {
        var s = first ? "\n" : ",\n"
        first = false
        let total = decisions.compactMap(\.credits).reduce(Decimal(0), +)
        s += "    {\"candidate\": \(json(candidate)), \"credits\": \(total.plainText), \"notCounted\": \(jsonArray(problems)), "
        s += "\"decisions\": ["
        s += decisions.map { d in
            var e = "\n      {\"rule\": \(json(d.ruleID)), \"title\": \(d.ruleTitle.map(json) ?? "null"), "
            e += "\"grant\": \(grant(d.grant)), \"verdict\": \(json(d.verdict.word)), "
            e += "\"supersededBy\": \(d.verdict.supersedingRule.map(json) ?? "null"), "
            e += "\"credits\": \(d.credits?.plainText ?? "null"), \"grade\": \(d.grade?.plainText ?? "null"), "
            e += "\"awaitingEvidence\": \(d.awaitingEvidence), \"reason\": \(json(d.reason)), \"evidence\": ["
            e += d.evidence.map { u in
                "\n        {\"kind\": \(json(u.kind.rawValue)), \"description\": \(json(u.description)), "
                    + "\"canonical\": \(json(u.canonical)), \"origin\": \(u.origin.map { json($0.description) } ?? "null")}"
            }.joined(separator: ",")
            e += d.evidence.isEmpty ? "]}" : "\n      ]}"
            return e
        }.joined(separator: ",")
        s += decisions.isEmpty ? "]}" : "\n    ]}"
        output.out(s)
    }

    private func grant(_ g: Grant) -> String {
        switch g {
        case .exemptCourse(let ref, _):
            return "{\"kind\": \"exempt-course\", \"course\": \(json(ref))}"
        case .transferCredit(let ref, _, _, _):
            return "{\"kind\": \"transfer-credit\", \"course\": \(json(ref))}"
        case .exemptComponent(let cert, let component, _):
            return "{\"kind\": \"exempt-component\", \"certificate\": \(json(cert)), \"component\": \(json(component))}"
        }
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
}
