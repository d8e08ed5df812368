public import Foundation

/// Whether a number can be trusted: `complete`, or `incomplete` with every reason (never a silent zero).
public enum OutcomeStatus: Sendable, Hashable {
    case complete
    case incomplete([String])

    public var isComplete: Bool { if case .complete = self { return true } else { return false } }

    public var reasons: [String] { if case .incomplete(let r) = self { return r } else { return [] } }

    /// `complete` or `incomplete`.
    public var word: String { isComplete ? "complete" : "incomplete" }
}

/// The result of one node for one candidate, with how it was reached.
public struct NodeOutcome: Sendable, Hashable {
    public var node: String
    public var title: String?
    public var scorer: String
    /// The score, exact; absent when the node is incomplete or skipped.
    public var value: Exact?
    public var maxValue: Exact
    public var weightValue: Exact?
    /// Decimals the rubric rounds this node to (scores are shown with exactly that many), if it rounds.
    public var decimals: Int?
    public var status: OutcomeStatus
    /// True when the node had no evidence and its missing policy is `skip`.
    public var skipped: Bool
    /// How the number was computed, in words and figures a judge can check by hand.
    public var explanation: String
    /// Things to look at again (e.g. judges further apart than max-spread).
    public var flags: [String]
    /// Where the evidence it read came from.
    public var sources: [ItemOrigin]
    public var children: [NodeOutcome]

    public init(
        node: String, title: String? = nil, scorer: String, value: Exact?, max: Exact, weight: Exact? = nil,
        decimals: Int? = nil, status: OutcomeStatus, skipped: Bool = false, explanation: String, flags: [String] = [],
        sources: [ItemOrigin] = [], children: [NodeOutcome] = []
    ) {
        self.node = node
        self.title = title
        self.scorer = scorer
        self.value = value
        self.maxValue = max
        self.weightValue = weight
        self.decimals = decimals
        self.status = status
        self.skipped = skipped
        self.explanation = explanation
        self.flags = flags
        self.sources = sources
        self.children = children
    }

    /// The score as a Foundation decimal.
    public var score: Decimal? { value?.decimal }
    public var max: Decimal { maxValue.decimal }
    public var weight: Decimal? { weightValue?.decimal }
    /// The score as published: with exactly the decimals the rubric rounds this node to.
    public var shownScore: String? { value.map { decimals.map($0.text(decimals:)) ?? $0.text() } }
}

/// One candidate's result in one course, competition or certificate.
public struct Outcome: Sendable, Hashable {
    public enum TargetKind: String, Sendable, Hashable {
        case course, competition, certificate, unknown
    }

    public var candidate: String
    public var target: String
    public var kind: TargetKind
    /// The score, exact.
    public var value: Exact?
    public var maxValue: Exact
    /// Pass or fail, for courses and certificates with a complete result.
    public var passed: Bool?
    public var status: OutcomeStatus
    /// Problems to look at that do not make the outcome incomplete (judge spread flags).
    public var flags: [String]
    /// The node tree (absent when the caller asked for totals only).
    public var root: NodeOutcome?
    /// Decimals the rubric rounds the total to, if it rounds.
    public var decimals: Int?

    public init(
        candidate: String, target: String, kind: TargetKind, value: Exact?, max: Exact, passed: Bool?,
        status: OutcomeStatus, flags: [String] = [], root: NodeOutcome? = nil
    ) {
        self.candidate = candidate
        self.target = target
        self.kind = kind
        self.value = value
        self.maxValue = max
        self.passed = passed
        self.status = status
        self.flags = flags
        self.root = root
    }

    public var score: Decimal? { value?.decimal }
    public var max: Decimal { maxValue.decimal }
    /// The score as published: with the decimals the rubric rounds the top node to.
    public var shownScore: String? { value.map { decimals.map($0.text(decimals:)) ?? $0.text() } }
}
