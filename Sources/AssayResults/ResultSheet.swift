public import AssayModel
import Foundation

/// A competition's result sheet: what a chief judge publishes and defends.
public struct ResultSheet: Sendable {
    public var program: String
    public var programVersion: String
    public var competition: String
    public var competitionTitle: String
    /// SHA-256 of the rubric file and of every evidence file, so anyone can re-run and compare.
    public var inputs: [(path: String, sha256: String)]
    /// Ranked entrants, best first.
    public var standings: [Standing]
    /// Entrants with an incomplete outcome: listed apart, never ranked.
    public var unranked: [Unranked]
    /// What happened at award boundaries (quotas, small fields, ties), in words.
    public var awardNotes: [String]
    /// How many of each award were given, in scheme order.
    public var awardCounts: [(award: String, title: String, count: Int)]
    /// How totals were standardised, if they were.
    public var standardisationNote: String?
    public var judges: JudgeReport

    public init(
        program: String, programVersion: String, competition: String, competitionTitle: String,
        inputs: [(path: String, sha256: String)], standings: [Standing], unranked: [Unranked], awardNotes: [String],
        awardCounts: [(award: String, title: String, count: Int)], standardisationNote: String?, judges: JudgeReport
    ) {
        self.program = program
        self.programVersion = programVersion
        self.competition = competition
        self.competitionTitle = competitionTitle
        self.inputs = inputs
        self.standings = standings
        self.unranked = unranked
        self.awardNotes = awardNotes
        self.awardCounts = awardCounts
        self.standardisationNote = standardisationNote
        self.judges = judges
    }
}

/// One ranked entrant.
public struct Standing: Sendable, Hashable {
    /// Standard competition ranking: 1, 2, 2, 4.
    public var rank: Int
    public var candidate: String
    public var total: Exact
    /// Decimals the rubric rounds the total to.
    public var decimals: Int?
    public var standardised: Exact?
    public var award: String?
    /// The tie-break nodes' scores, in the rubric's order (nil where the node has no score).
    public var tieBreak: [Exact?]
    /// How a tie on the total was settled, or that it could not be; nil when no other entrant has this total,
    /// or when the sheet was built without notes. A few tied entrants are named one by one; a larger group of
    /// them is counted (see `TieNotes`), so a note stays short however many entrants are tied.
    public var tieNote: String?
    /// Flags from scoring (judges to re-mark).
    public var flags: [String]

    public init(
        rank: Int, candidate: String, total: Exact, decimals: Int?, standardised: Exact? = nil, award: String? = nil,
        tieBreak: [Exact?] = [], tieNote: String? = nil, flags: [String] = []
    ) {
        self.rank = rank
        self.candidate = candidate
        self.total = total
        self.decimals = decimals
        self.standardised = standardised
        self.award = award
        self.tieBreak = tieBreak
        self.tieNote = tieNote
        self.flags = flags
    }

    /// The total as published (with the rubric's decimals).
    public var shownTotal: String { decimals.map(total.text(decimals:)) ?? total.text() }
}

/// An entrant without a complete result.
public struct Unranked: Sendable, Hashable {
    public var candidate: String
    public var reasons: [String]

    public init(candidate: String, reasons: [String]) {
        self.candidate = candidate
        self.reasons = reasons
    }
}
