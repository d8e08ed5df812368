import AssayCLI
import Foundation
import Testing

/// Evidence that every command must refuse alike, run as a user runs the commands: a candidate that appears
/// twice in one file (score, results, recognize, diff), a look-alike attribute from another namespace
/// (recognize must not sign records from it), and elements nested a million deep (score stays small).
@Suite("assay refuses repeated candidates, look-alike attributes and deep nesting alike in every command", .serialized)
struct EvidenceRefusalCommandTests {
    /// Competition K: A + B, each a measured value out of 10.
    static let rubric = """
        <?xml version="1.0" encoding="UTF-8"?>
        <program xmlns="urn:assay:rubric:1" id="k" version="1" title="Repeat test">
          <post id="p" title="Test post"><requirement id="r1" title="A requirement"/></post>
          <competition id="K" title="Competition K">
            <node id="total" scorer="sum" max="20">
              <node id="A" scorer="value" max="10" kind="measurement"/>
              <node id="B" scorer="value" max="10" kind="measurement"/>
            </node>
          </competition>
        </program>

        """

    static func entrant(_ id: String, _ a: String, _ b: String) -> String {
        """
          <candidate id="\(id)">
            <measure target="K" node="A" value="\(a)"/>
            <measure target="K" node="B" value="\(b)"/>
          </candidate>

        """
    }

    static let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<evidence xmlns=\"urn:assay:evidence:1\" program=\"k\">\n"

    /// Writes the rubric and evidence files into a scratch folder; returns their paths.
    static func files(_ evidence: [String: String]) throws -> (dir: URL, rubric: String, evidence: [String: String]) {
        let dir = try RecordsCLI.scratch()
        let rubric = dir.appendingPathComponent("k.xml").path
        try Self.rubric.write(toFile: rubric, atomically: true, encoding: .utf8)
        var paths: [String: String] = [:]
        for (name, text) in evidence {
            let path = dir.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            paths[name] = path
        }
        return (dir, rubric, paths)
    }

    @Test("E1 twice in one file: score, results and diff exit 1 with the same error at file:line:column; results ranks E1 nowhere; E2 unchanged")
    func repeatedEveryCommand() throws {
        let f = try Self.files([
            "twice.xml": Self.head + Self.entrant("E1", "9", "9") + Self.entrant("E2", "8", "7") + Self.entrant("E1", "3", "4") + "</evidence>\n",
            "once.xml": Self.head + Self.entrant("E1", "9", "9") + Self.entrant("E2", "8", "7") + "</evidence>\n",
        ])
        defer { try? FileManager.default.removeItem(at: f.dir) }
        let twice = f.evidence["twice.xml"]!, once = f.evidence["once.xml"]!
        let error =
            "\(twice):11:3: error: candidate 'E1' appears again (first at line 3): neither appearance counts (no rank, no credit) until the evidence is corrected [candidate-repeated]\n"
        let reason =
            "candidate 'E1' appears again (first at line 3); put all of a candidate's items in one <candidate> element, or in separate files (\(twice):11)"

        // score: E1's repeat is incomplete with the reason; E2's line is what it is without the repeat.
        let score = runAssay(["score", f.rubric, twice, "--format", "csv"])
        #expect(score.code == 1)
        #expect(score.err == error)
        let clean = runAssay(["score", f.rubric, once, "--format", "csv"])
        #expect(clean.code == 0)
        #expect(clean.err == "")
        let lines = RecordsCLI.lines(score.out)
        let cleanLines = RecordsCLI.lines(clean.out)
        #expect(lines.filter { $0.hasPrefix("E2,") } == cleanLines.filter { $0.hasPrefix("E2,") })
        #expect(cleanLines.filter { $0.hasPrefix("E2,") } == ["E2,K,15,20,complete,"])
        #expect(lines.filter { $0.hasPrefix("E1,") }.last == "E1,K,,20,incomplete,\"\(reason)\"")

        // results: E1 is listed once, unranked, with the reason; E2 keeps its total.
        let results = runAssay(["results", f.rubric, "K", twice, "--format", "csv"])
        #expect(results.code == 1)
        #expect(results.err == error)
        #expect(
            RecordsCLI.lines(results.out) == [
                "rank,candidate,total,standardised,award,status", "1,E2,15,,,complete", ",E1,,,,\"incomplete: \(reason)\"",
            ])
        let cleanResults = runAssay(["results", f.rubric, "K", once, "--format", "csv"])
        #expect(cleanResults.code == 0)
        #expect(
            RecordsCLI.lines(cleanResults.out) == [
                "rank,candidate,total,standardised,award,status", "1,E1,18,,,complete", "2,E2,15,,,complete",
            ])

        // diff (the same rubric twice): nothing changes, but the input failed its check.
        let diff = runAssay(["diff", f.rubric, f.rubric, twice])
        #expect(diff.code == 1)
        #expect(diff.err == error)
        #expect(runAssay(["diff", f.rubric, f.rubric, once]).code == 0)
    }

    @Test("E1 again with nothing for the competition: diff's standings rank E1 under neither version, as results does")
    func repeatedEmptyDiff() throws {
        // Old: the sum (E2 11, E1 10, E3 4); new: the best of A and B (E1 9, E2 6, E3 2). Ranked, E1 would
        // move from 2nd to 1st and E2 from 1st to 2nd; unranked, nobody's standing changes.
        let f = try Self.files([
            "again.xml": Self.head + Self.entrant("E1", "9", "1") + Self.entrant("E2", "5", "6") + Self.entrant("E3", "2", "2")
                + "  <candidate id=\"E1\"/>\n</evidence>\n"
        ])
        defer { try? FileManager.default.removeItem(at: f.dir) }
        let new = f.dir.appendingPathComponent("k2.xml").path
        try Self.rubric.replacingOccurrences(of: "scorer=\"sum\" max=\"20\"", with: "scorer=\"max\" max=\"10\"")
            .replacingOccurrences(of: "version=\"1\"", with: "version=\"2\"").write(toFile: new, atomically: true, encoding: .utf8)
        let path = f.evidence["again.xml"]!
        let diff = runAssay(["diff", f.rubric, new, path, "--as-of", "2026-07-01"])
        #expect(diff.code == 1)
        #expect(
            diff.err
                == "\(path):15:3: error: candidate 'E1' appears again (first at line 3): neither appearance counts (no rank, no credit) until the evidence is corrected [candidate-repeated]\n"
        )
        #expect(!diff.out.contains("Standings and awards that change"))
        #expect(diff.out.contains("Summary: 2 rubric changes; changes for 3 candidates: 3 outcomes, 0 standings, 0 recognition\ndecisions"))
    }

    @Test("E1 again with nothing for the competition: results still does not rank E1; exit 1")
    func repeatedEmpty() throws {
        let f = try Self.files([
            "again.xml": Self.head + Self.entrant("E1", "9", "9") + Self.entrant("E2", "8", "7") + "  <candidate id=\"E1\"/>\n</evidence>\n"
        ])
        defer { try? FileManager.default.removeItem(at: f.dir) }
        let path = f.evidence["again.xml"]!
        let results = runAssay(["results", f.rubric, "K", path, "--format", "csv"])
        #expect(results.code == 1)
        #expect(
            results.err
                == "\(path):11:3: error: candidate 'E1' appears again (first at line 3): neither appearance counts (no rank, no credit) until the evidence is corrected [candidate-repeated]\n"
        )
        #expect(
            RecordsCLI.lines(results.out) == [
                "rank,candidate,total,standardised,award,status", "1,E2,15,,,complete",
                ",E1,,,,\"incomplete: candidate 'E1' appears again (first at line 3); put all of a candidate's items in one <candidate> element, or in separate files (\(path):11)\"",
            ])
    }

    @Test("the cohort with S2025001 again: recognize and diff exit 1 with the error at its line:column; S2025003's decisions unchanged")
    func repeatedRecognizeAndDiff() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cohortPath = RecordsCLI.root.appendingPathComponent(RecordsCLI.cohort).path
        let cohort = try String(contentsOfFile: cohortPath, encoding: .utf8)
        let end = try #require(cohort.range(of: "</evidence>", options: .backwards))
        let text = cohort.replacingCharacters(in: end, with: "  <candidate id=\"S2025001\"/>\n</evidence>")
        let path = dir.appendingPathComponent("twice.xml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let line = cohort[..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).count
        let error =
            "\(path):\(line):3: error: candidate 'S2025001' appears again (first at line 19): neither appearance counts (no rank, no credit) until the evidence is corrected [candidate-repeated]"

        let args = ["recognize", RecordsCLI.rubric, path, "--as-of", "2026-07-01", "--dry-run", "--format", "csv"]
        let recognize = runAssay(args)
        #expect(recognize.code == 1)
        #expect(RecordsCLI.lines(recognize.err).contains(error))
        let clean = runAssay(["recognize", RecordsCLI.rubric, RecordsCLI.cohort, "--as-of", "2026-07-01", "--dry-run", "--format", "csv"])
        let others = { (out: String) in RecordsCLI.lines(out).filter { $0.hasPrefix("S2025003,") } }
        #expect(others(recognize.out).count > 0)
        #expect(others(recognize.out) == others(clean.out))

        let diff = runAssay(["diff", RecordsCLI.rubric, RecordsCLI.rubric, path, "--as-of", "2026-07-01"])
        #expect(diff.code == 1)
        #expect(RecordsCLI.lines(diff.err).contains(error))
    }

    @Test("x:award=\"first\" beside award=\"third\": an error at 174:66, and recognize signs no record for S2025002; the others' records are the same")
    func lookAlikeAwardIssuesNothing() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cohort = try String(contentsOfFile: RecordsCLI.root.appendingPathComponent(RecordsCLI.cohort).path, encoding: .utf8)
        let real = "    <award competition=\"nmit-2025\" award=\"first\" date=\"2025-05-18\"/>"
        #expect(cohort.components(separatedBy: real).count == 2)
        let forged = cohort.replacingOccurrences(
            of: real, with: "    <award xmlns:x=\"urn:x\" competition=\"nmit-2025\" award=\"third\" x:award=\"first\" date=\"2025-05-18\"/>")
        let evidence = dir.appendingPathComponent("look-alike.xml").path
        try forged.write(toFile: evidence, atomically: true, encoding: .utf8)
        let key = dir.appendingPathComponent("issuer.pem").path
        #expect(runAssay(["keygen", "--out", key]).code == 0)

        let dry = runAssay(["recognize", RecordsCLI.rubric, evidence, "--as-of", "2026-07-01", "--dry-run"])
        #expect(dry.code == 1)
        let errLines = RecordsCLI.lines(dry.err)
        #expect(
            errLines.contains(
                "\(evidence):174:66: error: <award> in candidate 'S2025002' has the attribute x:award (namespace urn:x), which is not evidence: Assay reads only attributes without a prefix; the <award> is not counted, and no credit is issued to the candidate until the evidence is corrected [evidence-foreign-name]"
            ))
        #expect(
            errLines.contains(
                "assay: <award> has the attribute x:award (namespace urn:x), which is not evidence; the <award> is not counted: remove it (\(evidence):174): no credit is issued to S2025002 until the evidence is corrected"
            ))

        let db = dir.appendingPathComponent("forged.db").path
        let issuing = runAssay(["recognize", RecordsCLI.rubric, evidence, "--as-of", "2026-07-01", "--key", key, "--ledger", db])
        #expect(issuing.code == 1)
        let issued = RecordsCLI.lines(issuing.out).filter { $0.hasPrefix("issued ") }
        #expect(!issued.contains { $0.contains("  S2025002  ") })
        #expect(RecordsCLI.lines(issuing.out).contains { $0.hasPrefix("not issued  S2025002: ") })

        // The other candidates get exactly the records the clean cohort gives them.
        let cleanDB = dir.appendingPathComponent("clean.db").path
        let clean = runAssay(["recognize", RecordsCLI.rubric, RecordsCLI.cohort, "--as-of", "2026-07-01", "--key", key, "--ledger", cleanDB])
        let cleanIssued = RecordsCLI.lines(clean.out).filter { $0.hasPrefix("issued ") }
        #expect(cleanIssued.contains { $0.contains("  S2025002  ") })
        #expect(issued == cleanIssued.filter { !$0.contains("  S2025002  ") })
        #expect(!issued.isEmpty)
    }

    @Test("score on 7 MB nested 1,000,000 deep: exit 1, one error at 9:763, and a few hundred bytes of output")
    func deepScore() throws {
        let body = String(repeating: "<a>", count: 1_000_000) + String(repeating: "</a>", count: 1_000_000)
        let f = try Self.files([
            "deep.xml": Self.head + Self.entrant("E1", "9", "9") + "  <candidate id=\"E2\">\n    <measure target=\"K\" node=\"A\" value=\"8\"/>\n"
                + body + "\n  </candidate>\n" + Self.entrant("E3", "5", "5") + "</evidence>\n"
        ])
        defer { try? FileManager.default.removeItem(at: f.dir) }
        let path = f.evidence["deep.xml"]!
        let r = runAssay(["score", f.rubric, path, "--format", "csv"])
        #expect(r.code == 1)
        #expect(
            r.err
                == "\(path):9:1: error: <a> in candidate 'E2' is not an evidence item (use mark, measure, grade, deduction, certificate, award or artifact); it is not counted, and no credit is issued to the candidate until it is corrected [evidence-unknown-item]\n"
                + "\(path):9:763: error: the evidence file nests elements more than 256 deep here; evidence needs three levels (<evidence>, <candidate>, its items), and nothing from here on is read [xml-too-deep]\n"
        )
        let lines = RecordsCLI.lines(r.out)
        #expect(lines.first { $0.hasPrefix("E1,") } == "E1,K,18,20,complete,")
        #expect(lines.count == 4)
        #expect(r.out.utf8.count < 1_000)
    }
}
