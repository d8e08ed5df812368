import AssayModel
import Foundation

/// What a scorer is given for one node of one candidate.
public struct ScorerInput: Sendable {
    public var node: ScoringNode
    /// Items recorded against this node (leaves, and deduction nodes).
    public var items: [EvidenceItem]
    /// The children's results, already rounded (inner nodes); skipped children are left out.
    public var children: [NodeOutcome]
    /// Whether to write explanations (the trace); totals-only runs skip the words.
    public var explain: Bool

    public init(node: ScoringNode, items: [EvidenceItem], children: [NodeOutcome], explain: Bool) {
        self.node = node
        self.items = items
        self.children = children
        self.explain = explain
    }

    /// The node's lowest possible score (its min, else 0).
    public var floor: Decimal { node.min ?? 0 }
}

/// What a scorer returns: a score (or none, with the reason), how it got there, and flags.
public struct ScorerResult: Sendable {
    public var score: Decimal?
    public var problems: [String]
    public var explanation: String
    public var flags: [String]

    public init(score: Decimal?, problems: [String] = [], explanation: String = "", flags: [String] = []) {
        self.score = score
        self.problems = problems
        self.explanation = explanation
        self.flags = flags
    }

    public static func incomplete(_ problem: String) -> ScorerResult { ScorerResult(score: nil, problems: [problem]) }
}

/// Turns the evidence and parameters of one node into a score. Built-in scorers and plugin scorers (run in
/// their own process) both satisfy it; parameters were checked when the rubric was loaded, so a scorer
/// trusts their form.
public protocol Scorer: Sendable {
    /// Whether the node reads evidence (true) or combines its children (false).
    var readsEvidence: Bool { get }
    func score(_ input: ScorerInput) -> ScorerResult
}
