public import Foundation

/// One node of a scoring tree. A leaf reads evidence recorded against its id; an inner node combines its
/// children. Every node names its scorer, its maximum and, optionally, its weight in the parent and how its
/// score is rounded.
public struct ScoringNode: Sendable, Hashable {
    /// Objective (`measurement`) or panel-judged (`judgement`) aspect, as in WorldSkills marking schemes.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case measurement, judgement
    }

    /// What missing evidence means for this node.
    public enum MissingPolicy: String, Sendable, Hashable, CaseIterable {
        /// The outcome is `incomplete` with the reason (the default: never a silent zero).
        case incomplete
        /// The node scores 0 and the trace says why.
        case zero
        /// The node is left out of its parent's aggregate.
        case skip
    }

    public var id: String
    public var title: String?
    public var scorer: ScorerReference
    /// Highest score the node can give (> 0).
    public var max: Decimal
    /// Lowest score the node can give (default 0; negative for e.g. grades of execution).
    public var min: Decimal?
    /// Weight in a `weighted-mean` parent, in percent.
    public var weight: Decimal?
    public var kind: Kind?
    public var rounding: Rounding?
    public var missing: MissingPolicy
    /// A gate: below this on this node the candidate fails the course whatever the total.
    public var mustReach: Decimal?
    public var parameters: [Parameter]
    /// Requirements this node tests (for the integration matrix).
    public var tests: [RequirementRef]
    public var children: [ScoringNode]
    public var origin: Origin

    public init(
        id: String, title: String? = nil, scorer: ScorerReference, max: Decimal, min: Decimal? = nil,
        weight: Decimal? = nil, kind: Kind? = nil, rounding: Rounding? = nil, missing: MissingPolicy = .incomplete,
        mustReach: Decimal? = nil, parameters: [Parameter] = [], tests: [RequirementRef] = [], children: [ScoringNode] = [],
        origin: Origin = .synthetic()
    ) {
        self.id = id
        self.title = title
        self.scorer = scorer
        self.max = max
        self.min = min
        self.weight = weight
        self.kind = kind
        self.rounding = rounding
        self.missing = missing
        self.mustReach = mustReach
        self.parameters = parameters
        self.tests = tests
        self.children = children
        self.origin = origin
    }

    /// The value of the named parameter as written, if given.
    public func parameter(_ name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    /// This node and all below it, depth first, parents before children.
    public var allNodes: [ScoringNode] {
        var out: [ScoringNode] = []
        func walk(_ n: ScoringNode) {
            out.append(n)
            n.children.forEach(walk)
        }
        walk(self)
        return out
    }

    /// Calls `body` on this node and every node below it, depth first, parents before children, without
    /// copying the tree.
    public func forEachNode(_ body: (ScoringNode) -> Void) {
        body(self)
        for child in children { child.forEachNode(body) }
    }

    /// The node with this id in the subtree, if any.
    public func find(_ id: String) -> ScoringNode? {
        if self.id == id { return self }
        for child in children { if let hit = child.find(id) { return hit } }
        return nil
    }
}

/// A scorer as a node names it: built-in (`weighted-mean`) or offered by a plugin (`plugin:exposure-check`).
public struct ScorerReference: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var isPlugin: Bool

    public init(parsing text: String) {
        if text.hasPrefix("plugin:") {
            name = String(text.dropFirst("plugin:".count))
            isPlugin = true
        } else {
            name = text
            isPlugin = false
        }
    }

    public var description: String { isPlugin ? "plugin:\(name)" : name }
}

/// A scorer parameter as written in the rubric; its type is checked against the scorer's signature.
public struct Parameter: Sendable, Hashable {
    public var name: String
    public var value: String
    public var origin: Origin

    public init(name: String, value: String, origin: Origin = .synthetic()) {
        self.name = name
        self.value = value
        self.origin = origin
    }
}

/// How a node's score is rounded: a mode and a number of decimals, applied exactly (decimal arithmetic).
public struct Rounding: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// .5 away from zero.
        case halfUp = "half-up"
        /// .5 to the even neighbour (banker's rounding).
        case halfEven = "half-even"
        /// .5 toward zero.
        case halfDown = "half-down"
        /// Away from zero.
        case up
        /// Toward zero (truncation).
        case down
        /// Toward minus infinity.
        case floor
        /// Toward plus infinity.
        case ceiling
    }

    public var mode: Mode
    public var decimals: Int

    public init(_ mode: Mode, decimals: Int) {
        self.mode = mode
        self.decimals = decimals
    }
}
