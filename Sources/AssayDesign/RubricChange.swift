import AssayModel
import Foundation

/// One structural difference between two versions of a program's rubric: something added, removed or changed
/// that can change a result (a node, a weight, a pass mark, an award quota, a rule, a level…).
///
/// Wording (titles and descriptions) and the program's version string are not structural: they change no
/// one's result, and ``RubricComparer`` only counts them.
public struct RubricChange: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case added, removed, changed
    }

    public var kind: Kind
    /// The course, competition or certificate whose results it can change (nil for posts and rules).
    public var target: String?
    /// The scoring node (or certificate component) inside the target, if the change is at one.
    public var node: String?
    /// The recognition rule, if the change is to one (or to the program's credit cap: `max-credits`).
    public var rule: String?
    /// What changed, in a designer's words: `competition nmit-2025, node P1: weight 30 → 40`.
    public var words: String

    public init(kind: Kind, target: String? = nil, node: String? = nil, rule: String? = nil, words: String) {
        self.kind = kind
        self.target = target
        self.node = node
        self.rule = rule
        self.words = words
    }
}
