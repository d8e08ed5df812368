import AssayEngine
import AssayLoader
import AssayModel
import AssayResults
import Foundation
import Testing

/// Tie notes on the real pipeline (rubric loader, engine, results builder) for generated competitions.
///
/// Rubric: total = A + B + C. A: judgement panel of 3 (0–3), mark = mean ÷ 3 × 10 rounded half-up to 2
/// decimals (all three judges give m: m = 1 → 3.33, m = 2 → 6.67); B and C: recorded values. Tie-break: B,
/// then A. C is chosen so that the total is whatever the test wants, so ties are made on purpose.
@Suite("Tie notes: bounded, whatever the size of the tie")
struct TieNotesTests {
    static let rubric = """
        <program xmlns="urn:assay:rubric:1" id="ties" version="1" title="Ties">
          <post id="p" title="Post"><requirement id="r" title="Requirement"/></post>
          <competition id="K" title="Tied competition">
            <node id="total" scorer="sum" max="220">
              <node id="A" kind="judgement" scorer="judgement-panel" max="10" round="half-up" decimals="2">
                <param name="judges" value="3"/><param name="max-spread" value="3"/>
                <tests requirement="r"/>
              </node>
              <node id="B" kind="measurement" scorer="value" max="10"/>
              <node id="C" kind="measurement" scorer="value" max="200"/>
            </node>
            <awards ties="expand"><award id="first" quota-percent="10"/></awards>
            <tie-break><by node="B"/><by node="A"/></tie-break>
          </competition>
        </program>

        """

    /// One entrant: all three judges give `m` on A; B and C in hundredths.
    struct Entrant {
        var id: String
        var m: Int
        var bHundredths: Int
        var cHundredths: Int

        /// An entrant whose total is `total` hundredths.
        init(_ id: String, m: Int, b: Int, total: Int) {
            self.id = id
            self.m = m
            bHundredths = b
            cHundredths = total - b - [0, 333, 667, 1000][m]
        }
    }

    static func decimal(_ hundredths: Int) -> String { "\(hundredths / 100).\(String(format: "%02d", hundredths % 100))" }

    /// The result sheet of `entrants` through the real loader, engine and builder.
    static func sheet(_ entrants: [Entrant], tieNotes: Bool = true) throws -> ResultSheet {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-ties-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rubricPath = dir.appendingPathComponent("ties.xml").path
        let marksPath = dir.appendingPathComponent("marks.csv").path
        try Data(rubric.utf8).write(to: URL(fileURLWithPath: rubricPath))
        var csv = "candidate,target,node,judge,value\n"
        for e in entrants {
            for j in 1...3 { csv += "\(e.id),K,A,J\(j),\(e.m)\n" }
            csv += "\(e.id),K,B,,\(decimal(e.bHundredths))\n\(e.id),K,C,,\(decimal(e.cHundredths))\n"
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: marksPath))
        let program = try #require(RubricLoader().load(rubricPath).validProgram)
        let competition = try #require(program.competition("K"))
        let engine = Engine(program: program)
        var builder = ResultsBuilder(program: program, competition: competition)
        let diagnostics = EvidenceReader(program: program.id).read([marksPath]) { c in
            for o in engine.score(c, only: "K", tree: true) { builder.add(c, outcome: o) }
        }
        #expect(diagnostics.isEmpty)
        return builder.sheet(inputs: [], tieNotes: tieNotes)
    }

    /// The notes as the builder wrote them before they were bounded: every other entrant with the same total,
    /// in standing order, one part each. Used as the reference for ties small enough to be listed in full.
    static func listedNotes(_ standings: [Standing], chain: [String]) -> [String?] {
        func greater(_ x: Exact?, _ y: Exact?) -> Bool {
            switch (x, y) {
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?): return x > y
            }
        }
        let keys = standings.map { [$0.total] + $0.tieBreak }
        return standings.indices.map { i in
            var parts: [String] = []
            for j in standings.indices where j != i && keys[j][0] == keys[i][0] {
                if let level = (1..<keys[i].count).first(where: { keys[i][$0] != keys[j][$0] }) {
                    let mine = keys[i][level]?.text(maxDecimals: 4) ?? "—"
                    let theirs = keys[j][level]?.text(maxDecimals: 4) ?? "—"
                    parts.append(
                        "tied with \(standings[j].candidate) on the total; \(greater(keys[i][level], keys[j][level]) ? "ahead" : "behind") on \(chain[level - 1]) (\(mine) to \(theirs))")
                } else {
                    parts.append("tied with \(standings[j].candidate) on the total and every tie-break: shares rank \(standings[i].rank)")
                }
            }
            return parts.isEmpty ? nil : parts.joined(separator: "; ")
        }
    }

    @Test("ties of up to six entrants get the same notes as before, part by part, for 60 generated tie groups")
    func smallTiesUnchanged() throws {
        var entrants: [Entrant] = []
        var seed: UInt64 = 11
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 33)
        }
        for g in 0..<60 {
            for k in 0..<(1 + g % 6) {
                entrants.append(Entrant("G\(String(format: "%02d", g))-\(k)", m: 1 + next() % 2, b: 100 + 100 * (next() % 2), total: 5000 + 100 * g))
            }
        }
        let sheet = try Self.sheet(entrants)
        #expect(sheet.standings.count == entrants.count)
        let expected = Self.listedNotes(sheet.standings, chain: ["B", "A"])
        #expect(sheet.standings.map(\.tieNote) == expected)
        // The generated groups do use every kind of part: settled on B, settled on A, and shared ranks.
        let notes = sheet.standings.compactMap(\.tieNote).joined(separator: "; ")
        #expect(notes.contains("; behind on B (1 to 2)") && notes.contains("; ahead on A (6.67 to 3.33)"))
        #expect(notes.contains("on the total and every tie-break: shares rank"))
    }

    /// Total 60 for 16 entrants: P01–P07 (B 3, A 6.67), Q01 (B 2.5, A 3.33), R01–R04 (B 2, A 6.67),
    /// R05–R08 (B 2, A 3.33); S01 alone on 70. Ranks: S01 1; P 2; Q01 9; R01–R04 10; R05–R08 14.
    @Test("a class of more than five tied entrants is summed up in one part: counts, own score, the range of theirs")
    func largeClassesSummedUp() throws {
        var entrants = (1...7).map { Entrant("P0\($0)", m: 2, b: 300, total: 6000) }
        entrants.append(Entrant("Q01", m: 1, b: 250, total: 6000))
        entrants += (1...4).map { Entrant("R0\($0)", m: 2, b: 200, total: 6000) }
        entrants += (5...8).map { Entrant("R0\($0)", m: 1, b: 200, total: 6000) }
        entrants.append(Entrant("S01", m: 3, b: 500, total: 7000))
        let sheet = try Self.sheet(entrants.reversed())
        let st = Dictionary(uniqueKeysWithValues: sheet.standings.map { ($0.candidate, $0) })
        #expect(sheet.standings.map(\.rank) == [1] + Array(repeating: 2, count: 7) + [9] + Array(repeating: 10, count: 4) + Array(repeating: 14, count: 4))
        #expect(st["S01"]?.tieNote == nil)
        #expect(
            st["P01"]?.tieNote
                == "tied with P02, P03, P04 and 3 others on the total and every tie-break: shares rank 2; tied with 9 others on the total; ahead on B (3 to 2–2.5)")
        #expect(
            st["P05"]?.tieNote
                == "tied with P01, P02, P03 and 3 others on the total and every tie-break: shares rank 2; tied with 9 others on the total; ahead on B (3 to 2–2.5)")
        #expect(st["Q01"]?.tieNote == "tied with 7 others on the total; behind on B (2.5 to 3); tied with 8 others on the total; ahead on B (2.5 to 2)")
        #expect(
            st["R01"]?.tieNote
                == "tied with 8 others on the total; behind on B (2 to 2.5–3); "
                + "tied with R02 on the total and every tie-break: shares rank 10; tied with R03 on the total and every tie-break: shares rank 10; tied with R04 on the total and every tie-break: shares rank 10; "
                + "tied with R05 on the total; ahead on A (6.67 to 3.33); tied with R06 on the total; ahead on A (6.67 to 3.33); tied with R07 on the total; ahead on A (6.67 to 3.33); tied with R08 on the total; ahead on A (6.67 to 3.33)")
        #expect(
            st["R05"]?.tieNote
                == "tied with 8 others on the total; behind on B (2 to 2.5–3); "
                + "tied with R01 on the total; behind on A (3.33 to 6.67); tied with R02 on the total; behind on A (3.33 to 6.67); tied with R03 on the total; behind on A (3.33 to 6.67); tied with R04 on the total; behind on A (3.33 to 6.67); "
                + "tied with R06 on the total and every tie-break: shares rank 14; tied with R07 on the total and every tie-break: shares rank 14; tied with R08 on the total and every tie-break: shares rank 14")
    }

    @Test("3,000 entrants all tied: one rank, everyone a first prize (ties expand), each note one short part")
    func allTied() throws {
        let entrants = (1...3000).map { Entrant("E\(String(format: "%04d", $0))", m: 2, b: 500, total: 6000) }
        let sheet = try Self.sheet(entrants)
        #expect(sheet.standings.count == 3000)
        #expect(sheet.standings.allSatisfy { $0.rank == 1 && $0.award == "first" })
        #expect(sheet.standings[0].tieNote == "tied with E0002, E0003, E0004 and 2996 others on the total and every tie-break: shares rank 1")
        #expect(sheet.standings[2].tieNote == "tied with E0001, E0002, E0004 and 2996 others on the total and every tie-break: shares rank 1")
        #expect(sheet.standings[2999].tieNote == "tied with E0001, E0002, E0003 and 2996 others on the total and every tie-break: shares rank 1")
        #expect(sheet.standings.allSatisfy { ($0.tieNote?.utf8.count ?? 0) <= 100 })
        #expect(sheet.awardNotes == ["first: entrants tied at rank 1 straddle the quota boundary; the quota expands from 300 to 3000 (ties=\"expand\")"])
        // Without notes (a format that does not show them): the same ranks and awards, no notes at all.
        let bare = try Self.sheet(entrants, tieNotes: false)
        #expect(bare.standings.map(\.rank) == sheet.standings.map(\.rank))
        #expect(bare.standings.map(\.award) == sheet.standings.map(\.award))
        #expect(bare.standings.allSatisfy { $0.tieNote == nil })
    }
}
