import AssayLoader
import AssayModel
import Foundation
import Testing

/// A control character written into an evidence attribute as a character reference (`judge="J1&#10;J9"`, a
/// C1 character such as U+0085) would break every table line and `--explain` it is printed in, and an id
/// holding one is not the id anyone typed. Each is an error at the attribute's line:column; the item is not
/// counted; its candidate is in doubt; a candidate whose id holds one is not scored under that id.
@Suite("Control characters in evidence XML attributes")
struct ControlCharacterEvidenceTests {
    static let text = """
        <?xml version="1.0" encoding="UTF-8"?>
        <evidence xmlns="urn:assay:evidence:1" program="faults">
          <candidate id="S0">
            <grade target="C" node="exam" value="45"/>
            <grade target="C" node="lab" value="30.5"/>
          </candidate>
          <candidate id="S1">
            <grade target="C" node="exam&#10;x" value="45"/>
            <grade target="C" node="lab" value="30"/>
          </candidate>
          <candidate id="S2&#9;">
            <grade target="C" node="exam" value="45"/>
          </candidate>
          <candidate id="S3">
            <grade target="C" node="exam" value="50"/>
            <grade target="C" node="lab" value="2&#x85;0" reason="checked&#10;twice"/>
          </candidate>
          <candidate id="S9">
            <grade target="C" node="exam" value="50"/>
            <grade target="C" node="lab" value="20"/>
          </candidate>
        </evidence>
        """

    @Test("each is an error at its attribute's line:column; the valid candidates score as before; no id with a control character is output")
    func refused() throws {
        let r = try EvidenceFaultTests.run("control.xml", Self.text)
        let p = r.path
        #expect(
            r.diagnostics.map(\.formatted) == [
                "\(p):8:23: error: the node of <grade> in candidate 'S1' holds the control character U+000A (a line break); the <grade> is not counted, and no credit is issued to the candidate until the evidence is corrected [evidence-control-character]",
                "\(p):11:14: error: the id of a <candidate> holds the control character U+0009 (a tab); its items are not scored [evidence-control-character]",
                "\(p):16:34: error: the value of <grade> in candidate 'S3' holds the control character U+0085; the <grade> is not counted, and no credit is issued to the candidate until the evidence is corrected [evidence-control-character]",
            ])
        #expect(r.outcomes.allSatisfy { id in !id.candidate.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } })
        #expect(EvidenceFaultTests.find(r.outcomes, "S0", "C")?.score == dec("75.5"))
        #expect(EvidenceFaultTests.find(r.outcomes, "S9", "C")?.score == dec("70"))
        #expect(EvidenceFaultTests.find(r.outcomes, "S0", "C")?.status == .complete)
        #expect(
            EvidenceFaultTests.find(r.outcomes, "S1", "C")?.status.reasons.first
                == "<grade>'s node holds the control character U+000A (a line break); the <grade> is not counted: remove the character (\(p):8)")
        #expect(
            EvidenceFaultTests.find(r.outcomes, "", "C")?.status.reasons.first
                == "this <candidate>'s id holds a control character; its items are not scored (\(p):11)")
        // The free-text reason may hold a line break: S3 is refused for its value, not for its reason.
        #expect(r.diagnostics.filter { $0.message.contains("reason") }.isEmpty)
    }
}
