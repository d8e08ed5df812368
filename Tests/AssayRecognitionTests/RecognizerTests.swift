import AssayEngine
import AssayLoader
import AssayModel
import AssayRecognition
import Foundation
import Testing

/// The program of Fixtures/recognition-base.xml: courses C1 (4 credits), C2 (3), C3 (5), C4 (2.5), each an exam
/// out of 100 with pass 60; competition `comp` with awards gold > silver > bronze; certificate `cert` (valid 5
/// years; levels junior 1 < intermediate 2 < senior 3; subjects theory and practical, out of 100, pass 60) and
/// `cert2` (no validity limit; basic < advanced). Each test puts its own rules on it.
enum Fixture {
    static let base: Program = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/recognition-base.xml").path
        let loaded = RubricLoader().load(path)
        guard let program = loaded.validProgram else {
            fatalError("the recognition fixture does not load: \(loaded.diagnostics.map(\.formatted))")
        }
        return program
    }()

    static func program(_ rules: [RecognitionRule], maxCredits: Decimal? = nil) -> Program {
        var p = base
        p.recognition = Recognition(maxCredits: maxCredits, rules: rules)
        return p
    }

    static func origin(_ line: Int) -> ItemOrigin { ItemOrigin(file: "evidence.xml", line: line) }

    static func certificate(_ ref: String, _ level: String, _ issued: String, serial: String? = "S1", line: Int = 10)
        -> HeldCertificate
    {
        HeldCertificate(ref: ref, level: level, issued: issued, serial: serial, origin: origin(line))
    }

    static func award(_ award: String, _ date: String, competition: String = "comp", line: Int = 20) -> WonAward {
        WonAward(competition: competition, award: award, date: date, origin: origin(line))
    }

    static func grade(_ target: String, _ node: String, _ value: String, line: Int = 30) -> EvidenceItem {
        EvidenceItem(kind: .grade, target: target, node: node, value: value, origin: origin(line))
    }

    static func candidate(
        _ id: String = "S1", grades: [EvidenceItem] = [], certificates: [HeldCertificate] = [], awards: [WonAward] = []
    ) -> CandidateEvidence {
        CandidateEvidence(id: id, items: grades, certificates: certificates, awards: awards)
    }

    /// Scores the candidate's courses with the Engine (totals only, as `assay recognize` does) and decides.
    static func decide(_ program: Program, asOf: String, _ c: CandidateEvidence) -> [RecognitionDecision] {
        let outcomes = Engine(program: program).score(c, tree: false)
        return Recognizer(program: program, asOf: asOf).decide(c, outcomes: outcomes)
    }

    static func rule(
        _ id: String, _ condition: Condition, _ grant: Grant, priority: Int = 0
    ) -> RecognitionRule {
        RecognitionRule(id: id, priority: priority, condition: condition, grant: grant)
    }

    static let o = Origin.synthetic()
    static func cert(_ ref: String = "cert", atLeast: String? = nil, within: Int? = nil, component: String? = nil, min: Decimal? = nil)
        -> Condition
    {
        .certificate(ref: ref, atLeast: atLeast, withinYears: within, component: component, minScore: min, origin: o)
    }
    static func won(_ atLeast: String, within: Int? = nil) -> Condition {
        .award(competition: "comp", atLeast: atLeast, withinYears: within, origin: o)
    }
    static func course(_ ref: String, min: Decimal? = nil) -> Condition { .course(ref: ref, minScore: min, origin: o) }
    static func exempt(_ ref: String) -> Grant { .exemptCourse(ref: ref, origin: o) }
    static func transfer(_ ref: String, grade: Decimal? = nil, map: [GradeMapEntry] = []) -> Grant {
        .transferCredit(course: ref, grade: grade, map: map, origin: o)
    }
    static func exemptSubject(_ component: String, of certificate: String = "cert") -> Grant {
        .exemptComponent(certificate: certificate, component: component, origin: o)
    }
}

@Suite("Certificate conditions: level by rank, validity windows, exam subjects")
struct CertificateConditionTests {
    typealias F = Fixture

    @Test("a certificate at a higher rank than at-least satisfies it; a lower one is refused with what was found")
    func levelByRank() throws {
        let p = F.program([
            F.rule("at-least-junior", F.cert(atLeast: "junior"), F.exempt("C1")),
            F.rule("at-least-senior", F.cert(atLeast: "senior"), F.exempt("C2")),
        ])
        let d = F.decide(p, asOf: "2025-09-01", F.candidate(certificates: [F.certificate("cert", "intermediate", "2024-01-10")]))
        #expect(d.map(\.verdict) == [.granted, .refused])
        #expect(d[0].reason == "holds cert at intermediate (serial S1), issued 2024-01-10")
        #expect(d[0].credits == 4)
        #expect(d[0].grade == nil)
        #expect(d[1].reason == "holds cert at intermediate (serial S1), issued 2024-01-10; the rule needs senior or higher")
        #expect(d[1].credits == nil)
        #expect(d[1].evidence.map(\.canonical) == ["certificate|ref=cert|level=intermediate|issued=2024-01-10|serial=S1"])
    }

    @Test("no certificate of the kind the rule names: 'holds no … certificate'")
    func noneHeld() {
        let p = F.program([F.rule("r", F.cert(atLeast: "junior"), F.exempt("C1"))])
        let d = F.decide(p, asOf: "2025-09-01", F.candidate(certificates: [F.certificate("cert2", "basic", "2024-01-10")]))
        #expect(d.map(\.verdict) == [.refused])
        #expect(d[0].reason == "holds no cert certificate")
        #expect(d[0].evidence.isEmpty)
    }

    @Test("within 3 years includes the third anniversary of the issue date and ends the day after")
    func windowBoundary() {
        let p = F.program([F.rule("r", F.cert(atLeast: "junior", within: 3), F.exempt("C1"))])
        let c = F.candidate(certificates: [F.certificate("cert", "junior", "2022-09-01")])
        let onTheDay = F.decide(p, asOf: "2025-09-01", c)
        #expect(onTheDay.map(\.verdict) == [.granted])
        #expect(onTheDay[0].reason == "holds cert at junior (serial S1), issued 2022-09-01, within 3 years of 2025-09-01")
        let dayAfter = F.decide(p, asOf: "2025-09-02", c)
        #expect(dayAfter.map(\.verdict) == [.refused])
        #expect(
            dayAfter[0].reason
                == "holds cert at junior (serial S1), issued 2022-09-01; the rule needs it issued within 3 years of the decision date 2025-09-02 (that window ended on 2025-09-01)"
        )
    }

    @Test("a window from 29 February ends on 28 February in a year without one, and on 29 February in a leap year")
    func leapDay() {
        let one = F.program([F.rule("r", F.cert(within: 1), F.exempt("C1"))])
        let c = F.candidate(certificates: [F.certificate("cert", "junior", "2024-02-29")])
        #expect(F.decide(one, asOf: "2025-02-28", c).map(\.verdict) == [.granted])
        let march = F.decide(one, asOf: "2025-03-01", c)
        #expect(march.map(\.verdict) == [.refused])
        #expect(march[0].reason.hasSuffix("within 1 years of the decision date 2025-03-01 (that window ended on 2025-02-28)"))
        let four = F.program([F.rule("r", F.cert("cert2", within: 4), F.exempt("C1"))])
        let c2020 = F.candidate(certificates: [F.certificate("cert2", "basic", "2020-02-29")])
        #expect(F.decide(four, asOf: "2024-02-29", c2020).map(\.verdict) == [.granted])
        #expect(F.decide(four, asOf: "2024-03-01", c2020).map(\.verdict) == [.refused])
    }

    @Test("a certificate issued after the decision date does not count")
    func issuedLater() {
        let p = F.program([F.rule("r", F.cert(atLeast: "junior"), F.exempt("C1"))])
        let d = F.decide(p, asOf: "2025-09-01", F.candidate(certificates: [F.certificate("cert", "junior", "2025-09-02")]))
        #expect(d.map(\.verdict) == [.refused])
        #expect(d[0].reason == "holds cert at junior (serial S1), but it was issued on 2025-09-02, after the decision date 2025-09-01")
    }

    @Test("a certificate past its own valid-years does not count, even when the rule sets no window")
    func ownValidity() {
        let p = F.program([
            F.rule("cert-any-date", F.cert(atLeast: "junior"), F.exempt("C1")),
            F.rule("cert2-any-date", F.cert("cert2"), F.exempt("C2")),
        ])
        let c = F.candidate(certificates: [
            F.certificate("cert", "senior", "2019-06-01"), F.certificate("cert2", "basic", "1999-01-01", serial: nil, line: 11),
        ])
        let d = F.decide(p, asOf: "2025-09-01", c)
        #expect(d.map(\.verdict) == [.refused, .granted])
        #expect(
            d[0].reason
                == "holds cert at senior (serial S1), issued 2019-06-01, but it is valid for 5 years, until 2024-06-01, before the decision date 2025-09-01"
        )
        #expect(d[1].reason == "holds cert2 at basic, issued 1999-01-01")
        #expect(d[1].evidence.map(\.canonical) == ["certificate|ref=cert2|level=basic|issued=1999-01-01|serial="])
        #expect(F.decide(p, asOf: "2024-06-01", c).map(\.verdict) == [.granted, .granted])
    }

    @Test("of several certificates the highest level counts; the refusal for dates names the latest at the right level")
    func severalCertificates() {
        let p = F.program([
            F.rule("any-level", F.cert(within: 3), F.exempt("C1")),
            F.rule("intermediate-recent", F.cert(atLeast: "intermediate", within: 1), F.exempt("C2")),
        ])
        let c = F.candidate(certificates: [
            F.certificate("cert", "junior", "2025-03-01", serial: "J"), F.certificate("cert", "intermediate", "2023-03-01", serial: "I"),
        ])
        let d = F.decide(p, asOf: "2025-09-01", c)
        #expect(d.map(\.verdict) == [.granted, .refused])
        #expect(d[0].reason == "holds cert at intermediate (serial I), issued 2023-03-01, within 3 years of 2025-09-01")
        #expect(
            d[1].reason
                == "holds cert at intermediate (serial I), issued 2023-03-01; the rule needs it issued within 1 years of the decision date 2025-09-01 (that window ended on 2024-03-01)"
        )
    }

    @Test("an exam-subject score: at least min-score holds, below is refused, none is refused, a faulty one awaits evidence")
    func component() {
        let p = F.program([F.rule("r", F.cert(atLeast: "junior", component: "practical", min: 75), F.exemptSubject("theory"))])
        let held = [F.certificate("cert", "junior", "2025-01-05")]
        let good = F.decide(p, asOf: "2025-09-01", F.candidate(grades: [F.grade("cert", "practical", "78")], certificates: held))
        #expect(good.map(\.verdict) == [.granted])
        #expect(
            good[0].reason
                == "holds cert at junior (serial S1), issued 2025-01-05, and scored 78 in the cert practical exam subject (75 or more needed)")
        #expect(
            good[0].evidence.map(\.canonical)
                == ["certificate|ref=cert|level=junior|issued=2025-01-05|serial=S1|component=practical|score=78|max=100"])
        #expect(good[0].credits == nil)

        let low = F.decide(p, asOf: "2025-09-01", F.candidate(grades: [F.grade("cert", "practical", "74.5")], certificates: held))
        #expect(low.map(\.verdict) == [.refused])
        #expect(
            low[0].reason
                == "holds cert at junior (serial S1), issued 2025-01-05, but scored 74.5 in the cert practical exam subject; the rule needs 75 or more"
        )
        #expect(low[0].awaitingEvidence == false)

        let none = F.decide(p, asOf: "2025-09-01", F.candidate(grades: [F.grade("cert", "theory", "90")], certificates: held))
        #expect(none[0].reason == "holds cert at junior (serial S1), issued 2025-01-05, but has no result in the cert practical exam subject")

        let faulty = F.decide(
            p, asOf: "2025-09-01", F.candidate(grades: [F.grade("cert", "practical", "120", line: 31)], certificates: held))
        #expect(faulty.map(\.verdict) == [.refused])
        #expect(faulty[0].awaitingEvidence)
        #expect(
            faulty[0].reason
                == "holds cert at junior (serial S1), issued 2025-01-05, but the result in the cert practical exam subject is incomplete (practical: value 120 is above the maximum 100 (evidence.xml:31)), and an incomplete result satisfies no condition"
        )
    }

    @Test("a component without min-score needs the subject's pass mark")
    func componentPassMark() {
        let p = F.program([F.rule("r", F.cert(component: "theory"), F.exemptSubject("practical"))])
        let held = [F.certificate("cert", "junior", "2025-01-05")]
        #expect(F.decide(p, asOf: "2025-09-01", F.candidate(grades: [F.grade("cert", "theory", "60")], certificates: held))[0].verdict == .granted)
        let d = F.decide(p, asOf: "2025-09-01", F.candidate(grades: [F.grade("cert", "theory", "59")], certificates: held))
        #expect(d[0].reason == "holds cert at junior (serial S1), issued 2025-01-05, but scored 59 in the cert theory exam subject; the rule needs 60 or more")
    }
}

@Suite("Award and course conditions; all and any")
struct AwardCourseConditionTests {
    typealias F = Fixture

    @Test("an award at least as good as at-least holds by the scheme's order; a lesser one is refused")
    func awardOrder() {
        let p = F.program([
            F.rule("silver-or-better", F.won("silver"), F.exempt("C1")),
            F.rule("gold", F.won("gold"), F.exempt("C2")),
        ])
        let silver = F.decide(p, asOf: "2025-09-01", F.candidate(awards: [F.award("silver", "2025-05-18")]))
        #expect(silver.map(\.verdict) == [.granted, .refused])
        #expect(silver[0].reason == "won silver in comp on 2025-05-18")
        #expect(silver[0].evidence.map(\.canonical) == ["award|competition=comp|award=silver|date=2025-05-18"])
        #expect(silver[1].reason == "won silver in comp on 2025-05-18; the rule needs gold or better")
        let none = F.decide(p, asOf: "2025-09-01", F.candidate())
        #expect(none.map(\.reason) == ["won no award in comp", "won no award in comp"])
        let best = F.decide(p, asOf: "2025-09-01", F.candidate(awards: [F.award("bronze", "2025-01-01"), F.award("gold", "2024-05-18")]))
        #expect(best[1].reason == "won gold in comp on 2024-05-18")
    }

    @Test("an award window of 2 years includes the second anniversary; an award after the decision date does not count")
    func awardWindow() {
        let p = F.program([F.rule("r", F.won("bronze", within: 2), F.exempt("C1"))])
        let c = F.candidate(awards: [F.award("silver", "2025-05-18")])
        #expect(F.decide(p, asOf: "2027-05-18", c)[0].reason == "won silver in comp on 2025-05-18, within 2 years of 2027-05-18")
        #expect(
            F.decide(p, asOf: "2027-05-19", c)[0].reason
                == "won silver in comp on 2025-05-18; the rule needs it won within 2 years of the decision date 2027-05-19 (that window ended on 2027-05-18)"
        )
        #expect(F.decide(p, asOf: "2025-05-17", c)[0].reason == "won silver in comp on 2025-05-18, after the decision date 2025-05-17")
    }

    @Test("a course score at least min-score holds; without min-score the course must be passed")
    func courseConditions() {
        let p = F.program([
            F.rule("c1-80", F.course("C1", min: 80), F.exemptSubject("theory")),
            F.rule("c2-passed", F.course("C2"), F.exemptSubject("practical")),
            F.rule("c3-passed", F.course("C3"), F.exempt("C4")),
        ])
        let c = F.candidate(grades: [F.grade("C1", "exam", "79.5"), F.grade("C2", "exam", "60")])
        let d = F.decide(p, asOf: "2025-09-01", c)
        #expect(d.map(\.verdict) == [.refused, .granted, .refused])
        #expect(d[0].reason == "scored 79.5 in C1; the rule needs 80 or more")
        #expect(d[0].evidence.map(\.canonical) == ["course-result|course=C1|score=79.5|max=100|passed=true"])
        #expect(d[1].reason == "passed C2 (60, pass mark 60)")
        #expect(d[2].reason == "has no result in C3 (no evidence for it)")
        let fail = F.decide(p, asOf: "2025-09-01", F.candidate(grades: [F.grade("C1", "exam", "80"), F.grade("C2", "exam", "59.9")]))
        #expect(fail[0].reason == "scored 80 in C1 (80 or more needed)")
        #expect(fail[1].reason == "did not pass C2 (59.9, pass mark 60)")
        #expect(fail[1].evidence.map(\.canonical) == ["course-result|course=C2|score=59.9|max=100|passed=false"])
    }

    @Test("an incomplete course result satisfies no condition, and the refusal says it awaits corrected evidence")
    func incompleteCourse() {
        let p = F.program([F.rule("r", F.course("C1", min: 50), F.exemptSubject("theory"))])
        let d = F.decide(p, asOf: "2025-09-01", F.candidate(grades: [F.grade("C1", "exam", "120", line: 7)]))
        #expect(d.map(\.verdict) == [.refused])
        #expect(d[0].awaitingEvidence)
        #expect(
            d[0].reason
                == "the C1 result is incomplete (exam: value 120 is above the maximum 100 (evidence.xml:7)), and an incomplete result satisfies no condition"
        )
    }

    @Test("all fails at its first failing condition; any lists every alternative; nesting combines them")
    func allAny() {
        let nested = Condition.all(
            [F.course("C1", min: 80), .any([F.cert(atLeast: "intermediate"), F.won("silver")], origin: F.o)], origin: F.o)
        let p = F.program([F.rule("nested", nested, F.exempt("C2"))])
        let both = F.candidate(
            grades: [F.grade("C1", "exam", "85")], certificates: [F.certificate("cert", "senior", "2024-01-01")],
            awards: [F.award("gold", "2025-05-18")])
        let d = F.decide(p, asOf: "2025-09-01", both)
        #expect(d.map(\.verdict) == [.granted])
        #expect(
            d[0].reason
                == "scored 85 in C1 (80 or more needed); holds cert at senior (serial S1), issued 2024-01-01; won gold in comp on 2025-05-18")
        #expect(
            d[0].evidence.map(\.canonical) == [
                "course-result|course=C1|score=85|max=100|passed=true",
                "certificate|ref=cert|level=senior|issued=2024-01-01|serial=S1",
                "award|competition=comp|award=gold|date=2025-05-18",
            ])

        let firstFails = F.decide(p, asOf: "2025-09-01", F.candidate(grades: [F.grade("C1", "exam", "70")]))
        #expect(firstFails[0].reason == "scored 70 in C1; the rule needs 80 or more")

        let anyFails = F.decide(
            p, asOf: "2025-09-01",
            F.candidate(grades: [F.grade("C1", "exam", "90")], certificates: [F.certificate("cert", "junior", "2024-01-01")]))
        #expect(anyFails.map(\.verdict) == [.refused])
        #expect(
            anyFails[0].reason
                == "no alternative holds: holds cert at junior (serial S1), issued 2024-01-01; the rule needs intermediate or higher; or won no award in comp"
        )
    }
}

@Suite("Grades, conflicts and the credit cap")
struct ConflictCapTests {
    typealias F = Fixture

    static let map = [
        GradeMapEntry(award: "gold", grade: 95), GradeMapEntry(level: "senior", grade: 92), GradeMapEntry(minScore: 90, grade: 91),
        GradeMapEntry(award: "silver", grade: 88),
    ]

    @Test("a transfer's grade is the first grade-map line met, else the fixed grade, else the rule is refused")
    func gradeMap() {
        let either = Condition.any([F.won("bronze"), F.cert(atLeast: "junior"), F.course("C1", min: 60)], origin: F.o)
        let p = F.program([
            F.rule("mapped", either, F.transfer("C2", grade: 80, map: Self.map)),
            F.rule("map-only", either, F.transfer("C3", map: [GradeMapEntry(award: "gold", grade: 99)])),
        ])
        let silverSenior = F.decide(
            p, asOf: "2025-09-01",
            F.candidate(certificates: [F.certificate("cert", "senior", "2024-01-01")], awards: [F.award("silver", "2025-05-18")]))
        #expect(silverSenior[0].grade == 92)
        #expect(silverSenior[0].reason.hasSuffix("; grade 92 by the grade map line for level senior"))
        #expect(silverSenior[1].verdict == .refused)
        #expect(
            silverSenior[1].reason
                == "the conditions hold (won silver in comp on 2025-05-18; holds cert at senior (serial S1), issued 2024-01-01), but no line of the grade map applies and the rule gives no fixed grade"
        )
        let score = F.decide(p, asOf: "2025-09-01", F.candidate(grades: [F.grade("C1", "exam", "90")]))
        #expect(score[0].grade == 91)
        #expect(score[0].reason == "scored 90 in C1 (60 or more needed); grade 91 by the grade map line for a score of 90 or more")
        let bronze = F.decide(p, asOf: "2025-09-01", F.candidate(awards: [F.award("bronze", "2025-05-18")]))
        #expect(bronze[0].grade == 80)
        #expect(bronze[0].credits == 3)
        #expect(bronze[0].reason == "won bronze in comp on 2025-05-18; grade 80 (no line of the grade map applies)")
    }

    @Test("of two rules granting the same course, the higher priority wins and the other is superseded with the reason")
    func priority() {
        let p = F.program([
            F.rule("cert-exempts", F.cert(atLeast: "junior"), F.exempt("C1"), priority: 5),
            F.rule("prize-transfers", F.won("bronze"), F.transfer("C1", grade: 85), priority: 10),
        ])
        let c = F.candidate(certificates: [F.certificate("cert", "junior", "2025-01-01")], awards: [F.award("bronze", "2025-05-18")])
        let d = F.decide(p, asOf: "2025-09-01", c)
        #expect(d.map(\.verdict) == [.superseded(byRule: "prize-transfers"), .granted])
        #expect(
            d[0].reason
                == "the conditions hold (holds cert at junior (serial S1), issued 2025-01-01), but rule prize-transfers also grants credit for course C1 and wins: a higher priority (10 over 5)"
        )
        #expect(d[0].credits == nil)
        #expect(d[1].credits == 4)
        #expect(d[1].grade == 85)
    }

    @Test("at the same priority the better grade wins, a grade beats none, and then the rule earlier in the rubric")
    func gradeThenOrder() {
        let cond = F.cert(atLeast: "junior")
        let c = F.candidate(certificates: [F.certificate("cert", "junior", "2025-01-01")])
        let better = F.decide(
            F.program([F.rule("at-85", cond, F.transfer("C1", grade: 85)), F.rule("at-90", cond, F.transfer("C1", grade: 90))]),
            asOf: "2025-09-01", c)
        #expect(better.map(\.verdict) == [.superseded(byRule: "at-90"), .granted])
        #expect(better[0].reason.hasSuffix("and wins: the same priority (0) and a better grade (90 over 85)"))
        let graded = F.decide(
            F.program([F.rule("exempt", cond, F.exempt("C1")), F.rule("graded", cond, F.transfer("C1", grade: 70))]),
            asOf: "2025-09-01", c)
        #expect(graded.map(\.verdict) == [.superseded(byRule: "graded"), .granted])
        #expect(graded[0].reason.hasSuffix("and wins: the same priority (0) and a grade (70) where this rule gives none"))
        let tie = F.decide(
            F.program([F.rule("first", cond, F.exemptSubject("theory")), F.rule("second", cond, F.exemptSubject("theory"))]),
            asOf: "2025-09-01", c)
        #expect(tie.map(\.verdict) == [.granted, .superseded(byRule: "first")])
        #expect(
            tie[1].reason
                == "the conditions hold (holds cert at junior (serial S1), issued 2025-01-01), but rule first also grants exemption from the cert theory exam subject and wins: the same priority (0) and grade, and it comes first in the rubric"
        )
    }

    @Test("a refused rule does not compete: the only rule whose condition holds is granted")
    func refusedDoesNotCompete() {
        let p = F.program([
            F.rule("high-but-refused", F.won("gold"), F.transfer("C1", grade: 99), priority: 50),
            F.rule("low", F.cert(atLeast: "junior"), F.exempt("C1")),
        ])
        let d = F.decide(p, asOf: "2025-09-01", F.candidate(certificates: [F.certificate("cert", "junior", "2025-01-01")]))
        #expect(d.map(\.verdict) == [.refused, .granted])
    }

    @Test("the cap counts granted credits in rubric order; a grant that would pass it is capped and a later smaller one still fits")
    func cap() {
        let cond = F.cert(atLeast: "junior")
        let p = F.program(
            [
                F.rule("c1", cond, F.exempt("C1")), F.rule("c3", cond, F.exempt("C3")), F.rule("c4", cond, F.exempt("C4")),
                F.rule("subject", cond, F.exemptSubject("theory")), F.rule("c2", cond, F.exempt("C2")),
            ], maxCredits: 8)
        let d = F.decide(p, asOf: "2025-09-01", F.candidate(certificates: [F.certificate("cert", "junior", "2025-01-01")]))
        #expect(d.map(\.verdict) == [.granted, .capped, .granted, .granted, .capped])
        #expect(d.map(\.credits) == [4, nil, 2.5, nil, nil])
        #expect(
            d[1].reason
                == "the conditions hold (holds cert at junior (serial S1), issued 2025-01-01), but its 5 credits would bring S1's recognised credits to 9, above the program's cap of 8 (4 already recognised)"
        )
        #expect(d[4].reason.hasSuffix("but its 3 credits would bring S1's recognised credits to 9.5, above the program's cap of 8 (6.5 already recognised)"))
        // Exactly at the cap is allowed.
        let exact = F.decide(
            F.program([F.rule("c1", cond, F.exempt("C1")), F.rule("c1-again", cond, F.exempt("C2")), F.rule("c4", cond, F.exempt("C4"))], maxCredits: 7),
            asOf: "2025-09-01", F.candidate(certificates: [F.certificate("cert", "junior", "2025-01-01")]))
        #expect(exact.map(\.verdict) == [.granted, .granted, .capped])
    }

    @Test("a superseded grant does not use up the cap")
    func supersededNotCounted() {
        let cond = F.cert(atLeast: "junior")
        let p = F.program(
            [F.rule("c3-exempt", cond, F.exempt("C3")), F.rule("c3-graded", cond, F.transfer("C3", grade: 75)), F.rule("c2", cond, F.exempt("C2"))],
            maxCredits: 8)
        let d = F.decide(p, asOf: "2025-09-01", F.candidate(certificates: [F.certificate("cert", "junior", "2025-01-01")]))
        #expect(d.map(\.verdict) == [.superseded(byRule: "c3-graded"), .granted, .granted])
    }

    @Test("a course or exam subject the candidate already passed is still recognised, and the reason says so")
    func alreadyPassed() {
        let p = F.program([F.rule("r", F.won("silver"), F.transfer("C1", grade: 90))])
        let d = F.decide(p, asOf: "2025-09-01", F.candidate(grades: [F.grade("C1", "exam", "72")], awards: [F.award("gold", "2025-05-18")]))
        #expect(d.map(\.verdict) == [.granted])
        #expect(d[0].reason == "won gold in comp on 2025-05-18; grade 90; C1 was already passed on the candidate's own result (72)")
        let subject = F.program([F.rule("r", F.course("C1", min: 70), F.exemptSubject("theory"))])
        let passed = F.decide(subject, asOf: "2025-09-01", F.candidate(grades: [F.grade("C1", "exam", "72"), F.grade("cert", "theory", "64")]))
        #expect(passed[0].reason == "scored 72 in C1 (70 or more needed); the candidate already passed the cert theory exam subject (64)")
        let failed = F.decide(subject, asOf: "2025-09-01", F.candidate(grades: [F.grade("C1", "exam", "72"), F.grade("cert", "theory", "59")]))
        #expect(failed[0].reason == "scored 72 in C1 (70 or more needed)")
    }
}

@Suite("Evidence recognition cannot count, determinism, dates")
struct EvidenceProblemTests {
    typealias F = Fixture

    @Test("certificates and awards the program does not have are named with the candidate and place, never silently dropped")
    func unknownItems() {
        let p = F.program([
            F.rule("cert-rule", F.cert(atLeast: "junior"), F.exempt("C1")),
            F.rule("award-rule", F.won("bronze"), F.exempt("C2")),
            F.rule("course-rule", F.course("C3"), F.exempt("C4")),
        ])
        let c = F.candidate(
            "S9",
            certificates: [
                F.certificate("certx", "junior", "2025-01-01", line: 4), F.certificate("cert", "expert", "2025-01-01", line: 5),
                F.certificate("cert", "junior", "2025-02-30", line: 6),
            ],
            awards: [
                F.award("gold", "2025-05-18", competition: "comp-2024", line: 7), F.award("platinum", "2025-05-18", line: 8),
                F.award("gold", "18/05/2025", line: 9),
            ])
        let problems = Recognizer(program: p, asOf: "2025-09-01").evidenceProblems(c)
        #expect(
            problems == [
                "S9's certificate 'certx' (evidence.xml:4) is not a certificate of program rec-test",
                "S9's certificate cert at level 'expert' (evidence.xml:5): cert has no such level (its levels: junior, intermediate, senior)",
                "S9's certificate cert issued '2025-02-30' (evidence.xml:6): not a date in the form YYYY-MM-DD",
                "S9's award in 'comp-2024' (evidence.xml:7) is not from a competition of program rec-test",
                "S9's award 'platinum' in comp (evidence.xml:8): comp has no such award (its awards: gold, silver, bronze)",
                "S9's award gold in comp dated '18/05/2025' (evidence.xml:9): not a date in the form YYYY-MM-DD",
            ])
        let d = F.decide(p, asOf: "2025-09-01", c)
        #expect(d.map(\.verdict) == [.refused, .refused, .refused])
        #expect(
            d[0].reason
                == "holds no cert certificate (not counted: " + problems[0...2].joined(separator: "; ") + ")")
        #expect(d[1].reason == "won no award in comp (not counted: " + problems[3...5].joined(separator: "; ") + ")")
        #expect(d[2].reason == "has no result in C3 (no evidence for it)")
    }

    @Test("deciding twice gives the same decisions; other candidates' outcomes are ignored")
    func determinism() {
        let p = F.program([
            F.rule("a", F.course("C1", min: 50), F.exempt("C2")), F.rule("b", F.won("silver", within: 2), F.transfer("C3", grade: 88)),
        ], maxCredits: 10)
        let c = F.candidate(grades: [F.grade("C1", "exam", "55")], awards: [F.award("silver", "2025-05-18")])
        let engine = Engine(program: p)
        let other = engine.score(F.candidate("OTHER", grades: [F.grade("C1", "exam", "10")]), tree: false)
        let recognizer = Recognizer(program: p, asOf: "2025-09-01")
        let first = recognizer.decide(c, outcomes: other + engine.score(c, tree: false))
        let second = recognizer.decide(c, outcomes: engine.score(c, tree: true))
        #expect(first == second)
        #expect(first.map(\.verdict) == [.granted, .granted])
        #expect(first.map(\.candidate) == ["S1", "S1"])
        #expect(first.map(\.ruleID) == ["a", "b"])
    }

    @Test("a decision date that is not a date refuses every rule and says so")
    func badDecisionDate() {
        let p = F.program([F.rule("a", F.course("C1"), F.exempt("C2")), F.rule("b", F.won("gold"), F.exempt("C3"))])
        let d = Recognizer(program: p, asOf: "2025-9-1").decide(F.candidate(), outcomes: [])
        #expect(d.map(\.verdict) == [.refused, .refused])
        #expect(d.map(\.reason) == Array(repeating: "the decision date '2025-9-1' is not a date in the form YYYY-MM-DD", count: 2))
    }

    @Test("dates are exactly YYYY-MM-DD naming a real day; anniversaries of 29 February fall on 28 February")
    func calendarDates() {
        #expect(CalendarDate("2024-02-29")?.description == "2024-02-29")
        for bad in ["2025-02-29", "2025-13-01", "2025-04-31", "2025-9-1", "2025-09-01 ", "0000-01-01", "2025/09/01", ""] {
            #expect(CalendarDate(bad) == nil, "\(bad)")
        }
        #expect(CalendarDate("2024-02-29")!.adding(years: 1).description == "2025-02-28")
        #expect(CalendarDate("2024-02-29")!.adding(years: 4).description == "2028-02-29")
        #expect(CalendarDate("2023-12-31")! < CalendarDate("2024-01-01")!)
    }

    @Test("canonical evidence carries facts only, with field separators in values percent-encoded")
    func canonicalEscaping() {
        let p = F.program([F.rule("r", F.cert(), F.exempt("C1"))])
        let d = F.decide(p, asOf: "2025-09-01", F.candidate(certificates: [F.certificate("cert", "junior", "2025-01-01", serial: "A|B=C%")]))
        #expect(d[0].evidence.map(\.canonical) == ["certificate|ref=cert|level=junior|issued=2025-01-01|serial=A%7CB%3DC%25"])
        #expect(d[0].evidence[0].description == "certificate cert (Technologist certificate) at junior, serial A|B=C%, issued 2025-01-01")
        #expect(d[0].evidence[0].origin?.description == "evidence.xml:10")
    }
}
