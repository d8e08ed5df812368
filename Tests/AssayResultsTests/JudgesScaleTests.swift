import AssayEngine
import AssayLoader
import AssayModel
import AssayResults
import Foundation
import Testing

/// The judges' report rests only on marks scoring accepted (issue 13, item 4): a 5-judge panel out of 10
/// with no `scale` has every mark out of 10 refused ("above 3, the top of the judges' scale"), and those
/// refused marks used to feed the offsets, agreement rates and ICC all the same.
///
/// Fixtures/panel-out-of-ten.csv: E1–E3 marked out of 10 (all 15 marks refused), E4 (2 3 2 2 3) and
/// E5 (1 1 2 1 1) on the 0–3 scale; panel-out-of-ten-valid.csv is the same sheet without E1–E3.
@Suite("Judges' report: refused marks left out")
struct JudgesScaleTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func sheet(_ marks: String) throws -> ResultSheet {
        let rubric = fixtures.appendingPathComponent("panel-out-of-ten.xml").path
        let path = fixtures.appendingPathComponent(marks).path
        let program = try #require(RubricLoader().load(rubric).validProgram)
        let competition = try #require(program.competition("K"))
        let engine = Engine(program: program)
        var builder = ResultsBuilder(program: program, competition: competition)
        let diagnostics = EvidenceReader(program: program.id).read([path]) { c in
            for o in engine.score(c, only: "K", tree: true) { builder.add(c, outcome: o) }
        }
        #expect(diagnostics.isEmpty)
        return builder.sheet(inputs: [(rubric, "r"), (path, "m")])
    }

    @Test("marks refused by scoring are left out of offsets, agreement and ICC, and counted in the aspect's note")
    func refusedMarksLeftOut() throws {
        let all = try Self.sheet("panel-out-of-ten.csv")
        let valid = try Self.sheet("panel-out-of-ten-valid.csv")
        // Scoring: E1–E3 unranked, each mark named with the scale; E4 and E5 ranked exactly as without them.
        #expect(all.unranked.map(\.candidate) == ["E1", "E2", "E3"])
        #expect(
            all.unranked.first?.reasons.first
                == "A: judge J1's mark 7 is above 3, the top of the judges' scale (the default: node 'A' gives no scale) (\(Self.fixtures.path)/panel-out-of-ten.csv row 2)")
        #expect(all.standings.map { "\($0.rank) \($0.candidate) \($0.shownTotal) \($0.award ?? "-")" } == ["1 E4 16 first", "2 E5 10 -"])
        #expect(all.standings.map(\.candidate) == valid.standings.map(\.candidate))
        #expect(all.standings.map(\.total) == valid.standings.map(\.total))
        // The judges' figures: exactly those of the sheet without the refused marks.
        let j = all.judges
        #expect(j.offsets == valid.judges.offsets)
        #expect(j.offsets.map(\.marks) == [2, 2, 2, 2, 2])
        #expect(j.exactAgreement == valid.judges.exactAgreement)
        #expect(j.adjacentAgreement == valid.judges.adjacentAgreement)
        #expect(j.spreadFlags == valid.judges.spreadFlags)
        let a = try #require(j.aspects.first)
        let b = try #require(valid.judges.aspects.first)
        #expect(a.entrants == 2)
        #expect(a.icc == b.icc)
        #expect(a.icc != nil)
        #expect(a.refusedMarks == 15)
        #expect(j.refusedMarks == 15)
        #expect(b.refusedMarks == 0)
        #expect(b.iccNote == nil)
        #expect(a.refusedPanels == ["E1", "E2", "E3"])
        #expect(
            a.iccNote
                == "15 marks refused by scoring (outside 0 to 3, the judges' scale) left out of these figures, with the other marks of the panels of 3 entrants (E1, E2, E3), which scoring refused whole")
    }

    @Test("an aspect whose every mark was refused says so, with no offsets or reliability from them")
    func everyMarkRefused() {
        let aspect = JudgedAspect(id: "A", low: 0, high: 3, step: 1, maxSpread: 1, highName: "the judges' scale")
        let marks = (1...5).map { PanelMark(candidate: "E1", aspect: "A", judge: "J\($0)", value: Double(5 + $0)) }
            + (1...5).map { PanelMark(candidate: "E2", aspect: "A", judge: "J\($0)", value: Double(4 + $0)) }
        let report = JudgeReport(aspects: [aspect], marks: marks)
        #expect(report.offsets.isEmpty)
        #expect(report.exactAgreement == nil)
        #expect(report.spreadFlags.isEmpty)
        #expect(report.aspects.count == 1)
        #expect(report.aspects.first?.entrants == 0)
        #expect(report.aspects.first?.icc == nil)
        #expect(
            report.aspects.first?.iccNote
                == "no accepted marks: 10 marks refused by scoring (outside 0 to 3, the judges' scale) left out of these figures, with the other marks of the panels of 2 entrants (E1, E2), which scoring refused whole")
    }

    @Test("refused marks in a panel (above the range, or off the mark step) leave the whole panel out, as scoring does")
    func oneRefusedMark() {
        let aspect = JudgedAspect(id: "T", low: 0, high: 10, step: 0.5, maxSpread: nil, markStep: 0.5)
        var marks: [PanelMark] = []
        let table: [[Double]] = [[7, 7.5, 8], [6, 6.5, 6], [9, 8.5, 9], [5, 5, 6]]
        for (i, row) in table.enumerated() {
            for (j, v) in row.enumerated() { marks.append(PanelMark(candidate: "E\(i + 1)", aspect: "T", judge: "J\(j + 1)", value: v)) }
        }
        let clean = JudgeReport(aspects: [aspect], marks: marks)
        // E5: J1 gives 10.5 (above 10) and J2 7.25 (not a multiple of 0.5): both refused, so scoring refuses E5's
        // panel, and J3's 7 is left out with them (it used to count).
        let extra = [
            PanelMark(candidate: "E5", aspect: "T", judge: "J1", value: 10.5),
            PanelMark(candidate: "E5", aspect: "T", judge: "J2", value: 7.25),
            PanelMark(candidate: "E5", aspect: "T", judge: "J3", value: 7),
        ]
        let withRefused = JudgeReport(aspects: [aspect], marks: marks + extra)
        let withoutRefused = clean
        #expect(withRefused.offsets == withoutRefused.offsets)
        #expect(withRefused.exactAgreement == withoutRefused.exactAgreement)
        #expect(withRefused.aspects.first?.icc == withoutRefused.aspects.first?.icc)
        #expect(withRefused.aspects.first?.icc == clean.aspects.first?.icc)
        #expect(withRefused.refusedMarks == 2)
        #expect(
            withRefused.aspects.first?.iccNote
                == "2 marks refused by scoring (outside 0 to 10, in steps of 0.5) left out of these figures, with the other marks of the panel of E5, which scoring refused whole")
        #expect(withRefused.aspects.first?.entrants == 4)
        #expect(withRefused.offsets.map(\.marks) == [4, 4, 4])
    }
}
