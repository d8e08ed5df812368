import AssayModel
import Foundation

/// One structural difference between two versions of a program's rubric: something added, removed or changed
/// that can change a result (a node, a weight, a pass mark, an award quota, a rule, a level…).
///
/// Wording (titles and descriptions) and the program's version string are not structural: they change no
/// one's result, and ``RubricComparer`` only counts them.
///
/// ``element`` and ``aspect`` say what the change is to, so that ``WhatIf`` can tell which results it can
/// change without reading its words: a weight changes scores, a pass mark only pass or fail, an award quota
/// only awards, a course's credits only the credits a recognition grants, and `covers`, `tests` and
/// `attests` no one's result.
public struct RubricChange: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case added, removed, changed
    }

    /// The part of the program the change is in.
    public enum Element: String, Sendable, Hashable, Codable {
        case post, requirement, course, competition, certificate
        /// A recognition rule or the program's credit cap.
        case recognition
    }

    /// What about that part changed, which decides what it can change for someone.
    public enum Aspect: String, Sendable, Hashable, Codable {
        /// A post or requirement, added, removed or moved: changes no one's result.
        case requirement
        /// A course, competition or certificate added or removed as a whole.
        case whole
        /// How a score is reached: a scoring node (or certificate component) added, removed or moved; its
        /// scorer, max, min, weight, kind, rounding, missing policy or parameters. Changes scores.
        case scoring
        /// A course's or component's pass mark, or a node's must-reach gate: changes pass or fail only.
        case passMark = "pass-mark"
        /// A course's credits: changes the credits a recognition grants.
        case credits
        /// `covers`, `tests`, `attests`: what the matrix shows; changes no one's result.
        case mapping
        /// Which awards a competition gives, and their order (best first): the scheme added or removed, an
        /// award added or removed, the award order. Changes awards, and what an award condition accepts.
        case awards
        /// How a competition's awards are given: places, quotas, minimum scores, quota rounding, ties,
        /// small-field rules. Changes who gets which award, not scores.
        case awardRules = "award-rules"
        /// A competition's tie-break order: changes ranks, not scores.
        case tieBreak = "tie-break"
        /// A competition's standardisation: changes standardised scores (award minimums), not totals.
        case standardisation
        /// A certificate's valid-years: changes which certificates recognition accepts.
        case validity
        /// A certificate's levels (added, removed, ranks): changes what a level condition accepts.
        case levels
        /// A recognition rule: added, removed, priority, condition, grant.
        case rule
        /// The program's credit cap (`max-credits`).
        case creditCap = "credit-cap"
    }

    public var kind: Kind
    /// The part of the program the change is in.
    public var element: Element
    /// What about it changed.
    public var aspect: Aspect
    /// The course, competition or certificate whose results it can change (nil for posts and rules).
    public var target: String?
    /// The scoring node (or certificate component) inside the target, if the change is at one.
    public var node: String?
    /// The recognition rule, if the change is to one (or to the program's credit cap: `max-credits`).
    public var rule: String?
    /// What changed, in a designer's words: `competition nmit-2025, node P1: weight 30 → 40`.
    public var words: String

    public init(
        kind: Kind, element: Element, aspect: Aspect, target: String? = nil, node: String? = nil, rule: String? = nil,
        words: String
    ) {
        self.kind = kind
        self.element = element
        self.aspect = aspect
        self.target = target
        self.node = node
        self.rule = rule
        self.words = words
    }

    /// Whether the change is in course, competition or certificate `id` (by its kind of outcome).
    func isIn(_ kind: Outcome.TargetKind, _ id: String) -> Bool {
        guard target == id else { return false }
        switch kind {
        case .course: return element == .course
        case .competition: return element == .competition
        case .certificate: return element == .certificate
        case .unknown: return false
        }
    }
}
