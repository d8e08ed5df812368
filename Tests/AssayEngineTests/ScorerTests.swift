import AssayEngine
import AssayLoader
import AssayModel
import Foundation
import Testing

// Every built-in scorer on a small rubric (written to a temporary file and loaded by RubricLoader, as `assay`
// does), with evidence built in code: items get origins ev.xml:1, ev.xml:2, … in the order they are added.
// Expected scores are worked out by hand in the comments and compared exactly; edge cases compare the exact
// reasons an outcome is incomplete.

// MARK: - Leaf scorers

@Suite("value scorer")
struct ValueScorerTests {
    static let rubric = programXML(
        courseXML("C", """
            <node id="total" scorer="sum" max="120">
              <node id="exam" scorer="value" max="100"/>
              <node id="scaled" scorer="value" max="10" missing="skip">
                <param name="scale-from" value="150"/>
              </node>
              <node id="again" scorer="value" max="10" missing="skip">
                <param name="source" value="scaled"/>
                <param name="scale-from" value="150"/>
              </node>
            </node>
            """))

    @Test("the recorded value itself: 82.5 → 82.5")
    func recorded() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("exam", "82.5")
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.status == .complete)
        #expect(o.score == dec("82.5"))
        #expect(o.node("exam")?.explanation == "recorded 82.5 (ev.xml:1)")
    }

    @Test("scale-from rescales: 120 out of 150 on a node of max 10 → 8; source reads the same value again → 8; total 82.5 + 8 + 8 = 98.5")
    func scaleFromAndSource() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("exam", "82.5")
        ev.grade("scaled", "120")
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.node("scaled")?.score == 8)
        #expect(o.node("again")?.score == 8)
        #expect(o.score == dec("98.5"))
    }

    @Test("a value above max is refused, with the file and line: 'value 100.5 is above the maximum 100'")
    func aboveMax() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("exam", "100.5")
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.value == nil)
        #expect(o.status == .incomplete(["exam: value 100.5 is above the maximum 100 (ev.xml:1)"]))
    }

    @Test("a value below min (0) is refused: 'value -1 is below the minimum 0'")
    func belowMin() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("exam", "-1")
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.status == .incomplete(["exam: value -1 is below the minimum 0 (ev.xml:1)"]))
    }

    @Test("scale-from refuses a value above the scale: 151 out of 150")
    func aboveScale() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("exam", "50")
        ev.grade("scaled", "151")
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        // The source node reads the same bad item and says so too.
        #expect(
            o.status == .incomplete([
                "scaled: value 151 is above the maximum 150 (ev.xml:2)", "again: value 151 is above the maximum 150 (ev.xml:2)",
            ]))
    }

    @Test("a label that is not a number: 'eighty' is not a number")
    func notANumber() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("exam", "eighty")
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.status == .incomplete(["exam: 'eighty' is not a number (ev.xml:1)"]))
    }

    @Test("two values where one is expected: both locations are named")
    func twoValues() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("exam", "70")
        ev.grade("exam", "75")
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.status == .incomplete(["exam: 2 values recorded where one is expected (ev.xml:1, ev.xml:2)"]))
    }

    @Test("decimal text is exact: 0.1 + 0.2 recorded on two nodes sums to exactly 0.3")
    func decimalExact() throws {
        let program = try loadProgram(
            xml: programXML(
                courseXML("C", pass: "0", """
                    <node id="total" scorer="sum" max="2">
                      <node id="a" scorer="value" max="1"/>
                      <node id="b" scorer="value" max="1"/>
                    </node>
                    """)))
        var ev = EvidenceBuilder(target: "C")
        ev.grade("a", "0.1")
        ev.grade("b", "0.2")
        #expect(try outcome(program, ev).score == dec("0.3"))
    }
}

@Suite("tolerance scorer")
struct ToleranceScorerTests {
    // Target 200 ± 5 → full marks (2); within ± 10 → partial-points (1); further → 0.
    static let rubric = programXML(
        courseXML("C", pass: "0", """
            <node id="kv" scorer="tolerance" max="2" kind="measurement">
              <param name="target" value="200"/>
              <param name="tolerance" value="5"/>
              <param name="partial-band" value="10"/>
              <param name="partial-points" value="1"/>
            </node>
            """))

    @Test(
        "full marks within ±5, partial within ±10, else 0 (boundaries inclusive)",
        arguments: [
            ("200", "2"), ("204", "2"), ("195", "2"), ("205.01", "1"), ("209.5", "1"), ("190", "1"), ("210.01", "0"),
            ("189", "0"), ("0", "0"),
        ])
    func bands(measured: String, expected: String) throws {
        var ev = EvidenceBuilder(target: "C")
        ev.measure("kv", measured)
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.status == .complete)
        #expect(o.score == dec(expected))
    }

    @Test("without a partial band: outside the tolerance is 0")
    func noBand() throws {
        let program = try loadProgram(
            xml: programXML(
                courseXML("C", pass: "0", """
                    <node id="kv" scorer="tolerance" max="2" kind="measurement">
                      <param name="target" value="1.5"/>
                      <param name="tolerance" value="0.05"/>
                    </node>
                    """)))
        for (measured, expected) in [("1.45", "2"), ("1.55", "2"), ("1.551", "0"), ("1.449", "0")] {
            var ev = EvidenceBuilder(target: "C")
            ev.measure("kv", measured)
            #expect(try outcome(program, ev).score == dec(expected), "measured \(measured)")
        }
    }

    @Test("a measurement that is not a number is refused with its location")
    func notANumber() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.measure("kv", "200kV")
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.status == .incomplete(["kv: '200kV' is not a number (ev.xml:1)"]))
    }
}

@Suite("checklist scorer")
struct ChecklistScorerTests {
    static func rubric(mode: String) -> String {
        programXML(
            courseXML("C", pass: "0", """
                <node id="pos" scorer="checklist" max="20">
                  <param name="items" value="10"/>
                  <param name="mode" value="\(mode)"/>
                </node>
                """))
    }

    @Test("proportional: 7 of 10 items × 20 = 14; 0 → 0; 10 → 20")
    func proportional() throws {
        let program = try loadProgram(xml: Self.rubric(mode: "proportional"))
        for (done, expected) in [("7", "14"), ("0", "0"), ("10", "20"), ("3", "6")] {
            var ev = EvidenceBuilder(target: "C")
            ev.grade("pos", done)
            #expect(try outcome(program, ev).score == dec(expected), "\(done) items")
        }
    }

    @Test("all-or-nothing: 10 of 10 → 20, 9 of 10 → 0")
    func allOrNothing() throws {
        let program = try loadProgram(xml: Self.rubric(mode: "all-or-nothing"))
        for (done, expected) in [("10", "20"), ("9", "0"), ("0", "0")] {
            var ev = EvidenceBuilder(target: "C")
            ev.grade("pos", done)
            #expect(try outcome(program, ev).score == dec(expected), "\(done) items")
        }
    }

    @Test("a part item and a count above the list are refused")
    func refused() throws {
        let program = try loadProgram(xml: Self.rubric(mode: "proportional"))
        var half = EvidenceBuilder(target: "C")
        half.grade("pos", "7.5")
        #expect(try outcome(program, half).status == .incomplete(["pos: items achieved 7.5 is not a whole number (ev.xml:1)"]))
        var eleven = EvidenceBuilder(target: "C")
        eleven.grade("pos", "11")
        #expect(try outcome(program, eleven).status == .incomplete(["pos: items achieved 11 is above the maximum 10 (ev.xml:1)"]))
        var negative = EvidenceBuilder(target: "C")
        negative.grade("pos", "-1")
        #expect(try outcome(program, negative).status == .incomplete(["pos: items achieved -1 is below the minimum 0 (ev.xml:1)"]))
    }
}

@Suite("lookup scorer")
struct LookupScorerTests {
    static let rubric = programXML(
        courseXML("C", pass: "0", """
            <node id="total" scorer="sum" max="15">
              <node id="label" scorer="lookup" max="5" missing="skip">
                <param name="table" value="A:5, B:4, C:2"/>
              </node>
              <node id="labelDefault" scorer="lookup" max="5" missing="skip">
                <param name="table" value="A:5, B:4, C:2"/>
                <param name="default" value="0"/>
              </node>
              <node id="numeric" scorer="lookup" max="5" missing="skip">
                <param name="table" value="50:1, 60:3, 80:5"/>
              </node>
              <node id="clamped" scorer="lookup" max="5" missing="skip">
                <param name="table" value="50:1, 60:3, 80:5"/>
                <param name="clamp" value="true"/>
              </node>
            </node>
            """))

    static func score(_ node: String, _ value: String) throws -> Outcome {
        var ev = EvidenceBuilder(target: "C")
        ev.grade(node, value)
        return try outcome(try loadProgram(xml: rubric), ev)
    }

    @Test("a label by exact match: B → 4, A → 5, C → 2")
    func label() throws {
        #expect(try Self.score("label", "B").score == 4)
        #expect(try Self.score("label", "A").score == 5)
        #expect(try Self.score("label", " C ").score == 2)
    }

    @Test("a label not in the table: incomplete, naming the label, its location and the table's keys")
    func unknownLabel() throws {
        #expect(try Self.score("label", "D").status == .incomplete(["label: 'D' is not in the table (ev.xml:1); the table has A, B, C"]))
        // Matching is exact: a lower-case b is not B.
        #expect(try Self.score("label", "b").status == .incomplete(["label: 'b' is not in the table (ev.xml:1); the table has A, B, C"]))
    }

    @Test("default: a label matching no key takes the default (0)")
    func defaultPoints() throws {
        let o = try Self.score("labelDefault", "D")
        #expect(o.status == .complete)
        #expect(o.score == 0)
        #expect(o.node("labelDefault")?.explanation == "'D' (ev.xml:1) matches no key; default 0")
    }

    @Test("numbers take the highest key not above them: 72 → 3 (key 60), 80 → 5, 60 → 3, 59.99 → 1, 50 → 1, 1000 → 5")
    func numeric() throws {
        for (v, expected) in [("72", "3"), ("80", "5"), ("60", "3"), ("59.99", "1"), ("50", "1"), ("1000", "5")] {
            #expect(try Self.score("numeric", v).score == dec(expected), "\(v)")
        }
    }

    @Test("a number below every key: incomplete without clamp; with clamp the lowest key's points (40 → 1)")
    func belowEveryKey() throws {
        #expect(
            try Self.score("numeric", "40").status == .incomplete(["numeric: '40' is not in the table (ev.xml:1); the table has 50, 60, 80"]))
        let clamped = try Self.score("clamped", "40")
        #expect(clamped.status == .complete)
        #expect(clamped.score == 1)
    }
}

// MARK: - Judges' panels

@Suite("judgement-panel scorer")
struct JudgementPanelScorerTests {
    // WorldSkills judgement: each judge 0…3 (scale 3) in half marks; mark = mean ÷ 3 × max (6).
    static let rubric = programXML(
        competitionXML("K", """
            <node id="total" scorer="sum" max="12">
              <node id="B1" scorer="judgement-panel" max="6" kind="judgement">
                <param name="judges" value="3"/>
                <param name="max-spread" value="1"/>
                <param name="mark-step" value="0.5"/>
              </node>
              <node id="B2" scorer="judgement-panel" max="6" kind="judgement" missing="skip">
                <param name="judges" value="5"/>
                <param name="drop" value="1"/>
              </node>
            </node>
            """))

    @Test("mean ÷ scale × max: J1 2, J2 2.5, J3 1.5 → mean 2 → 2 ÷ 3 × 6 = 4; a spread of exactly 1 is not flagged")
    func mean() throws {
        var ev = EvidenceBuilder(target: "K")
        ev.marks("B1", ["2", "2.5", "1.5"])
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.status == .complete)
        #expect(o.score == 4)
        #expect(o.flags == [])
        #expect(o.passed == nil)  // competitions have no pass mark
    }

    @Test("a mean that is not a whole decimal stays exact: 2, 3, 2 → 7/3 ÷ 3 × 6 = 14/3")
    func exactThirds() throws {
        var ev = EvidenceBuilder(target: "K")
        ev.marks("B1", ["2", "3", "2"])
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.value == Exact(14, over: 3))
    }

    @Test("judges more than max-spread apart are flagged for re-marking; the mark still counts: 1, 3, 2 → 4")
    func spreadFlag() throws {
        var ev = EvidenceBuilder(target: "K")
        ev.marks("B1", ["1", "3", "2"])
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.status == .complete)
        #expect(o.score == 4)
        let flag = "B1: judges J1 (1) and J2 (3) are 2 apart, more than 1: re-mark"
        #expect(o.flags == [flag])
        #expect(o.node("B1")?.flags == [flag])
    }

    @Test("drop 1 at each end of 5 judges: 0, 2, 2, 2, 3 → keep 2, 2, 2 → mean 2 → 4 (B1 2, 2, 2 → 4; total 8)")
    func drop() throws {
        var ev = EvidenceBuilder(target: "K")
        ev.marks("B1", ["2", "2", "2"])
        ev.marks("B2", ["0", "2", "2", "2", "3"])
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.node("B2")?.score == 4)
        #expect(o.score == 8)
    }

    @Test("a missing judge: '2 of 3 judges marked', listing who did")
    func missingJudge() throws {
        var ev = EvidenceBuilder(target: "K")
        ev.mark("B1", "J1", "2")
        ev.mark("B1", "J3", "2.5")
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.value == nil)
        #expect(o.status == .incomplete(["B1: 2 of 3 judges marked (J1 2 at ev.xml:1, J3 2.5 at ev.xml:2)"]))
    }

    @Test("more marks than judges is refused: 4 marks on a 3-judge panel, each with its place")
    func tooManyMarks() throws {
        var ev = EvidenceBuilder(target: "K")
        ev.marks("B1", ["2", "2.5", "1.5", "3"])
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.value == nil)
        #expect(
            o.status == .incomplete([
                "B1: 4 judges marked where the panel has 3 (J1 2 at ev.xml:1, J2 2.5 at ev.xml:2, J3 1.5 at ev.xml:3, J4 3 at ev.xml:4); remove the extra or mistyped mark"
            ]))
        #expect(o.node("B1")?.score == nil)
    }

    @Test("a mark off the half-mark step is refused: 2.3")
    func markStep() throws {
        var ev = EvidenceBuilder(target: "K")
        ev.marks("B1", ["2.3", "2", "2"])
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.status == .incomplete(["B1: judge J1's mark 2.3 is not a multiple of 0.5 (ev.xml:1)"]))
    }

    @Test("a mark above the scale is refused: 4 on a 0–3 scale")
    func outOfRange() throws {
        var ev = EvidenceBuilder(target: "K")
        ev.marks("B1", ["2", "4", "2"])
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.status == .incomplete(["B1: judge J2's mark 4 is above 3, the top of the judges' scale (the default: node 'B1' gives no scale) (ev.xml:2)"]))
    }

    @Test("a judge who marked twice is refused, naming both places")
    func markedTwice() throws {
        var ev = EvidenceBuilder(target: "K")
        ev.marks("B1", ["2", "2.5", "1.5"])
        ev.mark("B1", "J1", "3")
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(o.value == nil)
        #expect(o.status == .incomplete(["B1: judge J1 marked twice (ev.xml:1 and ev.xml:4)"]))
    }

    @Test("a mark that is not a number, and a value with no judge, are refused")
    func notAMarkAndNoJudge() throws {
        var ev = EvidenceBuilder(target: "K")
        ev.marks("B1", ["2", "two", "2"])
        ev.grade("B1", "2")
        let o = try outcome(try loadProgram(xml: Self.rubric), ev)
        #expect(
            o.status == .incomplete([
                "B1: judge J2's mark: 'two' is not a number (ev.xml:2)",
                "B1: a value without a judge where judges' marks are expected (ev.xml:4)",
            ]))
    }

    @Test("dropping 1 at each end needs at least 3 marks: 2 marks are too few")
    func tooFewToDrop() throws {
        let program = try loadProgram(
            xml: programXML(
                competitionXML("K", """
                    <node id="B2" scorer="judgement-panel" max="6" kind="judgement">
                      <param name="drop" value="1"/>
                    </node>
                    """)))
        var ev = EvidenceBuilder(target: "K")
        ev.marks("B2", ["2", "3"])
        #expect(try outcome(program, ev).status == .incomplete(["B2: 2 marks are too few to drop 1 at each end"]))
    }
}

@Suite("trimmed-mean scorer")
struct TrimmedMeanScorerTests {
    static let rubric = programXML(
        competitionXML("K", """
            <node id="total" scorer="sum" max="50">
              <node id="mean" scorer="trimmed-mean" max="10" kind="judgement" missing="skip">
                <param name="drop" value="1"/>
              </node>
              <node id="fina" scorer="trimmed-mean" max="30" kind="judgement" missing="skip">
                <param name="drop-by-panel" value="5:1, 7:2"/>
                <param name="combine" value="sum"/>
                <param name="mark-max" value="10"/>
                <param name="mark-step" value="0.5"/>
              </node>
              <node id="goe" scorer="trimmed-mean" max="5" min="-5" kind="judgement" missing="skip">
                <param name="drop" value="1"/>
                <param name="judges" value="5"/>
                <param name="mark-min" value="-5"/>
                <param name="mark-max" value="5"/>
                <param name="mark-step" value="1"/>
                <param name="max-spread" value="3"/>
              </node>
              <node id="plain" scorer="trimmed-mean" max="10" kind="judgement" missing="skip"/>
            </node>
            """))

    static func score(_ node: String, _ marks: [String]) throws -> Outcome {
        var ev = EvidenceBuilder(target: "K")
        ev.marks(node, marks)
        return try outcome(try loadProgram(xml: rubric), ev)
    }

    @Test("drop 1: 6, 7, 8, 9, 10 → keep 7, 8, 9 → mean 8")
    func dropOne() throws {
        let o = try Self.score("mean", ["9", "6", "10", "7", "8"])
        #expect(o.score == 8)
        #expect(o.node("mean")?.explanation == "judges J1 9, J2 6, J3 10, J4 7, J5 8; dropping 1 highest and 1 lowest leaves 7, 8, 9; mean of the rest 24 ÷ 3 = 8")
    }

    @Test("no drop: the plain mean, exact: 7, 8, 8 → 23/3")
    func noDrop() throws {
        #expect(try Self.score("plain", ["7", "8", "8"]).value == Exact(23, over: 3))
    }

    @Test("drop-by-panel, 5 judges drop 1: 6, 7, 8, 9, 10 → sum 7 + 8 + 9 = 24")
    func byPanelFive() throws {
        #expect(try Self.score("fina", ["6", "7", "8", "9", "10"]).score == 24)
    }

    @Test("drop-by-panel, 7 judges drop 2: 5, 6, 7, 8, 9, 10, 10 → sum 7 + 8 + 9 = 24")
    func byPanelSeven() throws {
        #expect(try Self.score("fina", ["10", "5", "9", "6", "8", "7", "10"]).score == 24)
    }

    @Test("drop-by-panel with a panel size the rubric does not list: 6 judges → incomplete, naming the sizes it knows")
    func byPanelUnknownSize() throws {
        let o = try Self.score("fina", ["6", "7", "8", "9", "10", "8"])
        #expect(o.status == .incomplete(["fina: 6 judges marked, but the rubric says how many to drop only for panels of 5, 7"]))
    }

    @Test("mark-max and mark-step apply to each judge's mark: 10.5 and 7.3 are refused")
    func markRange() throws {
        let o = try Self.score("fina", ["6", "10.5", "8", "7.3", "9"])
        #expect(
            o.status == .incomplete([
                "fina: judge J2's mark 10.5 is above the maximum 10 (ev.xml:2)",
                "fina: judge J4's mark 7.3 is not a multiple of 0.5 (ev.xml:4)",
            ]))
    }

    @Test("negative marks (GOE −5…5): −2, −1, −1, −1, 3 → drop −2 and 3 → mean −1; spread 5 > 3 is flagged")
    func negativeMarks() throws {
        let o = try Self.score("goe", ["-2", "-1", "-1", "-1", "3"])
        #expect(o.node("goe")?.score == -1)
        #expect(o.flags == ["goe: judges J1 (-2) and J5 (3) are 5 apart, more than 3: re-mark"])
        // The competition's sum of one skipped-aside child is that child.
        #expect(o.score == -1)
    }

    @Test("judges: 4 of 5 marked is incomplete; a mark below mark-min is refused")
    func judgesAndMarkMin() throws {
        #expect(
            try Self.score("goe", ["1", "2", "0", "1"]).status
                == .incomplete(["goe: 4 of 5 judges marked (J1 1 at ev.xml:1, J2 2 at ev.xml:2, J3 0 at ev.xml:3, J4 1 at ev.xml:4)"]))
        #expect(
            try Self.score("goe", ["1", "2", "0", "1", "-6"]).status == .incomplete(["goe: judge J5's mark -6 is below the minimum -5 (ev.xml:5)"]))
    }

    @Test("drop 1 at each end needs more than 2 marks")
    func tooFew() throws {
        #expect(try Self.score("mean", ["7", "8"]).status == .incomplete(["mean: 2 marks are too few to drop 1 at each end"]))
    }
}

// MARK: - Inner scorers

@Suite("sum, mean, weighted-mean, min, max, best-of-n, product")
struct AggregateScorerTests {
    @Test("sum: 7.5 + 12 = 19.5")
    func sum() throws {
        let program = try loadProgram(
            xml: programXML(
                courseXML("C", pass: "0", """
                    <node id="total" scorer="sum" max="30">
                      <node id="a" scorer="value" max="10"/>
                      <node id="b" scorer="value" max="20"/>
                    </node>
                    """)))
        var ev = EvidenceBuilder(target: "C")
        ev.grade("a", "7.5")
        ev.grade("b", "12")
        let o = try outcome(program, ev)
        #expect(o.score == dec("19.5"))
        #expect(o.root?.explanation == "a 7.5 + b 12 = 19.5")
    }

    @Test("mean of fractions: 15/20 and 4/10 → (0.75 + 0.4) ÷ 2 × 100 = 57.5")
    func mean() throws {
        let program = try loadProgram(
            xml: programXML(
                courseXML("C", pass: "0", """
                    <node id="total" scorer="mean" max="100">
                      <node id="a" scorer="value" max="20"/>
                      <node id="b" scorer="value" max="10"/>
                    </node>
                    """)))
        var ev = EvidenceBuilder(target: "C")
        ev.grade("a", "15")
        ev.grade("b", "4")
        #expect(try outcome(program, ev).score == dec("57.5"))
    }

    @Test("mean stays exact and rounds only where told: 1/3, 1/3, 2/3 → 400/9 = 44.444… → half-even 2 decimals 44.44")
    func meanThirds() throws {
        let program = try loadProgram(
            xml: programXML(
                courseXML("C", pass: "0", """
                    <node id="total" scorer="sum" max="200">
                      <node id="exact" scorer="mean" max="100">
                        <node id="a" scorer="value" max="3"/>
                        <node id="b" scorer="value" max="3"/>
                        <node id="c" scorer="value" max="3"/>
                      </node>
                      <node id="rounded" scorer="mean" max="100" round="half-even" decimals="2">
                        <node id="a2" scorer="value" max="3"><param name="source" value="a"/></node>
                        <node id="b2" scorer="value" max="3"><param name="source" value="b"/></node>
                        <node id="c2" scorer="value" max="3"><param name="source" value="c"/></node>
                      </node>
                    </node>
                    """)))
        var ev = EvidenceBuilder(target: "C")
        ev.grade("a", "1")
        ev.grade("b", "1")
        ev.grade("c", "2")
        let o = try outcome(program, ev)
        #expect(o.node("exact")?.value == Exact(400, over: 9))
        #expect(o.node("rounded")?.score == dec("44.44"))
        #expect(o.node("rounded")?.shownScore == "44.44")
        // 400/9 + 44.44 = 400/9 + 1111/25 = (10000 + 9999) / 225 = 19999/225
        #expect(o.value == Exact(19999, over: 225))
    }

    static let weighted = """
        <node id="total" scorer="weighted-mean" max="100">
          <node id="exam" weight="60" scorer="value" max="100"/>
          <node id="practical" weight="40" scorer="value" max="50" missing="POLICY"/>
        </node>
        """

    static func weightedProgram(missing: String) throws -> Program {
        try loadProgram(xml: programXML(courseXML("C", pass: "60", weighted.replacingOccurrences(of: "POLICY", with: missing))))
    }

    @Test("weighted-mean: 60 % × 80/100 + 40 % × 35/50 = 48 + 28 = 76")
    func weightedMean() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("exam", "80")
        ev.grade("practical", "35")
        let o = try outcome(try Self.weightedProgram(missing: "incomplete"), ev)
        #expect(o.score == 76)
        #expect(o.passed == true)
    }

    @Test("missing evidence, default policy: the outcome is incomplete ('practical: nothing recorded'), never a silent zero")
    func missingIncomplete() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("exam", "80")
        let o = try outcome(try Self.weightedProgram(missing: "incomplete"), ev)
        #expect(o.value == nil)
        #expect(o.passed == nil)
        #expect(o.status == .incomplete(["practical: nothing recorded"]))
        #expect(o.node("practical")?.status == .incomplete(["practical: nothing recorded"]))
    }

    @Test("missing=\"zero\": the part scores 0 and says so: 48 + 0 = 48, below the pass of 60")
    func missingZero() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("exam", "80")
        let o = try outcome(try Self.weightedProgram(missing: "zero"), ev)
        #expect(o.status == .complete)
        #expect(o.score == 48)
        #expect(o.passed == false)
        #expect(o.node("practical")?.explanation == "nothing recorded; counts as 0 (missing=\"zero\")")
    }

    @Test("missing=\"skip\" inside weighted-mean: the weights are renormalised: 60 × 0.8 ÷ 60 × 100 = 80")
    func missingSkip() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("exam", "80")
        let o = try outcome(try Self.weightedProgram(missing: "skip"), ev)
        #expect(o.status == .complete)
        #expect(o.score == 80)
        #expect(o.node("practical")?.skipped == true)
        #expect(o.node("practical")?.value == nil)
        #expect(o.root?.explanation == "60 % × 80/100 of 100 (weights present: 60) = 80")
    }

    @Test("missing=\"skip\" on every child: the parent has nothing and follows its own policy (incomplete)")
    func allSkipped() throws {
        let program = try loadProgram(
            xml: programXML(
                courseXML("C", pass: "0", """
                    <node id="total" scorer="weighted-mean" max="100">
                      <node id="a" weight="50" scorer="value" max="10" missing="skip"/>
                      <node id="b" weight="50" scorer="value" max="10" missing="skip"/>
                    </node>
                    """)))
        // Evidence for the course (so it has an outcome) but only for a node that is not in it.
        var ev = EvidenceBuilder(target: "C")
        ev.grade("zz", "1")
        let o = try outcome(program, ev)
        #expect(o.status == .incomplete(["grade for node 'zz', which C does not have (ev.xml:1)", "total: nothing recorded"]))
    }

    static let three = """
        <node id="a" scorer="value" max="10" missing="skip"/>
        <node id="b" scorer="value" max="10" missing="skip"/>
        <node id="c" scorer="value" max="10" missing="skip"/>
        """

    static func threeChildren(_ scorer: String, max: String = "10", params: String = "") throws -> Program {
        try loadProgram(
            xml: programXML(courseXML("C", pass: "0", "<node id=\"top\" scorer=\"\(scorer)\" max=\"\(max)\">\(params)\(three)</node>")))
    }

    static func scoreThree(_ program: Program, _ values: [String?]) throws -> Outcome {
        var ev = EvidenceBuilder(target: "C")
        for (node, v) in zip(["a", "b", "c"], values) { if let v { ev.grade(node, v) } }
        return try outcome(program, ev)
    }

    @Test("min and max: of 7, 9.5, 8 → 7 and 9.5")
    func minMax() throws {
        #expect(try Self.scoreThree(try Self.threeChildren("min"), ["7", "9.5", "8"]).score == 7)
        #expect(try Self.scoreThree(try Self.threeChildren("max"), ["7", "9.5", "8"]).score == dec("9.5"))
    }

    @Test("best-of-n, n=2: 7, 9.5, 8 → 9.5 + 8 = 17.5; combine=mean → 8.75")
    func bestOf() throws {
        let sum = try Self.threeChildren("best-of-n", max: "20", params: "<param name=\"n\" value=\"2\"/>")
        #expect(try Self.scoreThree(sum, ["7", "9.5", "8"]).score == dec("17.5"))
        let mean = try Self.threeChildren(
            "best-of-n", params: "<param name=\"n\" value=\"2\"/><param name=\"combine\" value=\"mean\"/>")
        #expect(try Self.scoreThree(mean, ["7", "9.5", "8"]).score == dec("8.75"))
        // A skipped attempt is not a 0: the best two of the two recorded.
        #expect(try Self.scoreThree(sum, ["7", nil, "8"]).score == 15)
    }

    @Test("best-of-n with fewer scored children than n: '1 scored, but the best 2 are needed'")
    func bestOfTooFew() throws {
        let sum = try Self.threeChildren("best-of-n", max: "20", params: "<param name=\"n\" value=\"2\"/>")
        let o = try Self.scoreThree(sum, [nil, "9", nil])
        #expect(o.status == .incomplete(["top: 1 scored, but the best 2 are needed"]))
    }

    @Test("product: execution 24 × DD 3.4 = 81.6; with factor 0.5 → 40.8; above the node's max it is flagged")
    func product() throws {
        func program(_ factor: String, max: String = "144") throws -> Program {
            try loadProgram(
                xml: programXML(
                    competitionXML("K", """
                        <node id="dive" scorer="product" max="\(max)">
                          <param name="factor" value="\(factor)"/>
                          <node id="exec" scorer="value" max="30"/>
                          <node id="dd" scorer="value" max="4.8"/>
                        </node>
                        """)))
        }
        var ev = EvidenceBuilder(target: "K")
        ev.grade("exec", "24")
        ev.measure("dd", "3.4")
        #expect(try outcome(try program("1"), ev).score == dec("81.6"))
        #expect(try outcome(try program("0.5"), ev).score == dec("40.8"))
        let over = try outcome(try program("1", max: "80"), ev)
        #expect(over.score == dec("81.6"))
        #expect(over.flags == ["dive: 81.6 is above the node's max of 80"])
    }

    @Test("an incomplete child makes its parent incomplete (never a partial sum), with the child's reason only once")
    func incompleteChild() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("a", "7")
        ev.grade("b", "eleven")
        ev.grade("c", "8")
        let sum = try Self.threeChildren("sum", max: "30")
        let bad = try outcome(sum, ev)
        #expect(bad.value == nil)
        #expect(bad.root?.value == nil)
        #expect(bad.status == .incomplete(["b: 'eleven' is not a number (ev.xml:2)"]))
        #expect(bad.node("a")?.score == 7)
    }
}

@Suite("threshold scorer")
struct ThresholdScorerTests {
    static let rubric = programXML(
        courseXML("C", pass: "0", """
            <node id="total" scorer="sum" max="25">
              <node id="leaf" scorer="threshold" max="10" missing="skip">
                <param name="at-least" value="60"/>
              </node>
              <node id="leafBelow" scorer="threshold" max="10" missing="skip">
                <param name="at-least" value="60"/>
                <param name="below" value="2"/>
              </node>
              <node id="inner" scorer="threshold" max="5" missing="skip">
                <param name="at-least" value="50"/>
                <node id="x" scorer="value" max="50" missing="skip"/>
                <node id="y" scorer="value" max="50" missing="skip"/>
              </node>
            </node>
            """))

    @Test("leaf: 60 → 10 (the line is inclusive), 59.5 → 0, with below=2 → 2")
    func leaf() throws {
        let program = try loadProgram(xml: Self.rubric)
        for (node, v, expected) in [("leaf", "60", "10"), ("leaf", "59.5", "0"), ("leafBelow", "59.5", "2"), ("leafBelow", "75", "10")] {
            var ev = EvidenceBuilder(target: "C")
            ev.grade(node, v)
            let o = try outcome(program, ev)
            #expect(o.node(node)?.score == dec(expected), "\(node) \(v)")
        }
    }

    @Test("inner: the children's sum against the line: 30 + 25 = 55 → 5; 20 + 25 = 45 → 0")
    func inner() throws {
        let program = try loadProgram(xml: Self.rubric)
        for (x, y, expected) in [("30", "25", "5"), ("20", "25", "0"), ("25", "25", "5")] {
            var ev = EvidenceBuilder(target: "C")
            ev.grade("x", x)
            ev.grade("y", y)
            #expect(try outcome(program, ev).node("inner")?.score == dec(expected), "\(x) + \(y)")
        }
    }

    @Test("leaf: a value that is not a number is refused")
    func notANumber() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("leaf", "pass")
        #expect(try outcome(try loadProgram(xml: Self.rubric), ev).status == .incomplete(["leaf: 'pass' is not a number (ev.xml:1)"]))
    }
}

@Suite("deduction scorer")
struct DeductionScorerTests {
    static func rubric(floor: String?) -> String {
        programXML(
            competitionXML("K", """
                <node id="routine" scorer="deduction" max="10">
                  \(floor.map { "<param name=\"floor\" value=\"\($0)\"/>" } ?? "")
                  <node id="exec" scorer="value" max="10"/>
                </node>
                """))
    }

    @Test("8 − 1.5 − 2 = 4.5, the reasons in the trace")
    func deductions() throws {
        var ev = EvidenceBuilder(target: "K")
        ev.grade("exec", "8")
        ev.deduction("routine", "1.5", reason: "fall")
        ev.deduction("routine", "2")
        let o = try outcome(try loadProgram(xml: Self.rubric(floor: nil)), ev)
        #expect(o.status == .complete)
        #expect(o.score == dec("4.5"))
        #expect(o.root?.explanation == "exec 8 = 8 −1.5 (fall) −2 = 4.5")
    }

    @Test("no deductions recorded: the children's sum")
    func none() throws {
        var ev = EvidenceBuilder(target: "K")
        ev.grade("exec", "8")
        #expect(try outcome(try loadProgram(xml: Self.rubric(floor: nil)), ev).score == 8)
    }

    @Test("never below the floor: 8 − 9 → floor 2; without a floor → 0")
    func floor() throws {
        var ev = EvidenceBuilder(target: "K")
        ev.grade("exec", "8")
        ev.deduction("routine", "9")
        #expect(try outcome(try loadProgram(xml: Self.rubric(floor: "2")), ev).score == 2)
        #expect(try outcome(try loadProgram(xml: Self.rubric(floor: nil)), ev).score == 0)
    }

    @Test("a negative or non-numeric deduction, and a grade recorded at the deduction node, are refused")
    func refused() throws {
        var ev = EvidenceBuilder(target: "K")
        ev.grade("exec", "8")
        ev.deduction("routine", "-1")
        ev.deduction("routine", "two")
        ev.grade("routine", "3")
        let o = try outcome(try loadProgram(xml: Self.rubric(floor: nil)), ev)
        #expect(o.value == nil)
        #expect(!o.status.isComplete)
        // The two refused deductions, exactly.
        #expect(
            o.status.reasons.filter { !$0.contains("(ev.xml:4)") } == [
                "routine: deduction '-1' is not a number of 0 or more (ev.xml:2)",
                "routine: deduction 'two' is not a number of 0 or more (ev.xml:3)",
            ])
        // The grade at line 4 is reported once, by the engine's check for items at inner nodes.
        #expect(
            o.status.reasons.filter { $0.contains("(ev.xml:4)") } == [
                "grade recorded at 'routine', which combines other nodes; record it at one of the nodes below it (ev.xml:4)"
            ])
    }
}

@Suite("rubric-levels scorer")
struct RubricLevelsScorerTests {
    // Criteria: c1 levels {0, 2, 4}, c2 levels {1, 3, 6}: min possible 0 + 1 = 1, max possible 4 + 6 = 10.
    static func rubric(_ formula: String) -> String {
        programXML(
            courseXML("C", pass: "5", """
                <node id="grade" scorer="rubric-levels" max="10" round="half-up" decimals="2">
                  <param name="formula" value="\(formula)"/>
                  <node id="c1" scorer="lookup" max="4"><param name="table" value="C:0, B:2, A:4"/></node>
                  <node id="c2" scorer="lookup" max="6" min="1"><param name="table" value="C:1, B:3, A:6"/></node>
                </node>
                """))
    }

    @Test("lock zero points: B + B = 2 + 3 = 5; 5 ÷ 10 × 10 = 5.00")
    func lockZero() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("c1", "B")
        ev.grade("c2", "B")
        let o = try outcome(try loadProgram(xml: Self.rubric("lock-zero-points")), ev)
        #expect(o.score == 5)
        #expect(o.shownScore == "5.00")
        #expect(o.passed == true)
    }

    @Test("min offset: (5 − 1) ÷ (10 − 1) × 10 = 40/9 = 4.444… → 4.44, below the pass of 5")
    func minOffset() throws {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("c1", "B")
        ev.grade("c2", "B")
        let o = try outcome(try loadProgram(xml: Self.rubric("min-offset")), ev)
        #expect(o.score == dec("4.44"))
        #expect(o.passed == false)
        #expect(o.root?.explanation == "levels c1 2 + c2 3 = 5; (5 − 1) ÷ (10 − 1) × 10 = 4.444444; rounded half-up to 2 decimal places: 4.44")
    }
}

// MARK: - Rounding

/// A rounding case: mode, value, decimals, expected.
struct RoundingCase: Sendable, CustomTestStringConvertible {
    var mode: Rounding.Mode
    var value: String
    var decimals: Int
    var expected: String
    var testDescription: String { "\(mode.rawValue) \(value) to \(decimals) → \(expected)" }
}

@Suite("rounding modes")
struct RoundingTests {
    /// rubrics/README.md's table (decimals 0): 2.5, 3.5, −2.5, 2.4, 2.6 under each mode.
    static let table: [(Rounding.Mode, [String])] = [
        (.halfUp, ["3", "4", "-3", "2", "3"]),
        (.halfEven, ["2", "4", "-2", "2", "3"]),
        (.halfDown, ["2", "3", "-2", "2", "3"]),
        (.up, ["3", "4", "-3", "3", "3"]),
        (.down, ["2", "3", "-2", "2", "2"]),
        (.floor, ["2", "3", "-3", "2", "2"]),
        (.ceiling, ["3", "4", "-2", "3", "3"]),
    ]

    static let cases: [RoundingCase] =
        table.flatMap { mode, results in
            zip(["2.5", "3.5", "-2.5", "2.4", "2.6"], results).map { RoundingCase(mode: mode, value: $0, decimals: 0, expected: $1) }
        } + [
            // DecimalMath.swift's examples (2 decimals), and their mirror images.
            RoundingCase(mode: .halfUp, value: "2.345", decimals: 2, expected: "2.35"),
            RoundingCase(mode: .halfUp, value: "-2.345", decimals: 2, expected: "-2.35"),
            RoundingCase(mode: .halfUp, value: "2.3449", decimals: 2, expected: "2.34"),
            RoundingCase(mode: .halfEven, value: "2.345", decimals: 2, expected: "2.34"),
            RoundingCase(mode: .halfEven, value: "2.355", decimals: 2, expected: "2.36"),
            RoundingCase(mode: .halfEven, value: "-2.345", decimals: 2, expected: "-2.34"),
            RoundingCase(mode: .halfEven, value: "2.3451", decimals: 2, expected: "2.35"),
            RoundingCase(mode: .halfDown, value: "2.345", decimals: 2, expected: "2.34"),
            RoundingCase(mode: .halfDown, value: "-2.345", decimals: 2, expected: "-2.34"),
            RoundingCase(mode: .halfDown, value: "2.3451", decimals: 2, expected: "2.35"),
            RoundingCase(mode: .up, value: "2.341", decimals: 2, expected: "2.35"),
            RoundingCase(mode: .up, value: "-2.341", decimals: 2, expected: "-2.35"),
            RoundingCase(mode: .up, value: "2.34", decimals: 2, expected: "2.34"),
            RoundingCase(mode: .down, value: "2.349", decimals: 2, expected: "2.34"),
            RoundingCase(mode: .down, value: "-2.349", decimals: 2, expected: "-2.34"),
            RoundingCase(mode: .floor, value: "-2.341", decimals: 2, expected: "-2.35"),
            RoundingCase(mode: .floor, value: "2.349", decimals: 2, expected: "2.34"),
            RoundingCase(mode: .ceiling, value: "2.341", decimals: 2, expected: "2.35"),
            RoundingCase(mode: .ceiling, value: "-2.349", decimals: 2, expected: "-2.34"),
            RoundingCase(mode: .halfUp, value: "-0.004", decimals: 2, expected: "0"),
            RoundingCase(mode: .halfUp, value: "99.995", decimals: 2, expected: "100"),
            RoundingCase(mode: .halfEven, value: "0.125", decimals: 2, expected: "0.12"),
            RoundingCase(mode: .halfEven, value: "0.135", decimals: 2, expected: "0.14"),
            RoundingCase(mode: .halfUp, value: "7", decimals: 2, expected: "7"),
        ]

    @Test("Decimal.rounded(_:)", arguments: cases)
    func decimalRounded(_ c: RoundingCase) {
        #expect(dec(c.value).rounded(Rounding(c.mode, decimals: c.decimals)) == dec(c.expected))
    }

    @Test("a node's round/decimals in a rubric (the engine's exact arithmetic)", arguments: cases)
    func nodeRounding(_ c: RoundingCase) throws {
        let program = try loadProgram(
            xml: programXML(
                courseXML("C", pass: "0", """
                    <node id="v" scorer="value" max="200" min="-200" round="\(c.mode.rawValue)" decimals="\(c.decimals)"/>
                    """)))
        var ev = EvidenceBuilder(target: "C")
        ev.grade("v", c.value)
        let o = try outcome(program, ev)
        #expect(o.score == dec(c.expected))
        #expect(o.node("v")?.decimals == c.decimals)
    }

    @Test("a node is rounded before its parent uses it: 2.5 + 2.5 rounded half-even to 0 decimals each = 4, not 5")
    func roundedBeforeParent() throws {
        let program = try loadProgram(
            xml: programXML(
                courseXML("C", pass: "0", """
                    <node id="total" scorer="sum" max="20">
                      <node id="a" scorer="value" max="10" round="half-even" decimals="0"/>
                      <node id="b" scorer="value" max="10" round="half-even" decimals="0"/>
                    </node>
                    """)))
        var ev = EvidenceBuilder(target: "C")
        ev.grade("a", "2.5")
        ev.grade("b", "2.5")
        #expect(try outcome(program, ev).score == 4)
    }
}

// MARK: - Pass marks and gates

@Suite("pass marks and must-reach gates")
struct GateTests {
    // Pass 60; the exam must reach 50 whatever the total.
    static let rubric = programXML(
        courseXML("C", pass: "60", """
            <node id="total" scorer="weighted-mean" max="100" round="half-up" decimals="1">
              <node id="exam" weight="60" scorer="value" max="100" must-reach="50"/>
              <node id="practical" weight="40" scorer="value" max="100"/>
            </node>
            """))

    static func score(exam: String, practical: String) throws -> Outcome {
        var ev = EvidenceBuilder(target: "C")
        ev.grade("exam", exam)
        ev.grade("practical", practical)
        return try outcome(try loadProgram(xml: rubric), ev)
    }

    @Test("exam 45, practical 100: total 0.6 × 45 + 0.4 × 100 = 67 ≥ 60, but the exam gate fails the course")
    func gateFails() throws {
        let o = try Self.score(exam: "45", practical: "100")
        #expect(o.status == .complete)
        #expect(o.score == 67)
        #expect(o.passed == false)
        #expect(o.flags == ["gate not met: exam scored 45, below the 50 it must reach"])
    }

    @Test("exam exactly 50 meets the gate: 30 + 40 = 70 → passed")
    func gateMet() throws {
        let o = try Self.score(exam: "50", practical: "100")
        #expect(o.score == 70)
        #expect(o.passed == true)
        #expect(o.flags == [])
    }

    @Test("gate met but total below the pass: 0.6 × 55 + 0.4 × 60 = 57 → failed, with no gate flag")
    func totalBelowPass() throws {
        let o = try Self.score(exam: "55", practical: "60")
        #expect(o.score == 57)
        #expect(o.passed == false)
        #expect(o.flags == [])
    }

    @Test("the pass mark is inclusive: 0.6 × 60 + 0.4 × 60 = 60 → passed")
    func passInclusive() throws {
        let o = try Self.score(exam: "60", practical: "60")
        #expect(o.score == 60)
        #expect(o.passed == true)
    }
}
