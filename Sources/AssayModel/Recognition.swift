public import Foundation

/// The program's credit-recognition rules and their caps.
public struct Recognition: Sendable, Hashable {
    /// At most this many credits per candidate may be granted by recognition.
    public var maxCredits: Decimal?
    public var rules: [RecognitionRule]
    public var origin: Origin

    public init(maxCredits: Decimal? = nil, rules: [RecognitionRule], origin: Origin = .synthetic()) {
        self.maxCredits = maxCredits
        self.rules = rules
        self.origin = origin
    }
}

/// When a candidate's evidence satisfies `condition`, grant `grant`.
public struct RecognitionRule: Sendable, Hashable {
    public var id: String
    public var title: String?
    /// Higher wins when several rules grant the same thing.
    public var priority: Int
    public var condition: Condition
    public var grant: Grant
    public var origin: Origin

    public init(
        id: String, title: String? = nil, priority: Int = 0, condition: Condition, grant: Grant,
        origin: Origin = .synthetic()
    ) {
        self.id = id
        self.title = title
        self.priority = priority
        self.condition = condition
        self.grant = grant
        self.origin = origin
    }
}

/// A condition on a candidate's evidence and outcomes.
public indirect enum Condition: Sendable, Hashable {
    /// Holds certificate `ref` at level `atLeast` or higher, issued within `withinYears`, optionally with a
    /// component score of at least `minScore`.
    case certificate(ref: String, atLeast: String?, withinYears: Int?, component: String?, minScore: Decimal?, origin: Origin)
    /// Won an award of `competition` at least as good as `atLeast`.
    case award(competition: String, atLeast: String, withinYears: Int?, origin: Origin)
    /// Passed course `ref`, or scored at least `minScore` in it.
    case course(ref: String, minScore: Decimal?, origin: Origin)
    case all([Condition], origin: Origin)
    case any([Condition], origin: Origin)

    public var origin: Origin {
        switch self {
        case .certificate(_, _, _, _, _, let o), .award(_, _, _, let o), .course(_, _, let o), .all(_, let o),
            .any(_, let o):
            return o
        }
    }

    /// The conditions that must all hold for this one to hold: itself, and through `all` (not `any`)
    /// everything nested in it.
    public var required: [Condition] {
        switch self {
        case .all(let cs, _): return [self] + cs.flatMap(\.required)
        default: return [self]
        }
    }

    /// This condition and every condition nested in it.
    public var flattened: [Condition] {
        switch self {
        case .all(let cs, _), .any(let cs, _): return [self] + cs.flatMap(\.flattened)
        default: return [self]
        }
    }
}

/// What a rule grants.
public enum Grant: Sendable, Hashable {
    /// The candidate is exempt from the course and earns its credits.
    case exemptCourse(ref: String, origin: Origin)
    /// Credit for the course with a grade from `map` (first entry met), else `grade`.
    case transferCredit(course: String, grade: Decimal?, map: [GradeMapEntry], origin: Origin)
    /// The candidate is exempt from one component of a certificate exam.
    case exemptComponent(certificate: String, component: String, origin: Origin)

    public var origin: Origin {
        switch self {
        case .exemptCourse(_, let o), .transferCredit(_, _, _, let o), .exemptComponent(_, _, let o): return o
        }
    }

    /// The course this grant gives credit for, if any.
    public var course: String? {
        switch self {
        case .exemptCourse(let ref, _): return ref
        case .transferCredit(let c, _, _, _): return c
        case .exemptComponent: return nil
        }
    }
}

/// One line of a grade-mapping table: an award, a certificate level or a course score → a grade.
public struct GradeMapEntry: Sendable, Hashable {
    public var award: String?
    public var level: String?
    public var minScore: Decimal?
    public var grade: Decimal
    public var origin: Origin

    public init(award: String? = nil, level: String? = nil, minScore: Decimal? = nil, grade: Decimal, origin: Origin = .synthetic()) {
        self.award = award
        self.level = level
        self.minScore = minScore
        self.grade = grade
        self.origin = origin
    }
}
