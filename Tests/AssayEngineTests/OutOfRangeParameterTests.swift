import AssayEngine
import AssayLoader
import AssayModel
import Foundation
import Testing

/// A scorer parameter beyond 64 bits, of either sign (review of issue 13, item 3). `Exact(Decimal)` used to
/// turn −1e20 into the positive "too large" value, which sorts above every number: a threshold at −1e20 failed
/// a recorded 5, a panel's mark-min of −1e20 refused every mark as "below the minimum too large". `assay
/// validate` now refuses such a rubric (NegativeTooLargeCommandTests); here the engine is given the program
/// without that check, as a library user could, and must still never compare or score with the number.
@Suite("Scorer parameters out of range, of either sign")
struct OutOfRangeParameterTests {
    static let range = "outside ±9223372036854775807, the range of numbers Assay scores with; correct the rubric (assay validate shows where)"

    /// A valid course scored beside the faulty one: its outcome must be the same as when scored alone.
    static let control = courseXML(
        "OK", pass: "5",
        """
        <node id="ok" scorer="threshold" max="10"><param name="at-least" value="4"/></node>
        """)

    /// Loads `xml` without requiring the meaning checks to pass (they refuse it) and returns the program and
    /// the codes of its errors.
    func loadUnchecked(_ xml: String) throws -> (Program, [String]) {
        let path = try writeTemporaryFile("rubric.xml", xml)
        defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent()) }
        let result = RubricLoader(plugins: []).load(path)
        return (try #require(result.program), result.diagnostics.filter { $0.severity == .error }.map(\.code))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// The faulty course's tree, with `NUMBER` where the out-of-range number goes.
        let tree: String
        let evidence: @Sendable (inout EvidenceBuilder) -> Void
        /// The reason after "C: ", with `NUMBER` for the number as written.
        let reason: String
        /// The course's score with `inRange` in place of the number (the scorer works when the number fits).
        let inRange: String
        let inRangeScore: Exact
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "threshold at-least",
            tree: #"<node id="t" scorer="threshold" max="10"><param name="at-least" value="NUMBER"/></node>"#,
            evidence: { $0.grade("t", "5") }, reason: "t: number too large: parameter 'at-least' is NUMBER, \(range)",
            inRange: "-1000000000000000000", inRangeScore: 10),
        Case(
            name: "threshold below",
            tree: #"<node id="t" scorer="threshold" max="10"><param name="at-least" value="6"/><param name="below" value="NUMBER"/></node>"#,
            evidence: { $0.grade("t", "5") }, reason: "t: number too large: parameter 'below' is NUMBER, \(range)",
            inRange: "-3", inRangeScore: -3),
        Case(
            name: "tolerance target",
            tree: #"<node id="t" scorer="tolerance" max="10"><param name="target" value="NUMBER"/><param name="tolerance" value="1"/></node>"#,
            evidence: { $0.measure("t", "5") }, reason: "t: number too large: parameter 'target' is NUMBER, \(range)",
            inRange: "-1000000000000000000", inRangeScore: 0),
        Case(
            name: "trimmed-mean mark-min",
            tree: #"<node id="t" scorer="trimmed-mean" max="10"><param name="mark-min" value="NUMBER"/></node>"#,
            evidence: { $0.marks("t", ["4", "6"]) }, reason: "t: number too large: parameter 'mark-min' is NUMBER, \(range)",
            inRange: "-1000000000000000000", inRangeScore: 5),
        Case(
            name: "deduction floor",
            tree: """
                <node id="t" scorer="deduction" max="10"><param name="floor" value="NUMBER"/>
                  <node id="a" scorer="value" max="10"/>
                </node>
                """,
            evidence: {
                $0.grade("a", "3")
                $0.deduction("t", "5")
            },
            reason: "t: number too large: parameter 'floor' is NUMBER, \(range)", inRange: "-1000000000000000000", inRangeScore: -2),
        Case(
            name: "lookup points",
            tree: #"<node id="t" scorer="lookup" max="10"><param name="table" value="A:NUMBER, B:4"/></node>"#,
            evidence: { $0.grade("t", "B") }, reason: "t: number too large: parameter 'table' has NUMBER, \(range)",
            inRange: "-1000000000000000000", inRangeScore: 4),
        Case(
            name: "lookup default",
            tree: #"<node id="t" scorer="lookup" max="10"><param name="table" value="A:5"/><param name="default" value="NUMBER"/></node>"#,
            evidence: { $0.grade("t", "A") }, reason: "t: number too large: parameter 'default' is NUMBER, \(range)",
            inRange: "-1000000000000000000", inRangeScore: 5),
    ]

    @Test("the outcome is incomplete (number too large) for a negative and a positive number; the other course is unchanged", arguments: cases)
    func refused(_ c: Case) throws {
        for number in ["-100000000000000000000", "100000000000000000000"] {
            let (program, codes) = try loadUnchecked(
                programXML(courseXML("C", pass: "1", c.tree.replacingOccurrences(of: "NUMBER", with: number)) + Self.control))
            #expect(codes == ["number-too-large"])
            var e = EvidenceBuilder(target: "C")
            c.evidence(&e)
            var ok = EvidenceBuilder(target: "OK")
            ok.grade("ok", "5")
            let outcomes = Engine(program: program).score(CandidateEvidence(id: "E1", items: e.items + ok.items), explain: true)
            let bad = try #require(outcomes.first { $0.target == "C" })
            #expect(bad.status == .incomplete([c.reason.replacingOccurrences(of: "NUMBER", with: number)]), "\(number)")
            #expect(bad.value == nil)
            #expect(bad.passed == nil)
            // The valid course: as when its program has nothing else.
            let alone = Engine(program: try loadProgram(xml: programXML(Self.control))).score(
                CandidateEvidence(id: "E1", items: ok.items), explain: true)
            let good = try #require(outcomes.first { $0.target == "OK" })
            #expect(good == alone.first)
            #expect(good.value == 10)
            #expect(good.status == .complete)
        }
        // With a number that fits, the same tree scores (so the refusal above is about the number alone).
        let program = try loadProgram(xml: programXML(courseXML("C", pass: "1", c.tree.replacingOccurrences(of: "NUMBER", with: c.inRange))))
        var e = EvidenceBuilder(target: "C")
        c.evidence(&e)
        let fits = try #require(Engine(program: program).score(e.candidate("E1")).first)
        #expect(fits.status == .complete)
        #expect(fits.value == c.inRangeScore)
    }

    @Test("a node's max or a course's pass beyond 64 bits gives no score nor pass/fail")
    func attributes() throws {
        let (program, _) = try loadUnchecked(
            programXML(
                courseXML(
                    "C", pass: "-100000000000000000000",
                    #"<node id="t" scorer="sum" max="10" min="-100000000000000000000"><node id="a" scorer="value" max="10"/></node>"#)))
        var e = EvidenceBuilder(target: "C")
        e.grade("a", "3")
        let outcome = try #require(Engine(program: program).score(e.candidate("E1")).first)
        #expect(
            outcome.status
                == .incomplete([
                    "t: number too large: min=\"-100000000000000000000\" is \(Self.range)",
                    "number too large: pass=\"-100000000000000000000\" is \(Self.range)",
                ]))
        #expect(outcome.passed == nil)
        #expect(outcome.value == nil)
    }

    @Test("a mark whose distance from mark-min passes 64 bits is too large, not 'not a multiple of the step'")
    func markStepOverflow() throws {
        let program = try loadProgram(
            xml: programXML(
                courseXML(
                    "C", pass: "1",
                    """
                    <node id="t" scorer="trimmed-mean" max="9000000000000000000">
                      <param name="mark-min" value="-9000000000000000000"/><param name="mark-step" value="1"/>
                    </node>
                    """)))
        var e = EvidenceBuilder(target: "C")
        e.marks("t", ["9000000000000000000", "0"])
        let outcome = try #require(Engine(program: program).score(e.candidate("E1")).first)
        #expect(outcome.status == .incomplete(["t: judge J1's mark 9000000000000000000: \(Exact.tooLargeProblem) (ev.xml:1)"]))
        var ok = EvidenceBuilder(target: "C")
        ok.marks("t", ["4", "-2"])
        #expect(try #require(Engine(program: program).score(ok.candidate("E2")).first).value == 1)
    }
}
