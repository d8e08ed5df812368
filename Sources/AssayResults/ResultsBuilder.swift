import AssayEngine
public import AssayModel
import Foundation

/// Gathers one competition's outcomes and judges' marks, then ranks, awards, standardises and reports.
///
/// Ranking: by total, then by each tie-break node in the rubric's order (higher is better); entrants equal
/// on all of them share a rank (standard competition ranking, 1, 2, 2, 4) and are listed by candidate id.
/// Entrants whose outcome is incomplete are listed apart with the reasons, never ranked. So is an entrant
/// added twice (a `<candidate>` element repeated in one evidence file, which the reader reports): listed
/// once, with the reasons of both, ranked on neither; the repeat's marks are left out of the judges' report.
///
/// Standardisation `median-centred`: standardised = centre + (total − median) ÷ s × spread, where s is the
/// median absolute deviation from the median × 1.4826 (the factor that makes it estimate the standard
/// deviation of normally distributed totals; robust to a few outliers); when every total is the same, all
/// sit at the centre. The result is rounded half-up to 2 decimals.
public struct ResultsBuilder {
    public let program: Program
    public let competition: Competition
    private var outcomes: [Outcome] = []
    /// Each entrant's place in `outcomes`, to find one who comes again.
    private var rowOf: [String: Int] = [:]
    /// Tie-break node values per outcome (the node trees are not kept: a large field would not fit).
    private var tieBreakValues: [[Exact?]] = []
    private var panels: [Panel] = []
    private let aspects: [JudgedAspect]
    private let aspectIDs: Set<String>

    public init(program: Program, competition: Competition) {
        self.program = program
        self.competition = competition
        var aspects: [JudgedAspect] = []
        competition.root.forEachNode { node in
            guard !node.scorer.isPlugin else { return }
            func d(_ name: String) -> Double? { node.parameter(name).flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } }
            switch node.scorer.name {
            case "judgement-panel":
                aspects.append(
                    JudgedAspect(
                        id: node.id, low: 0, high: d("scale") ?? 3, step: d("mark-step") ?? 1, maxSpread: d("max-spread"),
                        markStep: d("mark-step"), highName: "the judges' scale"))
            case "trimmed-mean":
                let max = NSDecimalNumber(decimal: node.max).doubleValue
                aspects.append(
                    JudgedAspect(
                        id: node.id, low: d("mark-min") ?? 0, high: d("mark-max") ?? max, step: d("mark-step") ?? 1,
                        maxSpread: d("max-spread"), markStep: d("mark-step")))
            default: break
            }
        }
        self.aspects = aspects
        self.aspectIDs = Set(aspects.map(\.id))
    }

    /// Adds one candidate: its outcome in this competition (scored with the node tree) and its evidence.
    public mutating func add(_ candidate: CandidateEvidence, outcome: Outcome) {
        var light = outcome
        light.root = nil
        if let row = rowOf[outcome.candidate] {
            outcomes[row] = Self.notRanked(outcomes[row], reasons: light.status.reasons)
            return
        }
        rowOf[outcome.candidate] = outcomes.count
        outcomes.append(light)
        tieBreakValues.append(competition.tieBreak.map { Self.find($0.node, in: outcome.root)?.value })
        var byAspect: [String: [Panel.Mark]] = [:]
        for item in candidate.items where item.kind == .mark && item.target == competition.id && aspectIDs.contains(item.node) {
            guard let judge = item.judge, let v = item.number else { continue }
            byAspect[item.node, default: []].append(Panel.Mark(judge: judge, value: Double(v.numerator) / Double(v.denominator)))
        }
        for (aspect, marks) in byAspect {
            // A judge's later mark replaces an earlier one (scoring already refuses doubles).
            var seen: [String: Double] = [:]
            for m in marks { seen[m.judge] = m.value }
            panels.append(Panel(aspect: aspect, candidate: candidate.id, marks: seen.map { Panel.Mark(judge: $0.key, value: $0.value) }))
        }
    }

    /// Adds one candidate's outcomes as the engine gave them (those for other targets are passed over). A
    /// candidate seen before whose evidence is in doubt as a whole (it appears again in a file) is taken off the
    /// ranking even when this appearance has nothing for the competition.
    public mutating func add(_ candidate: CandidateEvidence, outcomes scored: [Outcome]) {
        let mine = scored.filter { $0.target == competition.id }
        for o in mine { add(candidate, outcome: o) }
        guard mine.isEmpty, let row = rowOf[candidate.id] else { return }
        let doubts = candidate.problems.filter(\.concernsWholeCandidate).map { "\($0.message) (\($0.origin))" }
        if !doubts.isEmpty { outcomes[row] = Self.notRanked(outcomes[row], reasons: doubts) }
    }

    /// An entrant's outcome once they have come again: incomplete, with the reasons of both appearances.
    private static func notRanked(_ first: Outcome, reasons more: [String]) -> Outcome {
        var o = first
        var reasons = first.status.reasons
        for r in more where !reasons.contains(r) { reasons.append(r) }
        if reasons.isEmpty { reasons = ["candidate '\(first.candidate)' has more than one result in this competition"] }
        o.status = .incomplete(reasons)
        return o
    }

    /// The result sheet. `inputs` are the files and their SHA-256, rubric first.
    ///
    /// `tieNotes`: whether to write each standing's ``Standing/tieNote`` (false for a format that does not show
    /// them, such as CSV). Ranks and awards are the same either way. Time O(n log n) in the number of entrants
    /// (a sort on the key: total, then the tie-break nodes); the notes add O(n) time and memory, however large a
    /// tie.
    public func sheet(inputs: [(path: String, sha256: String)], tieNotes: Bool = true) -> ResultSheet {
        let indices = outcomes.indices
        let completeIndices = indices.filter { outcomes[$0].status.isComplete && outcomes[$0].value != nil }
        let unranked = outcomes.filter { !($0.status.isComplete && $0.value != nil) }
            .map { Unranked(candidate: $0.candidate, reasons: $0.status.reasons) }
            .sorted { $0.candidate < $1.candidate }
        let chain = competition.tieBreak.map(\.node)
        struct Row {
            var outcome: Outcome
            var key: [Exact?]
        }
        var rows = completeIndices.map { i in Row(outcome: outcomes[i], key: [outcomes[i].value] + tieBreakValues[i]) }
        rows.sort { a, b in
            let c = Self.compare(a.key, b.key)
            return c != 0 ? c > 0 : a.outcome.candidate < b.outcome.candidate
        }
        // Standard competition ranking on the full key.
        var ranks: [Int] = []
        for (i, row) in rows.enumerated() {
            if i > 0 && Self.compare(row.key, rows[i - 1].key) == 0 { ranks.append(ranks[i - 1]) } else { ranks.append(i + 1) }
        }
        // Tie notes: equal totals, settled (or not) by the chain; O(n) notes of bounded length (see TieNotes).
        var notes = [String?](repeating: nil, count: rows.count)
        if tieNotes {
            let tie = TieNotes(keys: rows.map(\.key), candidates: rows.map(\.outcome.candidate), ranks: ranks, chain: chain)
            for i in rows.indices { notes[i] = tie.note(i) }
        }
        // Standardisation.
        var standardised = [Exact?](repeating: nil, count: rows.count)
        var standardisationNote: String?
        if let s = competition.standardisation {
            switch s.method {
            case .medianCentred:
                let (values, note) = Self.medianCentred(rows.map { $0.outcome.value! }, centre: Exact(s.centre), spread: Exact(s.spread))
                standardised = values
                standardisationNote = note
            }
        }
        // Awards.
        var awardIDs = [String?](repeating: nil, count: rows.count)
        var awardNotes: [String] = []
        var counts: [(award: String, title: String, count: Int)] = []
        if let scheme = competition.awards {
            let entrants = rows.indices.map {
                AwardAllocator.Entrant(rank: ranks[$0], total: rows[$0].outcome.value!, standardised: standardised[$0])
            }
            (awardIDs, awardNotes) = AwardAllocator.allocate(scheme, entrants: entrants)
            counts = scheme.awards.map { a in (a.id, a.title ?? a.id, awardIDs.filter { $0 == a.id }.count) }
        }
        let standings = rows.indices.map { i in
            Standing(
                rank: ranks[i], candidate: rows[i].outcome.candidate, total: rows[i].outcome.value!,
                decimals: rows[i].outcome.decimals, standardised: standardised[i], award: awardIDs[i],
                tieBreak: Array(rows[i].key.dropFirst()), tieNote: notes[i], flags: rows[i].outcome.flags)
        }
        return ResultSheet(
            program: program.id, programVersion: program.version, competition: competition.id,
            competitionTitle: competition.title, inputs: inputs, standings: standings, unranked: unranked,
            awardNotes: awardNotes, awardCounts: counts, standardisationNote: standardisationNote,
            judges: JudgeReport(aspects: aspects, panels: panels))
    }

    /// Lexicographic comparison, higher first; a missing value is lowest.
    static func compare(_ a: [Exact?], _ b: [Exact?]) -> Int {
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (nil, nil): continue
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?): if x != y { return x > y ? 1 : -1 }
            }
        }
        return 0
    }

    static func find(_ id: String, in node: NodeOutcome?) -> NodeOutcome? {
        guard let node else { return nil }
        if node.node == id { return node }
        for c in node.children { if let hit = find(id, in: c) { return hit } }
        return nil
    }

    static func median(_ values: [Exact]) -> Exact {
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func medianCentred(_ totals: [Exact], centre: Exact, spread: Exact) -> ([Exact?], String) {
        guard !totals.isEmpty else { return ([], "no entrant has a result to standardise") }
        let m = median(totals)
        let mad = median(totals.map { $0 > m ? $0 - m : m - $0 })
        let unit = mad * Exact(14826, over: 10000)
        let note =
            "median-centred: median total \(m.text()) sits at \(centre.text()); one spread unit (median absolute deviation \(mad.text()) × 1.4826 = \(unit.text(maxDecimals: 4))) is \(spread.text()) points; rounded half-up to 2 decimals"
        guard unit > 0 else {
            return (totals.map { _ in centre }, note + "; every total is the median, so all sit at \(centre.text())")
        }
        let values = totals.map { (centre + ($0 - m) / unit * spread).rounded(Rounding(.halfUp, decimals: 2)) }
        // Totals so far apart that the arithmetic passes 64 bits get no standardised total (never a wrong one).
        let tooLarge = values.filter(\.isTooLarge).count
        guard tooLarge > 0 else { return (values, note) }
        return (
            values.map { $0.isTooLarge ? nil : $0 },
            note + "; \(tooLarge) total\(tooLarge == 1 ? "" : "s") left without a standardised total: number too large"
        )
    }
}

extension ResultsBuilder {
    /// The median-centred standardisation on its own (for tests and documentation examples).
    public static func medianCentredForTesting(_ totals: [Exact], centre: Exact, spread: Exact) -> ([Exact?], String) {
        medianCentred(totals, centre: centre, spread: spread)
    }
}
