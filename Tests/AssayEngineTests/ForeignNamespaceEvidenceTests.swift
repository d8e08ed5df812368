import AssayEngine
import AssayLoader
import AssayModel
import Foundation
import Testing

/// Look-alikes from another namespace in evidence XML (`x:value` beside `value`, `<x:grade>`, `<grade xmlns="">`,
/// `x:id` on a candidate, `<x:candidate>`) are not evidence, as evidence.xsd says: each is the file's error at its
/// line:column, the item is not counted, the candidate's outcome says why, and the other candidates are scored
/// exactly as without them.
@Suite("Evidence in another namespace is refused at its place; the valid candidates are unchanged")
struct ForeignNamespaceEvidenceTests {
    /// S0 and S9 are valid; S1–S4 each carry one look-alike. Columns matter: the diagnostics name them.
    static let text = """
        <?xml version="1.0" encoding="UTF-8"?>
        <evidence xmlns="urn:assay:evidence:1" xmlns:x="urn:x" program="faults">
          <candidate id="S0">
            <grade target="C" node="exam" value="45"/>
            <grade target="C" node="lab" value="30.5"/>
          </candidate>
          <candidate id="S1">
            <grade target="C" node="exam" value="50"/>
            <grade target="C" node="lab" value="10" x:value="40"/>
          </candidate>
          <candidate id="S2">
            <grade target="C" node="exam" value="50"/>
            <x:grade target="C" node="lab" value="40"/>
          </candidate>
          <candidate id="S3">
            <grade target="C" node="exam" value="50"/>
            <grade xmlns="" target="C" node="lab" value="40"/>
          </candidate>
          <candidate id="S4" x:id="S0">
            <grade target="C" node="exam" value="50"/>
            <grade target="C" node="lab" value="40"/>
          </candidate>
          <x:candidate id="S5">
            <grade target="C" node="exam" value="60"/>
          </x:candidate>
          <candidate id="S9">
            <grade x:target="nmit" target="C" node="exam" value="50"/>
            <grade target="C" node="exam" value="50"/>
            <grade target="C" node="lab" value="20"/>
          </candidate>
        </evidence>
        """

    /// The same S0, and S9 without its look-alike.
    static let valid = """
        <?xml version="1.0" encoding="UTF-8"?>
        <evidence xmlns="urn:assay:evidence:1" program="faults">
          <candidate id="S0">
            <grade target="C" node="exam" value="45"/>
            <grade target="C" node="lab" value="30.5"/>
          </candidate>
          <candidate id="S9">
            <grade target="C" node="exam" value="50"/>
            <grade target="C" node="lab" value="20"/>
          </candidate>
        </evidence>
        """

    @Test("x:value, <x:grade>, <grade xmlns=\"\">, x:id and <x:candidate> are each an error at line:column; none is counted")
    func lookAlikes() throws {
        let r = try EvidenceFaultTests.run("look-alikes.xml", Self.text)
        let p = r.path
        #expect(
            r.diagnostics.map(\.formatted) == [
                "\(p):9:45: error: <grade> in candidate 'S1' has the attribute x:value (namespace urn:x), which is not evidence: Assay reads only attributes without a prefix; the <grade> is not counted, and no credit is issued to the candidate until the evidence is corrected [evidence-foreign-name]",
                "\(p):13:5: error: <x:grade> (namespace urn:x) in candidate 'S2' is not evidence: evidence elements are in urn:assay:evidence:1; it is not counted, and no credit is issued to the candidate until it is removed [evidence-foreign-name]",
                "\(p):17:5: error: <grade> (no namespace) in candidate 'S3' is not evidence: evidence elements are in urn:assay:evidence:1; it is not counted, and no credit is issued to the candidate until it is removed [evidence-foreign-name]",
                "\(p):19:22: error: candidate 'S4' has the attribute x:id (namespace urn:x), which is not evidence: Assay reads only attributes without a prefix, and issues no credit to the candidate until it is removed [evidence-foreign-name]",
                "\(p):23:3: error: <x:candidate> (namespace urn:x) is not evidence: evidence elements are in urn:assay:evidence:1; nothing inside it is read [evidence-foreign-name]",
                "\(p):27:12: error: <grade> in candidate 'S9' has the attribute x:target (namespace urn:x), which is not evidence: Assay reads only attributes without a prefix; the <grade> is not counted, and no credit is issued to the candidate until the evidence is corrected [evidence-foreign-name]",
            ])
        #expect(r.diagnostics.errorCount == 6)

        func status(_ id: String) -> OutcomeStatus? { EvidenceFaultTests.find(r.outcomes, id, "C")?.status }
        // S1: its lab grade is not counted — neither the 10 nor the look-alike 40.
        #expect(
            status("S1")
                == .incomplete([
                    "<grade> has the attribute x:value (namespace urn:x), which is not evidence; the <grade> is not counted: remove it (\(p):9)",
                    "lab: nothing recorded",
                ]))
        #expect(
            status("S2")
                == .incomplete([
                    "<x:grade> (namespace urn:x) is not evidence: evidence elements are in urn:assay:evidence:1; it is not counted (\(p):13)",
                    "lab: nothing recorded",
                ]))
        #expect(
            status("S3")
                == .incomplete([
                    "<grade> (no namespace) is not evidence: evidence elements are in urn:assay:evidence:1; it is not counted (\(p):17)",
                    "lab: nothing recorded",
                ]))
        // S4 keeps its own id (not the look-alike's S0); its grades are all there, but its evidence is in doubt.
        let s4 = try #require(EvidenceFaultTests.find(r.outcomes, "S4", "C"))
        #expect(s4.value == nil)
        #expect(s4.status == .incomplete(["<candidate> has the attribute x:id (namespace urn:x), which is not evidence; remove it (\(p):19)"]))
        // S9: the grade with x:target is left out; the same grade without it counts (the two are not a double).
        // Its evidence is in doubt as a whole all the same.
        #expect(
            status("S9")
                == .incomplete([
                    "<grade> has the attribute x:target (namespace urn:x), which is not evidence; the <grade> is not counted: remove it (\(p):27)"
                ]))
        // <x:candidate id="S5"> is no candidate: nothing of it is read.
        #expect(!r.outcomes.contains { $0.candidate == "S5" })
        #expect(r.outcomes.map(\.candidate) == ["S0", "S1", "S2", "S3", "S4", "S9"])

        // The valid candidate's outcome is exactly what it is without the look-alikes around it.
        let clean = try EvidenceFaultTests.run("valid.xml", Self.valid)
        #expect(clean.diagnostics.isEmpty)
        let s0 = try #require(EvidenceFaultTests.find(r.outcomes, "S0", "C"))
        let s0Clean = try #require(EvidenceFaultTests.find(clean.outcomes, "S0", "C"))
        // (The files differ in name, so their items' origins do: compare what is scored.)
        func scored(_ o: Outcome) -> String {
            "\(o.score.map { "\($0)" } ?? "—") \(o.passed.map { "\($0)" } ?? "—") \(o.status) "
                + ["exam", "lab"].map { "\($0)=\(o.node($0)?.score.map { "\($0)" } ?? "—")" }.joined(separator: " ")
        }
        #expect(scored(s0) == scored(s0Clean))
        #expect(s0.status == .complete)
        #expect(s0.score == dec("75.5"))
        #expect(s0.passed == true)
        #expect(EvidenceFaultTests.find(clean.outcomes, "S9", "C")?.score == dec("70"))
    }

    @Test("every look-alike problem puts the whole candidate in doubt (recognition issues it no credit)")
    func wholeCandidate() throws {
        let r = try EvidenceFaultTests.run("look-alikes.xml", Self.text)
        var doubted: [String] = []
        let path = try writeTemporaryFile("look-alikes.xml", Self.text)
        defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent()) }
        _ = EvidenceReader(program: "faults").read([path]) { c in
            if c.problems.contains(where: \.concernsWholeCandidate) { doubted.append(c.id) }
        }
        #expect(doubted == ["S1", "S2", "S3", "S4", "S9"])
        #expect(r.outcomes.filter { $0.status.isComplete }.map(\.candidate) == ["S0"])
    }

    @Test("xsi:schemaLocation on the root is accepted, as a schema validator accepts it")
    func schemaLocation() throws {
        let r = try EvidenceFaultTests.run(
            "xsi.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <evidence xmlns="urn:assay:evidence:1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                      xsi:schemaLocation="urn:assay:evidence:1 evidence.xsd" program="faults">
              <candidate id="S0">
                <grade target="C" node="exam" value="45"/>
                <grade target="C" node="lab" value="30.5"/>
              </candidate>
            </evidence>
            """)
        #expect(r.diagnostics.isEmpty)
        #expect(r.outcomes.map(\.status) == [.complete])
        #expect(r.outcomes.first?.value == Exact(755, over: 10))
    }
}
