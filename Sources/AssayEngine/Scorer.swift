public import AssayModel
import Foundation

/// What a scorer is given for one node of one candidate.
public struct ScorerInput: Sendable {
    /// The node's id (parameters were given to the scorer when it was made for this node).
    public var nodeID: String
    /// The node's max and min, exact.
    public var max: Exact
    public var nodeMin: Exact?
    /// Items recorded against this node (leaves, and deduction nodes).
    public var items: [EvidenceItem]
    /// Files submitted for this node (read by plugin scorers).
    public var artifacts: [Artifact]
    /// The candidate being scored (for plugin requests and messages).
    public var candidate: String
    /// The children's scores, already rounded (inner nodes); skipped children are left out.
    public var children: [ChildScore]
    /// Whether to write explanations (the trace); totals-only runs skip the words.
    public var explain: Bool

    public init(
        nodeID: String, max: Exact, min: Exact?, items: [EvidenceItem], artifacts: [Artifact] = [], candidate: String = "",
        children: [ChildScore], explain: Bool
    ) {
        self.nodeID = nodeID
        self.artifacts = artifacts
        self.candidate = candidate
        self.max = max
        self.nodeMin = min
        self.items = items
        self.children = children
        self.explain = explain
    }

    /// The node's lowest possible score (its min, else 0).
    public var floor: Exact { nodeMin ?? 0 }
}

/// A child node's result as its parent's scorer sees it.
public struct ChildScore: Sendable {
    public var node: String
    /// Absent when the child is incomplete.
    public var value: Exact?
    public var maxValue: Exact
    public var weightValue: Exact?

    public init(node: String, value: Exact?, maxValue: Exact, weightValue: Exact?) {
        self.node = node
        self.value = value
        self.maxValue = maxValue
        self.weightValue = weightValue
    }
}

/// What a scorer returns: a score (or none, with the reason), how it got there, and flags.
public struct ScorerResult: Sendable {
    public var score: Exact?
    public var problems: [String]
    public var explanation: String
    public var flags: [String]

    public init(score: Exact?, problems: [String] = [], explanation: String = "", flags: [String] = []) {
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

/// Makes scorers for nodes that name a plugin scorer (`plugin:ID`). The plugin host implements it; the
/// engine asks once per node when it compiles a rubric, passing the node (its parameters and maximum).
public protocol ScorerProvider: Sendable {
    func scorer(for node: ScoringNode) -> (any Scorer)?

    /// Called with each batch of candidates before the engine scores them one by one, so that a provider
    /// can work ahead (the plugin host sends the batch's requests to its workers at once, several in
    /// flight). Optional: scorers must give the same result whether or not it was called.
    func prepare(_ candidates: [CandidateEvidence])
}

// MARK: - Default implementations

extension ScorerProvider {
    /// Does nothing: the provider's scorers work one node at a time.
    public func prepare(_ candidates: [CandidateEvidence]) {}
}
