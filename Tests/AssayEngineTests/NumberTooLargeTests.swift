import AssayEngine
import AssayLoader
import AssayModel
import Foundation
import Testing

/// Scores beyond 64 bits (issue 13, item 3): a `product` of two in-range values of 1e10 used to recurse
/// without end in `Exact` and kill the run (SIGSEGV). Every scorer's arithmetic now gives an incomplete
/// outcome, "number too large", for the candidate concerned, and the rest of the batch is scored as before.
@Suite("Numbers too large to score")
struct NumberTooLargeTests {
    static let reason = Exact.tooLargeProblem

    /// Scores each candidate alone and returns outcome for target `target` by candidate id.
    func score(_ program: Program, _ candidates: [EvidenceBuilder], ids: [String]) throws -> [String: Outcome] {
        let engine = Engine(program: program)
        var result: [String: Outcome] = [:]
        for (e, id) in zip(candidates, ids) {
            let outcome = try #require(engine.score(e.candidate(id), explain: true).first { $0.target == e.target })
            result[id] = outcome
        }
        return result
    }

    @Test("a product of two 1e10 values is incomplete (number too large); the valid candidates score as before")
    func productOverflow() throws {
        let program = try loadProgram(
            xml: programXML(
                courseXML(
                    "C", pass: "1",
                    """
                    <node id="total" scorer="product" max="1000000000000000000">
                      <node id="a" scorer="value" max="10000000000"/>
                      <node id="b" scorer="value" max="10000000000"/>
                    </node>
                    """)))
        func ev(_ a: String, _ b: String) -> EvidenceBuilder {
            var e = EvidenceBuilder(target: "C")
            e.grade("a", a)
            e.grade("b", b)
            return e
        }
        let valid = try score(program, [ev("3", "4"), ev("2.5", "2")], ids: ["S1", "S3"])
        let batch = try score(program, [ev("3", "4"), ev("10000000000", "10000000000"), ev("2.5", "2")], ids: ["S1", "S2", "S3"])
        // The valid candidates: exactly as when scored without the overflowing one, and the numbers by hand.
        for id in ["S1", "S3"] {
            #expect(batch[id]?.value == valid[id]?.value)
            #expect(batch[id]?.status == .complete)
            #expect(batch[id]?.passed == true)
        }
        #expect(batch["S1"]?.value == 12)
        #expect(batch["S3"]?.value == 5)
        let bad = try #require(batch["S2"])
        #expect(bad.status == .incomplete(["total: \(Self.reason)"]))
        #expect(bad.value == nil)
        #expect(bad.passed == nil)
        #expect(bad.node("total")?.value == nil)
        #expect(bad.node("a")?.value == Exact(10_000_000_000))
    }

    /// Loads a rubric that `assay validate` refuses with number-too-large (and nothing else), as a library
    /// user could still pass it to the engine.
    func loadRefused(xml: String) throws -> Program {
        let path = try writeTemporaryFile("rubric.xml", xml)
        defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent()) }
        let result = RubricLoader(plugins: []).load(path)
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.code) == ["number-too-large"])
        return try #require(result.program)
    }

    @Test("a factor with 40 digits is refused by validate; the engine makes the product incomplete, not factor 1")
    func hugeFactor() throws {
        let program = try loadRefused(
            xml: programXML(
                courseXML(
                    "C",
                    """
                    <node id="total" scorer="product" max="100">
                      <param name="factor" value="1234567890123456789012345678901234567890"/>
                      <node id="a" scorer="value" max="10"/>
                    </node>
                    """)))
        var e = EvidenceBuilder(target: "C")
        e.grade("a", "2")
        let o = try outcome(program, e)
        #expect(
            o.status
                == .incomplete([
                    "total: number too large: parameter 'factor' is 1234567890123456789012345678901234567890, outside ±9223372036854775807, the range of numbers Assay scores with; correct the rubric (assay validate shows where)"
                ]))
    }

    @Test("sum, mean, weighted mean, best-of-n and deduction beyond 64 bits are incomplete, never wrapped or zero")
    func innerScorers() throws {
        let big = "9000000000000000000"
        let program = try loadProgram(
            xml: programXML(
                courseXML(
                    "sum", pass: "0",
                    """
                    <node id="total" scorer="sum" max="\(big)">
                      <node id="a" scorer="value" max="\(big)"/>
                      <node id="b" scorer="value" max="\(big)"/>
                    </node>
                    """)
                    + courseXML(
                        "best", pass: "0",
                        """
                        <node id="total" scorer="best-of-n" max="\(big)">
                          <param name="n" value="2"/>
                          <node id="a" scorer="value" max="\(big)"/>
                          <node id="b" scorer="value" max="\(big)"/>
                        </node>
                        """)
                    + courseXML(
                        "ded", pass: "0",
                        """
                        <node id="total" scorer="deduction" max="\(big)">
                          <node id="a" scorer="value" max="\(big)"/>
                        </node>
                        """)))
        for target in ["sum", "best"] {
            var e = EvidenceBuilder(target: target)
            e.grade("a", big)
            e.grade("b", big)
            let o = try outcome(program, e)
            #expect(o.status == .incomplete(["total: \(Self.reason)"]), "\(target)")
            // Just inside 64 bits: exact.
            var ok = EvidenceBuilder(target: target)
            ok.grade("a", "4611686018427387903")
            ok.grade("b", "4611686018427387904")
            #expect(try outcome(program, ok).value == Exact(plainText: "9223372036854775807"), "\(target)")
        }
        var e = EvidenceBuilder(target: "ded")
        e.grade("a", "5")
        e.deduction("total", big)
        e.deduction("total", big)
        // The deductions add up beyond 64 bits: not "floored at 0".
        #expect(try outcome(program, e).status == .incomplete(["total: \(Self.reason)"]))
    }

    @Test("a tolerance deviation or a threshold sum beyond 64 bits is incomplete, not 0 or full marks")
    func comparedOverflow() throws {
        let big = "9000000000000000000"
        let program = try loadProgram(
            xml: programXML(
                courseXML(
                    "tol", pass: "0",
                    """
                    <node id="m" scorer="tolerance" max="10">
                      <param name="target" value="-\(big)"/><param name="tolerance" value="1"/>
                    </node>
                    """)
                    + courseXML(
                        "thr", pass: "0",
                        """
                        <node id="gate" scorer="threshold" max="10">
                          <param name="at-least" value="5"/>
                          <node id="a" scorer="value" max="\(big)"/>
                          <node id="b" scorer="value" max="\(big)"/>
                        </node>
                        """)))
        var t = EvidenceBuilder(target: "tol")
        t.measure("m", big)
        #expect(try outcome(program, t).status == .incomplete(["m: \(Self.reason)"]))
        var near = EvidenceBuilder(target: "tol")
        near.measure("m", "-\(big)")
        #expect(try outcome(program, near).value == 10)
        var h = EvidenceBuilder(target: "thr")
        h.grade("a", big)
        h.grade("b", big)
        #expect(try outcome(program, h).status == .incomplete(["gate: \(Self.reason)"]))
    }

    @Test("judges' panels whose marks add up beyond 64 bits are incomplete")
    func panels() throws {
        let big = "9000000000000000000"
        let program = try loadProgram(
            xml: programXML(
                competitionXML(
                    "K",
                    """
                    <node id="total" scorer="sum" max="20">
                      <node id="T" kind="judgement" scorer="trimmed-mean" max="\(big)">
                        <param name="judges" value="3"/>
                      </node>
                      <node id="P" kind="judgement" scorer="judgement-panel" max="10">
                        <param name="judges" value="3"/><param name="scale" value="\(big)"/>
                      </node>
                    </node>
                    """)))
        var e = EvidenceBuilder(target: "K")
        e.marks("T", [big, big, big])
        e.marks("P", [big, big, big])
        let o = try outcome(program, e)
        #expect(o.status == .incomplete(["T: \(Self.reason)", "P: \(Self.reason)"]))
        var ok = EvidenceBuilder(target: "K")
        ok.marks("T", ["1", "2", "3"])
        ok.marks("P", ["0", "0", "0"])
        let good = try outcome(program, ok)
        #expect(good.value == 2, "\(good.status)")
    }
}

extension NumberTooLargeTests {
    @Test("lookup points beyond 64 bits are refused by validate; the engine makes the node incomplete, not 'not in the table'")
    func hugeLookupPoints() throws {
        let program = try loadRefused(
            xml: programXML(
                courseXML(
                    "C",
                    """
                    <node id="total" scorer="sum" max="100">
                      <node id="level" scorer="lookup" max="100">
                        <param name="table" value="A:100000000000000000000, B:50"/>
                      </node>
                    </node>
                    """)))
        var a = EvidenceBuilder(target: "C")
        a.grade("level", "A")
        let reason =
            "level: number too large: parameter 'table' has 100000000000000000000, outside ±9223372036854775807, the range of numbers Assay scores with; correct the rubric (assay validate shows where)"
        #expect(try outcome(program, a).status == .incomplete([reason]))
        // Every level of the table: the rubric is at fault, not the candidate's level.
        var b = EvidenceBuilder(target: "C")
        b.grade("level", "B")
        #expect(try outcome(program, b).status == .incomplete([reason]))
    }
}

extension NumberTooLargeTests {
    @Test("recorded values like 1e400 or with 40 digits make only their candidate incomplete, naming the item")
    func longEvidenceValues() throws {
        let program = try loadProgram(xml: programXML(courseXML("C", #"<node id="exam" scorer="value" max="100"/>"#)))
        let engine = Engine(program: program)
        var outcomes: [String: Outcome] = [:]
        for (id, value) in [("S1", "82.5"), ("S2", "1e400"), ("S3", "1234567890123456789012345678901234567890"), ("S4", "60")] {
            var e = EvidenceBuilder(target: "C")
            e.grade("exam", value)
            outcomes[id] = engine.score(e.candidate(id)).first
        }
        #expect(outcomes["S1"]?.value == Exact(165, over: 2))
        #expect(outcomes["S4"]?.value == 60)
        #expect(outcomes["S2"]?.status == .incomplete(["exam: '1e400' is not a number (ev.xml:1)"]))
        #expect(
            outcomes["S3"]?.status
                == .incomplete(["exam: '1234567890123456789012345678901234567890' has more digits than Assay keeps (18); round it (ev.xml:1)"]))
    }
}
