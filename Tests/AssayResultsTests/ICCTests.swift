import AssayResults
import Foundation
import Testing

@Suite("Intraclass correlation")
struct ICCTests {
    /// Shrout & Fleiss (1979), "Intraclass correlations: uses in assessing rater reliability", Table 2:
    /// six targets rated by four judges. Published: ICC(2,1) = .29, ICC(3,1) = .71, ICC(2,4) = .62, ICC(3,4) = .91.
    static let shroutFleiss: [[Double]] = [
        [9, 2, 5, 8],
        [6, 1, 3, 2],
        [8, 4, 6, 8],
        [7, 1, 2, 6],
        [10, 5, 6, 9],
        [6, 2, 4, 7],
    ]

    func twoDecimals(_ x: Double) -> String { String(format: "%.2f", x) }

    @Test("reproduces Shrout & Fleiss's worked example to two decimals")
    func shroutAndFleiss() throws {
        let icc = try #require(ICC(table: Self.shroutFleiss))
        #expect(icc.targets == 6)
        #expect(icc.judges == 4)
        #expect(twoDecimals(icc.icc21) == "0.29")
        #expect(twoDecimals(icc.icc31) == "0.71")
        #expect(twoDecimals(icc.icc2k) == "0.62")
        #expect(twoDecimals(icc.icc3k) == "0.91")
    }

    @Test("is not defined for one judge, one target or a ragged table")
    func undefined() {
        #expect(ICC(table: [[1], [2], [3]]) == nil)
        #expect(ICC(table: [[1, 2, 3]]) == nil)
        #expect(ICC(table: [[1, 2], [3]]) == nil)
    }

    @Test("the judge report computes ICC per aspect when every judge marked every entrant, and says why not otherwise")
    func reportICC() throws {
        var marks: [PanelMark] = []
        for (i, row) in Self.shroutFleiss.enumerated() {
            for (j, v) in row.enumerated() {
                marks.append(PanelMark(candidate: "E\(i + 1)", aspect: "A", judge: "J\(j + 1)", value: v))
            }
        }
        // Aspect B: E1 marked by J1, J2; E2 by J2, J3 — judges differ.
        marks += [
            PanelMark(candidate: "E1", aspect: "B", judge: "J1", value: 1), PanelMark(candidate: "E1", aspect: "B", judge: "J2", value: 2),
            PanelMark(candidate: "E2", aspect: "B", judge: "J2", value: 2), PanelMark(candidate: "E2", aspect: "B", judge: "J3", value: 3),
        ]
        let report = JudgeReport(
            aspects: [
                JudgedAspect(id: "A", low: 0, high: 10, step: 1, maxSpread: nil),
                JudgedAspect(id: "B", low: 0, high: 3, step: 1, maxSpread: nil),
            ], marks: marks)
        let a = try #require(report.aspects.first { $0.aspect == "A" })
        #expect(twoDecimals(a.icc?.icc21 ?? -1) == "0.29")
        let b = try #require(report.aspects.first { $0.aspect == "B" })
        #expect(b.icc == nil)
        #expect(b.iccNote == "ICC not computed: fewer than two entrants were marked by the same judges")
    }
}
