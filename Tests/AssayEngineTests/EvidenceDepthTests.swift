import AssayEngine
import AssayLoader
import AssayModel
import Foundation
import Testing

/// Evidence XML nested far deeper than evidence ever is: the reader stops at the depth the rubric loader allows
/// (256, libxml2's limit without XML_PARSE_HUGE), says where, and what came before is scored as without it.
@Suite("Evidence nested too deep is refused at the depth the rubric loader allows")
struct EvidenceDepthTests {
    /// S0 valid; S1 with one grade, then `<a>` nested `levels` deep; S2 valid, after it.
    static func text(nesting levels: Int) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <evidence xmlns="urn:assay:evidence:1" program="faults">
          <candidate id="S0">
            <grade target="C" node="exam" value="45"/>
            <grade target="C" node="lab" value="30.5"/>
          </candidate>
          <candidate id="S1">
            <grade target="C" node="exam" value="50"/>

        """ + String(repeating: "<a>", count: levels) + String(repeating: "</a>", count: levels) + """

          </candidate>
          <candidate id="S2">
            <grade target="C" node="exam" value="40"/>
            <grade target="C" node="lab" value="20"/>
          </candidate>
        </evidence>

        """
    }

    @Test("1,000,000 levels (7 MB): one error at line 9, column 763 (the 257th level); S0 scored exactly; S1 marked; a few lines of output")
    func millionDeep() throws {
        let data = Data(Self.text(nesting: 1_000_000).utf8)
        #expect(data.count > 7_000_000)
        let r = try EvidenceFaultTests.run("deep.xml", data)
        // Levels: <evidence> 1, <candidate> 2, the first <a> 3, so the 255th <a> (column 1 + 254 × 3) is level 257.
        #expect(
            r.diagnostics.map(\.formatted) == [
                "\(r.path):9:1: error: <a> in candidate 'S1' is not an evidence item (use mark, measure, grade, deduction, certificate, award or artifact); it is not counted, and no credit is issued to the candidate until it is corrected [evidence-unknown-item]",
                "\(r.path):9:763: error: the evidence file nests elements more than 256 deep here; evidence needs three levels (<evidence>, <candidate>, its items), and nothing from here on is read [xml-too-deep]"
            ])
        #expect(r.outcomes.map { "\($0.candidate) \($0.target)" } == ["S0 C", "S1 C", "S1 *"])
        let s0 = try #require(EvidenceFaultTests.find(r.outcomes, "S0", "C"))
        #expect(s0.status == .complete)
        #expect(s0.score == dec("75.5"))
        #expect(s0.passed == true)
        #expect(
            EvidenceFaultTests.find(r.outcomes, "S1", "C")?.status
                == .incomplete([
                    "the evidence file nests elements too deep at line 9 (see the error for \(r.path)); this candidate's items from there on are not read (\(r.path):9)",
                    "lab: nothing recorded",
                ]))
        // The first <a> is reported once; what is inside it is not read (no problem per level).
        #expect(
            EvidenceFaultTests.find(r.outcomes, "S1", "*")?.status
                == .incomplete([
                    "<a> is not an evidence item (use mark, measure, grade, deduction, certificate, award or artifact); it is not counted (\(r.path):9)"
                ]))
        let reasons = r.outcomes.flatMap(\.status.reasons).joined()
        #expect(reasons.utf8.count < 1_000)
    }

    @Test("256 levels are read (the <a> reported once, S2 scored); 257 are refused")
    func boundary() throws {
        // <evidence> and <candidate> are 2 levels: 254 <a> reach level 256.
        let within = try EvidenceFaultTests.run("deep-256.xml", Self.text(nesting: 254))
        // The first <a> is a misspelt item to the reader (an error once, not per level); S1 is in doubt.
        #expect(within.diagnostics.map { "\($0.code) \($0.location.line):\($0.location.column ?? 0)" } == ["evidence-unknown-item 9:1"])
        #expect(within.outcomes.map { "\($0.candidate) \($0.target)" } == ["S0 C", "S1 C", "S1 *", "S2 C"])
        #expect(EvidenceFaultTests.find(within.outcomes, "S1", "C")?.status == .incomplete(["lab: nothing recorded"]))
        #expect(EvidenceFaultTests.find(within.outcomes, "S2", "C")?.score == dec("60"))
        #expect(EvidenceFaultTests.find(within.outcomes, "S0", "C")?.score == dec("75.5"))

        let beyond = try EvidenceFaultTests.run("deep-257.xml", Self.text(nesting: 255))
        #expect(beyond.diagnostics.map { "\($0.code) \($0.location.line):\($0.location.column ?? 0)" } == ["evidence-unknown-item 9:1", "xml-too-deep 9:763"])
        #expect(beyond.outcomes.map { "\($0.candidate) \($0.target)" } == ["S0 C", "S1 C", "S1 *"])
        #expect(EvidenceFaultTests.find(beyond.outcomes, "S0", "C")?.score == dec("75.5"))
    }

    @Test("nesting outside any candidate: one error for the element, one for the depth; the candidate before is scored")
    func deepOutsideCandidates() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <evidence xmlns="urn:assay:evidence:1" program="faults">
              <candidate id="S0">
                <grade target="C" node="exam" value="45"/>
                <grade target="C" node="lab" value="30.5"/>
              </candidate>

            """ + String(repeating: "<b>", count: 300_000) + String(repeating: "</b>", count: 300_000) + "\n</evidence>\n"
        let r = try EvidenceFaultTests.run("deep-outside.xml", text)
        #expect(
            r.diagnostics.map(\.formatted) == [
                "\(r.path):7:1: error: <b> must be inside a <candidate>; nothing inside it is read [evidence-invalid]",
                "\(r.path):7:766: error: the evidence file nests elements more than 256 deep here; evidence needs three levels (<evidence>, <candidate>, its items), and nothing from here on is read [xml-too-deep]",
            ])
        #expect(r.outcomes.map(\.candidate) == ["S0"])
        #expect(r.outcomes.first?.score == dec("75.5"))
    }
}
