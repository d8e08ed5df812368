import AssayEngine
import AssayModel
import Foundation
import Testing

/// A judges' panel names its `scale` when it refuses a mark (issue 13, item 4): "above the maximum 3" did
/// not tell a chief judge that the rubric's missing `scale` parameter was the cause.
@Suite("judgement-panel: the scale in messages")
struct JudgesScaleScorerTests {
    static func rubric(_ params: String) -> String {
        programXML(
            competitionXML(
                "K",
                """
                <node id="total" scorer="sum" max="20">
                  <node id="A" kind="judgement" scorer="judgement-panel" max="10">
                    <param name="judges" value="5"/>\(params)
                  </node>
                  <node id="B" kind="measurement" scorer="value" max="10"/>
                </node>
                """))
    }

    func evidence(_ marks: [String]) -> EvidenceBuilder {
        var e = EvidenceBuilder(target: "K")
        e.marks("A", marks)
        e.grade("B", "8")
        return e
    }

    @Test("without scale: each refused mark says the default 3 applies because the node gives no scale")
    func defaultScale() throws {
        let program = try loadProgram(xml: Self.rubric(""))
        let o = try outcome(program, evidence(["7", "3", "2", "2", "3"]))
        #expect(o.status == .incomplete(["A: judge J1's mark 7 is above 3, the top of the judges' scale (the default: node 'A' gives no scale) (ev.xml:1)"]))
        // The valid entrant on the same rubric: 2.4 ÷ 3 × 10 = 8, plus B 8.
        let valid = try outcome(program, evidence(["2", "3", "2", "2", "3"]))
        #expect(valid.status == .complete)
        #expect(valid.value == 16)
    }

    @Test("with scale: the message names the parameter as written; marks out of 10 are accepted with scale 10")
    func givenScale() throws {
        let five = try loadProgram(xml: Self.rubric("<param name=\"scale\" value=\"5\"/>"))
        let o = try outcome(five, evidence(["7", "3", "2", "2", "3"]))
        #expect(o.status == .incomplete(["A: judge J1's mark 7 is above 5, the top of the judges' scale (scale=\"5\") (ev.xml:1)"]))
        let ten = try loadProgram(xml: Self.rubric("<param name=\"scale\" value=\"10\"/>"))
        let scored = try outcome(ten, evidence(["7", "8", "7", "8", "7"]))
        #expect(scored.status == .complete)
        // Mean 7.4 ÷ 10 × 10 = 7.4, plus B 8.
        #expect(scored.value == Exact(154, over: 10))
    }
}
