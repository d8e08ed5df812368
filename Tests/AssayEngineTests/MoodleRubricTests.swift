import AssayEngine
import AssayLoader
import AssayModel
import Foundation
import Testing

/// Moodle's published rubric-grade cases (gradingform_rubric: grade_calculation.feature and
/// negative_points.feature), scored with rubrics/conformance/moodle-rubric.xml.
///
/// The rubric's comments give the rule: score = sum of the chosen levels' points; min/max possible = sums of the
/// criteria's lowest/highest levels; lock zero points: grade = max(0, score ÷ max possible × 100); otherwise
/// grade = (score − min possible) ÷ (max possible − min possible) × 100; shown with 2 decimals (half-up).
@Suite("Moodle analytic rubric grades (conformance)")
struct MoodleRubricTests {
    static let rubricPath = Repo.path("rubrics/conformance/moodle-rubric.xml")

    /// One of Moodle's cases: the course (formula and level set), the level labels chosen for c1, c2, c3.
    struct Case: Sendable, CustomTestStringConvertible {
        var course: String
        var picks: [String]
        var points: String
        var expected: String
        var passed: Bool

        var testDescription: String { "\(course): levels \(points) → \(expected)" }
    }

    static let cases: [Case] = [
        // grade_calculation.feature: levels {20,25,40,50} {20,25,30} {10,20}; the student gets 25 + 20 + 10 = 55.
        // Lock zero points: 55 ÷ 100 × 100 = 55.00.
        Case(course: "moodle-lzp", picks: ["L2", "L1", "L1"], points: "25+20+10", expected: "55.00", passed: true),
        // Min offset: min possible 20 + 20 + 10 = 50; (55 − 50) ÷ (100 − 50) × 100 = 10.00.
        Case(course: "moodle-mo", picks: ["L2", "L1", "L1"], points: "25+20+10", expected: "10.00", passed: false),
        // negative_points.feature: levels {-11,25,40,50} {-20,25,30} {10,20}, lock zero points (Moodle's default).
        // 25 + 30 + 10 = 65; 65 ÷ 100 × 100 = 65.00.
        Case(course: "moodle-neg-lzp", picks: ["L2", "L3", "L1"], points: "25+30+10", expected: "65.00", passed: true),
        // 25 − 20 + 10 = 15 → 15.00.
        Case(course: "moodle-neg-lzp", picks: ["L2", "L1", "L1"], points: "25-20+10", expected: "15.00", passed: false),
        // −11 − 20 + 10 = −21 → −21 ÷ 100 × 100 = −21, floored at the minimum grade: 0.00.
        Case(course: "moodle-neg-lzp", picks: ["L1", "L1", "L1"], points: "-11-20+10", expected: "0.00", passed: false),
        // The same negative levels under min offset: min possible −11 − 20 + 10 = −21, max possible 100.
        // (65 + 21) ÷ 121 × 100 = 8600 ÷ 121 = 71.0743… → 71.07.
        Case(course: "moodle-neg-mo", picks: ["L2", "L3", "L1"], points: "25+30+10", expected: "71.07", passed: true),
        // (15 + 21) ÷ 121 × 100 = 3600 ÷ 121 = 29.7520… → 29.75.
        Case(course: "moodle-neg-mo", picks: ["L2", "L1", "L1"], points: "25-20+10", expected: "29.75", passed: false),
        // (−21 + 21) ÷ 121 × 100 = 0.00.
        Case(course: "moodle-neg-mo", picks: ["L1", "L1", "L1"], points: "-11-20+10", expected: "0.00", passed: false),
        // Every criterion at its top level: 100.00 under both formulas.
        Case(course: "moodle-lzp", picks: ["L4", "L3", "L2"], points: "50+30+20", expected: "100.00", passed: true),
        Case(course: "moodle-mo", picks: ["L4", "L3", "L2"], points: "50+30+20", expected: "100.00", passed: true),
        // Every criterion at its lowest level: lock zero points 50 ÷ 100 = 50.00, min offset 0.00.
        Case(course: "moodle-lzp", picks: ["L1", "L1", "L1"], points: "20+20+10", expected: "50.00", passed: true),
        Case(course: "moodle-mo", picks: ["L1", "L1", "L1"], points: "20+20+10", expected: "0.00", passed: false),
    ]

    @Test("Moodle's rubric grade", arguments: cases)
    func grade(_ c: Case) throws {
        let program = try loadProgram(path: Self.rubricPath)
        #expect(program.id == "conformance-moodle-rubric")
        var ev = EvidenceBuilder(target: c.course)
        for (criterion, level) in zip(["c1", "c2", "c3"], c.picks) { ev.grade(criterion, level) }
        let o = try outcome(program, ev)
        #expect(o.status == .complete)
        #expect(o.score == dec(c.expected))
        #expect(o.shownScore == c.expected)
        #expect(o.max == 100)
        // pass="50" on every course.
        #expect(o.passed == c.passed)
        // The criteria score the chosen levels' points.
        let points = c.points.replacingOccurrences(of: "-", with: "+-").split(separator: "+").filter { !$0.isEmpty }.map { dec(String($0)) }
        #expect(o.root?.children.map(\.score) == points)
    }

    @Test("the published cases read from an evidence XML file: 55.00, 10.00, 65.00, 29.75 for one student")
    func fromEvidenceFile() throws {
        let program = try loadProgram(path: Self.rubricPath)
        let path = Repo.fixtures.appendingPathComponent("moodle/student.xml").path
        var outcomes: [Outcome] = []
        let diagnostics = EvidenceReader(program: program.id).read([path]) { outcomes += Engine(program: program).score($0) }
        #expect(diagnostics.map(\.formatted) == [])
        #expect(outcomes.map(\.target) == ["moodle-lzp", "moodle-mo", "moodle-neg-lzp", "moodle-neg-mo"])
        #expect(outcomes.map(\.shownScore) == ["55.00", "10.00", "65.00", "29.75"])
        #expect(outcomes.map(\.status) == Array(repeating: .complete, count: 4))
        #expect(outcomes.map(\.candidate) == Array(repeating: "moodle-student", count: 4))
    }

    @Test("a level label the criterion does not have makes the grade incomplete, with the label, the file and line, and the levels")
    func unknownLevel() throws {
        let program = try loadProgram(path: Self.rubricPath)
        var ev = EvidenceBuilder(target: "moodle-lzp")
        ev.grade("c1", "L2")
        ev.grade("c2", "L5")
        ev.grade("c3", "L1")
        let o = try outcome(program, ev)
        #expect(o.value == nil)
        #expect(o.passed == nil)
        #expect(o.status == .incomplete(["c2: 'L5' is not in the table (ev.xml:2); the table has L1, L2, L3"]))
    }

    @Test("a criterion with no level chosen makes the grade incomplete (never graded as if the criterion scored 0)")
    func missingCriterion() throws {
        let program = try loadProgram(path: Self.rubricPath)
        var ev = EvidenceBuilder(target: "moodle-mo")
        ev.grade("c1", "L2")
        ev.grade("c3", "L1")
        let o = try outcome(program, ev)
        #expect(o.value == nil)
        #expect(o.status == .incomplete(["c2: nothing recorded"]))
    }
}
