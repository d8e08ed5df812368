import AssayDesign
import AssayModel
import Foundation
import Testing

@Suite("What if: assay diff's rubric comparison and impacts")
struct WhatIfTests {
    static let asOf = "2026-07-01"

    func report(_ new: String) throws -> DiffReport {
        let old = try Fixtures.program("whatif-old.xml")
        var whatIf = WhatIf(old: old, new: try Fixtures.program(new), asOf: Self.asOf)
        for c in Fixtures.candidates(["whatif-evidence.xml"], program: old.id) { whatIf.add(c) }
        return whatIf.report()
    }

    @Test("a weight change flips the first two entrants: both totals, both ranks and both prizes change, with the weights as the reason")
    func weightFlipsRanking() throws {
        let r = try report("whatif-weights.xml")
        #expect(r.changes.map(\.words) == ["competition cup, node T: weight 50 → 40", "competition cup, node P: weight 50 → 60"])
        #expect(r.candidates == 3)
        let weights = ["competition cup, node T: weight 50 → 40", "competition cup, node P: weight 50 → 60"]
        #expect(
            r.outcomes == [
                Impact(kind: .outcome, candidate: "E1", subject: "cup", from: "80.00", to: "78.00", why: weights),
                Impact(kind: .outcome, candidate: "E2", subject: "cup", from: "78.00", to: "79.60", why: weights),
            ])
        #expect(
            r.standings == [
                Impact(kind: .standing, candidate: "E1", subject: "cup", from: "rank 1, first", to: "rank 2, second",
                       why: ["total 80.00 → 78.00"] + weights),
                Impact(kind: .standing, candidate: "E2", subject: "cup", from: "rank 2, second", to: "rank 1, first",
                       why: ["total 78.00 → 79.60"] + weights),
            ])
        #expect(r.recognitions.isEmpty)
        #expect(!r.nothingChanges)
        #expect(r.affectedCandidates == ["E1", "E2"])
    }

    @Test("a rule asking for a lower prize grants one new recognition, and says which rule change did it")
    func ruleGrantsRecognition() throws {
        let r = try report("whatif-rule.xml")
        #expect(r.changes.map(\.words) == ["rule cup-credits-C1: condition award of cup at least first → award of cup at least second"])
        #expect(r.changes.first?.rule == "cup-credits-C1")
        #expect(r.outcomes.isEmpty && r.standings.isEmpty)
        #expect(r.recognitions.count == 1)
        let i = try #require(r.recognitions.first)
        #expect([i.candidate, i.subject, i.from, i.to] == ["E2", "cup-credits-C1", "refused", "granted (4 credits, grade 90)"])
        #expect(i.why.first == "rule cup-credits-C1: condition award of cup at least first → award of cup at least second")
        #expect(i.why.count == 2 && i.why[1].hasPrefix("the new decision: "))
    }

    @Test("changing only titles changes nothing: no rubric changes, no changes for anyone, the wording counted")
    func titlesChangeNothing() throws {
        let r = try report("whatif-title.xml")
        #expect(r.changes.isEmpty)
        #expect(r.wordingChanges == 4)
        #expect(r.nothingChanges)
        let text = DiffWriter.text(r)
        #expect(text.contains("\nRubric changes: no changes\n"))
        #expect(text.hasSuffix("Summary: no rubric changes; no changes for anyone\n"))
    }

    @Test("the text report of the weight change, exactly, within 100 columns")
    func text() throws {
        let text = DiffWriter.text(try report("whatif-weights.xml"))
        #expect(
            text == """
                What if: program whatif version 2026.1 → whatif version 2026.2, on the evidence of 3 candidates;
                recognition decided as of 2026-07-01

                Rubric changes: 2
                  competition cup, node T: weight 50 → 40
                  competition cup, node P: weight 50 → 60

                Outcomes that change (2)
                  E1 cup: 80.00 → 78.00
                      because competition cup, node T: weight 50 → 40
                      because competition cup, node P: weight 50 → 60
                  E2 cup: 78.00 → 79.60
                      because competition cup, node T: weight 50 → 40
                      because competition cup, node P: weight 50 → 60

                Standings and awards that change (2)
                  cup E1: rank 1, first → rank 2, second
                      because total 80.00 → 78.00
                      because competition cup, node T: weight 50 → 40
                      because competition cup, node P: weight 50 → 60
                  cup E2: rank 2, second → rank 1, first
                      because total 78.00 → 79.60
                      because competition cup, node T: weight 50 → 40
                      because competition cup, node P: weight 50 → 60

                Summary: 2 rubric changes; changes for 2 candidates: 2 outcomes, 2 standings, 0 recognition
                decisions

                """)
        for line in text.split(separator: "\n") { #expect(line.count <= 100) }
    }

    @Test("CSV and JSON carry the same changes, and a second run gives the same bytes")
    func csvAndJSON() throws {
        let r = try report("whatif-rule.xml")
        let csv = DiffWriter.csv(r).split(separator: "\n").map(String.init)
        #expect(csv[0] == "kind,candidate,subject,from,to,why")
        #expect(csv[1] == "rubric,,cup-credits-C1,,,rule cup-credits-C1: condition award of cup at least first → award of cup at least second")
        #expect(
            csv[2]
                == "recognition,E2,cup-credits-C1,refused,\"granted (4 credits, grade 90)\",rule cup-credits-C1: condition award of cup at least first → award of cup at least second; the new decision: won second in cup on 2026-05-01; grade 90")
        #expect(csv.count == 3)
        let json = DiffWriter.json(r)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["nothingChanges"] as? Bool == false)
        #expect((object["recognitions"] as? [Any])?.count == 1)
        #expect(json == DiffWriter.json(try report("whatif-rule.xml")))
    }

    @Test("the comparer names nodes added, removed and moved, pass marks, covers, award quotas, levels, components and rules")
    func comparer() throws {
        let old = try Fixtures.program("whatif-old.xml")
        var new = old
        new.courses[0].pass = 50
        new.courses[0].covers = []
        new.courses[0].assessment.children.removeLast()
        new.courses[0].assessment.children[0].weight = 100
        var practical = new.competitions[0].root.children.removeLast()
        practical.rounding = Rounding(.halfUp, decimals: 0)
        new.competitions[0].root.children[0].children = [practical]
        new.competitions[0].root.children[0].scorer = ScorerReference(parsing: "sum")
        new.competitions[0].awards?.awards[1].place = 3
        new.certificates[0].levels.append(.init(id: "senior", rank: 2))
        new.certificates[0].components[0].pass = 70
        new.recognition?.maxCredits = 8
        new.recognition?.rules.append(
            RecognitionRule(
                id: "cert-exempts-C1", condition: .certificate(ref: "cert", atLeast: "basic", withinYears: 3, component: nil, minScore: nil, origin: .synthetic()),
                grant: .exemptCourse(ref: "C1", origin: .synthetic())))
        let c = RubricComparer(old: old, new: new)
        #expect(
            c.changes.map(\.words) == [
                "course C1: pass mark 60 → 50",
                "course C1: no longer covers r1",
                "course C1, node exam: weight 60 → 100",
                "course C1, node project removed",
                "competition cup, node T: scorer value → sum",
                "competition cup, node P: moved from under total to under T",
                "competition cup, node P: rounding none → half-up to 0 decimals",
                "competition cup, award second: place 2 → 3",
                "certificate cert: level senior added",
                "certificate cert, component theory: pass mark 60 → 70",
                "recognition: max-credits none → 8",
                "rule cert-exempts-C1 added",
            ])
        #expect(c.changes.map(\.kind) == [.changed, .removed, .changed, .removed, .changed, .changed, .changed, .changed, .added, .changed, .changed, .added])
        #expect(c.changes[3].target == "C1" && c.changes[3].node == "project")
        #expect(c.changes[11].rule == "cert-exempts-C1" && c.changes[11].target == nil)
        #expect(c.wordingChanges == 0)
    }

    @Test("an entrant whose own total does not move still changes place when others' totals do, and the reason says so")
    func othersMove() throws {
        let old = try Fixtures.program("whatif-old.xml")
        var whatIf = WhatIf(old: old, new: try Fixtures.program("whatif-weights.xml"), asOf: Self.asOf)
        for c in Fixtures.candidates(["whatif-evidence.xml"], program: old.id) { whatIf.add(c) }
        // E4 is level on both sections, so no weighting moves its total of 79.80.
        whatIf.add(
            CandidateEvidence(
                id: "E4",
                items: ["T", "P"].map {
                    EvidenceItem(kind: .grade, target: "cup", node: $0, value: "79.8", origin: ItemOrigin(file: "E4.xml", line: 1))
                }))
        let r = whatIf.report()
        #expect(!r.outcomes.contains { $0.candidate == "E4" })
        #expect(
            r.standings.map { "\($0.candidate): \($0.from) → \($0.to)" } == [
                "E1: rank 1, first → rank 3, no award", "E4: rank 2, second → rank 1, first", "E2: rank 3, no award → rank 2, second",
            ])
        #expect(
            r.standings[1].why == ["total unchanged (79.80); other entrants' totals changed"])
    }

    /// The changes between `old` and `new` for the fixture evidence.
    func report(old: Program, new: Program) -> DiffReport {
        var whatIf = WhatIf(old: old, new: new, asOf: Self.asOf)
        for c in Fixtures.candidates(["whatif-evidence.xml"], program: old.id) { whatIf.add(c) }
        return whatIf.report()
    }

    @Test("a change to how awards are given (quota rounding, ties) explains the award it takes away, though its words say neither 'award' nor 'tie-break'")
    func awardRulesExplainStandings() throws {
        var old = try Fixtures.program("whatif-old.xml")
        old.competitions[0].awards?.awards[1].place = nil
        old.competitions[0].awards?.awards[1].quotaPercent = 50
        var new = old
        new.competitions[0].awards?.rounding = .floor
        let r = report(old: old, new: new)
        #expect(r.changes.map(\.words) == ["competition cup: quota rounding half-up → floor"])
        #expect(r.changes.map(\.aspect) == [.awardRules])
        #expect(r.outcomes.isEmpty && r.recognitions.isEmpty)
        let text = DiffWriter.text(r).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(
            Array(text[text.firstIndex(of: "Standings and awards that change (1)")!...].prefix(3)) == [
                "Standings and awards that change (1)",
                "  cup E2: rank 2, second → rank 2, no award",
                "      because competition cup: quota rounding half-up → floor",
            ])
        // A tie-break change that moves no one's rank is not a reason; the quota rounding still is.
        new.competitions[0].tieBreak = []
        #expect(
            report(old: old, new: new).standings.map(\.why) == [["competition cup: quota rounding half-up → floor"]])
    }

    @Test("a recognition is explained by a change to the course it grants credit for, not only by changes to the rule")
    func courseCreditsExplainRecognition() throws {
        let old = try Fixtures.program("whatif-old.xml")
        var new = old
        new.courses[0].credits = 5
        let r = report(old: old, new: new)
        #expect(r.changes.map(\.words) == ["course C1: credits 4 → 5"])
        #expect(r.outcomes.isEmpty && r.standings.isEmpty)
        #expect(
            DiffWriter.text(r).split(separator: "\n").filter { $0.hasPrefix("  E") || $0.hasPrefix("      ") } == [
                "  E1 rule cup-credits-C1: granted (4 credits, grade 90) → granted (5 credits, grade 90)",
                "      because course C1: credits 4 → 5",
                "      because the new decision: won first in cup on 2026-05-01; grade 90; C1 was already passed on",
                "        the candidate's own result (77.0)",
            ])
    }

    @Test("a recognition is explained by a change to the order of the awards its condition names")
    func awardOrderExplainsRecognition() throws {
        let old = try Fixtures.program("whatif-old.xml")
        var new = old
        new.competitions[0].awards?.awards.reverse()
        let r = report(old: old, new: new)
        #expect(r.changes.map(\.words) == ["competition cup: award order first, second → second, first"])
        let i = try #require(r.recognitions.first { $0.candidate == "E2" })
        #expect([i.from, i.to] == ["refused", "granted (4 credits, grade 90)"])
        #expect(i.why.first == "competition cup: award order first, second → second, first")
    }

    @Test("covers and pass marks that flip no one explain no score; a pass mark is the reason only when pass and fail swap")
    func onlyScoringChangesExplainScores() throws {
        let old = try Fixtures.program("whatif-old.xml")
        var new = old
        new.courses[0].covers.append(RequirementRef("r2"))
        new.courses[0].pass = 50
        new.courses[0].assessment.children[0].weight = 70
        new.courses[0].assessment.children[1].weight = 30
        new.competitions[0].awards?.awards[1].place = 3
        var r = report(old: old, new: new)
        #expect(
            r.changes.map(\.words) == [
                "course C1: pass mark 60 → 50",
                "course C1: now covers r2",
                "course C1, node exam: weight 60 → 70",
                "course C1, node project: weight 40 → 30",
                "competition cup, award second: place 2 → 3",
            ])
        #expect(
            r.outcomes == [
                Impact(
                    kind: .outcome, candidate: "E1", subject: "C1", from: "77.0 pass", to: "76.5 pass",
                    why: ["course C1, node exam: weight 60 → 70", "course C1, node project: weight 40 → 30"])
            ])
        #expect(
            r.standings.map { "\($0.candidate): \($0.from) → \($0.to) because \($0.why.joined(separator: "; "))" } == [
                "E2: rank 2, second → rank 2, no award because competition cup, award second: place 2 → 3",
                "E3: rank 3, no award → rank 3, second because competition cup, award second: place 2 → 3",
            ])
        new = old
        new.courses[0].pass = 80
        r = report(old: old, new: new)
        #expect(
            r.outcomes == [
                Impact(
                    kind: .outcome, candidate: "E1", subject: "C1", from: "77.0 pass", to: "77.0 fail",
                    why: ["course C1: pass mark 60 → 80"])
            ])
    }

    @Test("a recognition is explained by a change to the validity of the certificate its condition names, and not by what the certificate attests")
    func certificateValidityExplainsRecognition() throws {
        var old = try Fixtures.program("whatif-old.xml")
        old.recognition?.rules.append(
            RecognitionRule(
                id: "cert-exempts-C1",
                condition: .certificate(ref: "cert", atLeast: "basic", withinYears: nil, component: nil, minScore: nil, origin: .synthetic()),
                grant: .exemptCourse(ref: "C1", origin: .synthetic())))
        var new = old
        new.certificates[0].validYears = 1
        new.certificates[0].attests.append(RequirementRef("r2"))
        var whatIf = WhatIf(old: old, new: new, asOf: Self.asOf)
        whatIf.add(
            CandidateEvidence(
                id: "E5",
                certificates: [HeldCertificate(ref: "cert", level: "basic", issued: "2024-06-01", origin: ItemOrigin(file: "E5.xml", line: 1))]))
        let r = whatIf.report()
        #expect(r.changes.map(\.words) == ["certificate cert: valid-years none → 1", "certificate cert: now attests r2"])
        let i = try #require(r.recognitions.first)
        #expect([i.candidate, i.subject, i.from, i.to] == ["E5", "cert-exempts-C1", "granted (4 credits)", "refused"])
        #expect(i.why.count == 2 && i.why[0] == "certificate cert: valid-years none → 1" && i.why[1].hasPrefix("the new decision: "))
    }

    @Test("a grant the credit cap now stops is explained by the other course's credits that fill the cap")
    func creditsExplainCap() throws {
        var old = try Fixtures.program("whatif-old.xml")
        var c2 = old.courses[0]
        c2.id = "C2"
        c2.credits = 2
        old.courses.append(c2)
        var rule = try #require(old.recognition?.rules.first)
        rule.id = "cup-credits-C2"
        rule.grant = .transferCredit(course: "C2", grade: 90, map: [], origin: .synthetic())
        old.recognition?.rules.append(rule)
        old.recognition?.maxCredits = 6
        var new = old
        new.courses[0].credits = 5
        let r = report(old: old, new: new)
        #expect(
            r.recognitions.map { "\($0.candidate) \($0.subject): \($0.from) → \($0.to) because \($0.why.first ?? "")" } == [
                "E1 cup-credits-C1: granted (4 credits, grade 90) → granted (5 credits, grade 90) because course C1: credits 4 → 5",
                "E1 cup-credits-C2: granted (2 credits, grade 90) → capped because course C1: credits 4 → 5",
            ])
        #expect(r.recognitions.map(\.why.count) == [2, 2])
    }
}
