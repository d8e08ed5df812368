import AssayEngine
import AssayLoader
import AssayModel
import AssayResults
import Foundation
import Testing

/// A small competition whose results were worked out by hand (below), asserted exactly.
///
/// Rubric (Fixtures/small-competition.xml): total = A + B, max 20. A: judgement panel of 3 (0–3), mark =
/// mean ÷ 3 × 10, rounded half-up to 2 decimals, max-spread 1. B: a recorded value 0–10. Tie-break: B, then A.
/// Awards (ties expand): first 20 %, second 30 %, third 20 %, cumulative targets.
///
/// | entrant | A marks | A | B | total |
/// |---|---|---|---|---|
/// | E1 | 3 3 3 | 10.00 | 8 | 18.00 |
/// | E2 | 3 3 2 | 8/9 × 10 = 8.888… → 8.89 | 7 | 15.89 |
/// | E3 | 2 2 2 | 6.666… → 6.67 | 9 | 15.67 |
/// | E4 | 3 2 2 | 7.777… → 7.78 | 8.11 | 15.89 |
/// | E5 | 1 3 2 | 6.67 (spread 2 > 1: flag) | 9 | 15.67 |
/// | E6 | 1 1 1 | 3.333… → 3.33 | 5 | 8.33 |
/// | E7 | 2 (J1 only) | incomplete: 1 of 3 judges | 6 | — |
///
/// Ranking: E1 18.00 (1); E4 and E2 tie on 15.89, B breaks it (8.11 > 7): E4 2, E2 3; E3 and E5 tie on
/// 15.67, B equal (9), A equal (6.67): both rank 4; E6 rank 6. E7 unranked.
/// Awards on N = 6: first 20 % → 1.2 → 1 (E1); first+second 50 % → 3 → E4, E2; first..third 70 % → 4.2 → 4
/// → one third prize at position 4, but E3 and E5 are tied at rank 4 across the boundary: expand → both (2).
/// Judges on A (E1–E6; E7 has one mark, no pair): offsets (mark − mean of the other two), in points:
/// J1: 0, +0.5, 0, +1, −1.5, 0 → mean 0; J2: 0, +0.5, 0, −0.5, +1.5, 0 → +0.25 (8.33 % of 3);
/// J3: 0, −1, 0, −0.5, 0, 0 → −0.25 (−8.33 %). Pairs: 18; exact 11 (61.1 %); within one point 17 (94.4 %).
/// ICC on E1–E6 × J1–J3 (two-way ANOVA: BMS 1.4333, JMS 0.1667, EMS 0.3): ICC(2,1) 0.58, ICC(3,1) 0.56,
/// ICC(2,3) 0.80, ICC(3,3) 0.79.
@Suite("Competition results, hand-checked")
struct ResultsTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func sheet() throws -> ResultSheet {
        let rubric = fixtures.appendingPathComponent("small-competition.xml").path
        let marks = fixtures.appendingPathComponent("small-marks.csv").path
        let program = try #require(RubricLoader().load(rubric).validProgram)
        let competition = try #require(program.competition("K"))
        let engine = Engine(program: program)
        var builder = ResultsBuilder(program: program, competition: competition)
        let diagnostics = EvidenceReader(program: program.id).read([marks]) { c in
            for o in engine.score(c, only: "K", tree: true) { builder.add(c, outcome: o) }
        }
        #expect(diagnostics.isEmpty)
        return builder.sheet(inputs: [(rubric, "r"), (marks, "m")])
    }

    @Test("standings, ranks and tie notes are exactly as worked out by hand")
    func standings() throws {
        let sheet = try Self.sheet()
        #expect(sheet.standings.map(\.candidate) == ["E1", "E4", "E2", "E3", "E5", "E6"])
        #expect(sheet.standings.map(\.rank) == [1, 2, 3, 4, 4, 6])
        // The total node does not round, so totals print as the exact sums of the rounded parts.
        #expect(sheet.standings.map(\.shownTotal) == ["18", "15.89", "15.89", "15.67", "15.67", "8.33"])
        #expect(sheet.standings[1].tieNote == "tied with E2 on the total; ahead on B (8.11 to 7)")
        #expect(sheet.standings[2].tieNote == "tied with E4 on the total; behind on B (7 to 8.11)")
        #expect(sheet.standings[3].tieNote == "tied with E5 on the total and every tie-break: shares rank 4")
        #expect(sheet.standings[4].flags == ["A: judges J1 (1) and J2 (3) are 2 apart, more than 1: re-mark"])
        #expect(sheet.unranked.map(\.candidate) == ["E7"])
        #expect(sheet.unranked.first?.reasons.count == 1)
        #expect(sheet.unranked.first?.reasons.first?.hasPrefix("A: 1 of 3 judges marked (J1 2 at ") == true)
    }

    @Test("awards follow the cumulative quotas and expand across the tie at the third-prize boundary")
    func awards() throws {
        let sheet = try Self.sheet()
        #expect(sheet.standings.map(\.award) == ["first", "second", "second", "third", "third", nil])
        #expect(sheet.awardCounts.map(\.count) == [1, 2, 2])
        #expect(
            sheet.awardNotes == [
                "first: 20 % of 6 → 1 (cumulative target 1)",
                "second: 30 % of 6 → 2 (cumulative target 3)",
                "third: entrants tied at rank 4 straddle the quota boundary; the quota expands from 1 to 2 (ties=\"expand\")",
            ])
    }

    @Test("the judges' report: spread flag, offsets, agreement and ICC as worked out by hand")
    func judges() throws {
        let j = try Self.sheet().judges
        #expect(j.spreadFlags.map { "\($0.aspect) \($0.candidate) \($0.marks)" } == ["A E5 [\"J1 1\", \"J2 3\", \"J3 2\"]"])
        #expect(j.offsets.map(\.judge) == ["J2", "J3", "J1"])
        #expect(j.offsets.map { String(format: "%.2f", $0.meanOffsetPercent) } == ["8.33", "-8.33", "0.00"])
        #expect(j.offsets.map { String(format: "%.2f", $0.meanOffsetPoints ?? 99) } == ["0.25", "-0.25", "0.00"])
        #expect(j.offsets.map(\.marks) == [6, 6, 6])
        #expect(String(format: "%.3f", j.exactAgreement ?? -1) == "0.611")
        #expect(String(format: "%.3f", j.adjacentAgreement ?? -1) == "0.944")
        let a = try #require(j.aspects.first)
        let icc = try #require(a.icc)
        #expect([icc.icc21, icc.icc31, icc.icc2k, icc.icc3k].map { String(format: "%.2f", $0) } == ["0.58", "0.56", "0.80", "0.79"])
        #expect(a.iccNote == "computed on the 6 entrants marked by J1, J2, J3; left out (not marked by that panel): E7")
    }
}

@Suite("Award quotas at the edges")
struct QuotaTests {
    /// First 10 %, second 20 %, third 30 %; ≤ 5 entrants: one first, one second (the bundled program's scheme).
    static let scheme = AwardScheme(
        awards: [Award(id: "first", quotaPercent: 10), Award(id: "second", quotaPercent: 20), Award(id: "third", quotaPercent: 30)],
        smallFields: [SmallFieldRule(maxEntrants: 5, grants: [.init(award: "first", count: 1), .init(award: "second", count: 1)])])

    static func counts(_ ranks: [Int], scheme: AwardScheme = scheme) -> [Int] {
        let entrants = ranks.map { AwardAllocator.Entrant(rank: $0, total: Exact(100 - $0), standardised: nil) }
        let (awards, _) = AwardAllocator.allocate(scheme, entrants: entrants)
        return scheme.awards.map { a in awards.filter { $0 == a.id }.count }
    }

    /// Cumulative half-up targets: N × 10 %, N × 30 %, N × 60 %.
    @Test(
        "distinct ranks: counts per field size",
        arguments: [
            (1, [1, 0, 0]),  // small field: one first (and the one second has no entrant left)
            (3, [1, 1, 0]),  // small field
            (5, [1, 1, 0]),  // small field
            (6, [1, 1, 2]),  // 0.6 → 1; 1.8 → 2; 3.6 → 4
            (7, [1, 1, 2]),  // 0.7 → 1; 2.1 → 2; 4.2 → 4
            (10, [1, 2, 3]),  // 1; 3; 6
            (11, [1, 2, 4]),  // 1.1 → 1; 3.3 → 3; 6.6 → 7
        ])
    func fieldSizes(n: Int, expected: [Int]) {
        #expect(Self.counts(Array(1...n)) == expected)
    }

    @Test("a tie across the 10 % boundary expands the first prize, or contracts it")
    func tieAtTenPercent() {
        // 20 entrants: first target 2; ranks 1, 2, 2, 4, …: positions 2 and 3 tied at rank 2 straddle the boundary.
        let ranks = [1, 2, 2] + Array(4...20)
        #expect(Self.counts(ranks) == [3, 3, 6])  // expand: 3 first; cumulative 6 → 3 second; 12 → 6 third
        var contract = Self.scheme
        contract.ties = .contract
        #expect(Self.counts(ranks, scheme: contract) == [1, 5, 6])  // contract: only rank 1 gets first
    }

    @Test("a tie across the 30 % third-prize boundary (cumulative 60 %) expands or contracts the third prize")
    func tieAtThirtyPercent() {
        // 10 entrants: targets 1, 3, 6. Positions 6 and 7 (ranks 6, 6) straddle the last boundary.
        let ranks = [1, 2, 3, 4, 5, 6, 6, 8, 9, 10]
        #expect(Self.counts(ranks) == [1, 2, 4])
        var contract = Self.scheme
        contract.ties = .contract
        #expect(Self.counts(ranks, scheme: contract) == [1, 2, 2])
    }
}

@Suite("Standardisation")
struct StandardisationTests {
    @Test("median-centred: the median sits at the centre; one MAD × 1.4826 is one spread unit")
    func medianCentred() throws {
        // Totals 1, 2, 3, 4, 100: median 3, |deviations| 2, 1, 0, 1, 97 → MAD 1; unit 1.4826.
        // 4 → 700 + 1 ÷ 1.4826 × 100 = 767.449…; 100 → 700 + 97 ÷ 1.4826 × 100 = 7242.560…
        let (values, note) = ResultsBuilder.medianCentredForTesting([1, 2, 3, 4, 100].map { Exact($0) }, centre: 700, spread: 100)
        #expect(values.map { $0?.text(decimals: 2) } == ["565.10", "632.55", "700.00", "767.45", "7242.56"])
        #expect(note.hasPrefix("median-centred: median total 3 sits at 700"))
    }
}
