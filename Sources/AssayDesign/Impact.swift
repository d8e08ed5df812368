import Foundation

/// Something that changes for one candidate between two versions of a program, on the same evidence: an
/// outcome (score, pass/fail, complete/incomplete), a place or award in a competition, or a recognition
/// decision, from what to what, and why.
public struct Impact: Sendable, Hashable, Codable {
    /// What changes; the raw value is the CSV's `kind`.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A course, competition or certificate outcome.
        case outcome
        /// A rank or award in a competition's standings.
        case standing
        /// A recognition rule's decision.
        case recognition
    }

    public var kind: Kind
    /// The candidate's id, as in the evidence.
    public var candidate: String
    /// The course, competition or certificate id (outcome, standing), or the rule id (recognition).
    public var subject: String
    /// Before and after, in words: `81.2 pass`, `rank 2, first`, `granted (4 credits, grade 88)`.
    public var from: String
    public var to: String
    /// Why: the rubric changes that made the difference (and, where it helps, the number that moved).
    public var why: [String]

    /// An impact with its reasons.
    public init(kind: Kind, candidate: String, subject: String, from: String, to: String, why: [String]) {
        self.kind = kind
        self.candidate = candidate
        self.subject = subject
        self.from = from
        self.to = to
        self.why = why
    }
}
