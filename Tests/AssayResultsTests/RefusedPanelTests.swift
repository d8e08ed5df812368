import AssayEngine
import AssayLoader
import AssayModel
import AssayResults
import Foundation
import Testing

/// The judges' report uses only panels that scoring accepted (review of issue 13, item 4). One mark above the
/// judges' scale makes scoring refuse the entrant's whole panel on the aspect (the entrant is not ranked), but
/// the report dropped only that mark and kept the other judges' marks on the entrant: they moved the offsets
/// and agreement, and the ICC note said the entrant was "not marked by that panel" rather than refused.
///
/// Fixtures/panel-one-mark-refused.csv is panel-out-of-ten-valid.csv (E4, E5) plus E6, whose J5 marks 7 on a
/// 0–3 scale while J1–J4 mark 3 2 3 1.
@Suite("Judges' report: a refused mark leaves out its whole panel")
struct RefusedPanelTests {
    @Test("E6 is unranked and its panel is out of every figure: the report equals the one without E6, the note says why")
    func wholePanelLeftOut() throws {
        let all = try JudgesScaleTests.sheet("panel-one-mark-refused.csv")
        let valid = try JudgesScaleTests.sheet("panel-out-of-ten-valid.csv")
        #expect(all.unranked.map(\.candidate) == ["E6"])
        #expect(all.standings.map(\.candidate) == valid.standings.map(\.candidate))
        #expect(all.standings.map(\.total) == valid.standings.map(\.total))
        let j = all.judges
        #expect(j.offsets == valid.judges.offsets)
        #expect(j.offsets.map(\.marks) == [2, 2, 2, 2, 2])
        #expect(j.exactAgreement == valid.judges.exactAgreement)
        #expect(j.adjacentAgreement == valid.judges.adjacentAgreement)
        #expect(j.spreadFlags == valid.judges.spreadFlags)
        let a = try #require(j.aspects.first { $0.aspect == "A" })
        let b = try #require(valid.judges.aspects.first { $0.aspect == "A" })
        #expect(a.entrants == 2)
        #expect(a.icc == b.icc)
        #expect(a.icc != nil)
        #expect(a.refusedMarks == 1)
        #expect(a.refusedPanels == ["E6"])
        #expect(
            a.iccNote
                == "1 mark refused by scoring (outside 0 to 3, the judges' scale) left out of these figures, with the other marks of the panel of E6, which scoring refused whole")
        #expect(a.iccNote?.contains("not marked by that panel") == false)
    }

    @Test("more than ten refused panels are named ten at a time, the rest counted")
    func manyRefusedPanels() {
        let aspect = JudgedAspect(id: "A", low: 0, high: 3, step: 1, maxSpread: nil)
        var marks: [PanelMark] = []
        for e in 1...12 {
            marks.append(PanelMark(candidate: "E\(String(format: "%02d", e))", aspect: "A", judge: "J1", value: 1))
            marks.append(PanelMark(candidate: "E\(String(format: "%02d", e))", aspect: "A", judge: "J2", value: 4))
        }
        let report = JudgeReport(aspects: [aspect], marks: marks)
        #expect(report.offsets.isEmpty)
        #expect(
            report.aspects.first?.iccNote
                == "no accepted marks: 12 marks refused by scoring (outside 0 to 3) left out of these figures, with the other marks of the panels of 12 entrants (E01, E02, E03, E04, E05, E06, E07, E08, E09, E10 and 2 more), which scoring refused whole")
    }
}
