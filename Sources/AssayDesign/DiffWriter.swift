import AssayModel
import Foundation

/// Writes a ``DiffReport`` as text (fits 100 columns), CSV (one row per change for someone) or JSON. The same
/// report always gives the same bytes.
public enum DiffWriter {
    // MARK: - Text

    /// The rubric changes, then what changes for whom (outcomes, standings and awards, recognition decisions),
    /// each with the reasons, then a one-line summary. With nothing changing for anyone it says
    /// `no changes for anyone`.
    public static func text(_ r: DiffReport) -> String {
        let w = MatrixWriter.textWidth
        var out = TextLayout.paragraph(
            "What if: program \(r.oldProgram) version \(r.oldVersion) → \(r.newProgram) version \(r.newVersion), "
                + "on the evidence of \(count(r.candidates, "candidate")); recognition decided as of \(r.asOf)", width: w)
        out += "\nRubric changes: \(r.changes.isEmpty ? "no changes" : String(r.changes.count))\n"
        for c in r.changes { out += TextLayout.paragraph(c.words, width: w, first: "  ", rest: "      ") }
        if r.wordingChanges > 0 {
            out += TextLayout.paragraph(
                "(\(count(r.wordingChanges, "title or description", plural: "titles or descriptions")) "
                    + "\(r.wordingChanges == 1 ? "differs" : "differ"): "
                    + "wording changes no one's result)", width: w, first: "  ", rest: "   ")
        }
        func section(_ title: String, _ impacts: [Impact], label: (Impact) -> String) {
            guard !impacts.isEmpty else { return }
            out += "\n\(title) (\(impacts.count))\n"
            for i in impacts {
                out += TextLayout.paragraph("\(label(i)): \(i.from) → \(i.to)", width: w, first: "  ", rest: "      ")
                for reason in i.why { out += TextLayout.paragraph(reason, width: w, first: "      because ", rest: "        ") }
            }
        }
        section("Outcomes that change", r.outcomes) { "\($0.candidate) \($0.subject)" }
        section("Standings and awards that change", r.standings) { "\($0.subject) \($0.candidate)" }
        section("Recognition decisions that change", r.recognitions) { "\($0.candidate) rule \($0.subject)" }
        out += "\n"
        if r.nothingChanges {
            out += "Summary: \(r.changes.isEmpty ? "no rubric changes" : count(r.changes.count, "rubric change")); "
                + "no changes for anyone\n"
        } else {
            out += TextLayout.paragraph(
                "Summary: \(r.changes.isEmpty ? "no rubric changes" : count(r.changes.count, "rubric change")); "
                    + "changes for \(count(r.affectedCandidates.count, "candidate")): "
                    + "\(count(r.outcomes.count, "outcome")), \(count(r.standings.count, "standing")), "
                    + "\(count(r.recognitions.count, "recognition decision"))", width: w)
        }
        return out
    }

    private static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? noun : plural ?? noun + "s")
    }

    // MARK: - CSV

    /// `kind,candidate,subject,from,to,why`: one row per rubric change (`kind` = `rubric`, the change in
    /// `why`), then one per outcome, standing and recognition decision that changes; reasons joined by `; `.
    public static func csv(_ r: DiffReport) -> String {
        var out = "kind,candidate,subject,from,to,why\n"
        for c in r.changes {
            out += ["rubric", "", c.target ?? c.rule ?? "", "", "", c.words].map(CSVText.field).joined(separator: ",") + "\n"
        }
        for i in r.outcomes + r.standings + r.recognitions {
            out += [i.kind.rawValue, i.candidate, i.subject, i.from, i.to, i.why.joined(separator: "; ")]
                .map(CSVText.field).joined(separator: ",") + "\n"
        }
        return out
    }

    // MARK: - JSON

    private struct Document: Encodable {
        var old: Version
        var new: Version
        var asOf: String
        var candidates: Int
        var nothingChanges: Bool
        var rubricChanges: [RubricChange]
        var wordingChanges: Int
        var outcomes: [Impact]
        var standings: [Impact]
        var recognitions: [Impact]
    }

    private struct Version: Encodable {
        var program: String
        var version: String
    }

    /// The whole report as one JSON object (keys sorted).
    public static func json(_ r: DiffReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let doc = Document(
            old: Version(program: r.oldProgram, version: r.oldVersion), new: Version(program: r.newProgram, version: r.newVersion),
            asOf: r.asOf, candidates: r.candidates, nothingChanges: r.nothingChanges, rubricChanges: r.changes,
            wordingChanges: r.wordingChanges, outcomes: r.outcomes, standings: r.standings, recognitions: r.recognitions)
        // Strings, numbers and booleans only: encoding cannot fail.
        return String(decoding: try! encoder.encode(doc), as: UTF8.self) + "\n"
    }
}
