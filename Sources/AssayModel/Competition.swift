public import Foundation

/// A competition standard: its scoring tree (sections → criteria → aspects), award scheme, optional
/// standardisation and tie-break order.
public struct Competition: Sendable, Hashable {
    public var id: String
    public var title: String
    public var description: String?
    public var root: ScoringNode
    public var awards: AwardScheme?
    public var standardisation: Standardisation?
    /// Node ids compared, in order, to break ties on the total.
    public var tieBreak: [NodeReference]
    public var origin: Origin

    public init(
        id: String, title: String, root: ScoringNode, awards: AwardScheme? = nil,
        standardisation: Standardisation? = nil, tieBreak: [NodeReference] = [], origin: Origin = .synthetic()
    ) {
        self.id = id
        self.title = title
        self.root = root
        self.awards = awards
        self.standardisation = standardisation
        self.tieBreak = tieBreak
        self.origin = origin
    }
}

/// A reference to a scoring node by id (in a tie-break chain).
public struct NodeReference: Sendable, Hashable {
    public var node: String
    public var origin: Origin

    public init(_ node: String, origin: Origin = .synthetic()) {
        self.node = node
        self.origin = origin
    }
}

/// The awards of a competition, best first.
public struct AwardScheme: Sendable, Hashable {
    /// How a quota count (percent × entrants) is rounded to whole entrants.
    public enum QuotaRounding: String, Sendable, Hashable, CaseIterable {
        case halfUp = "half-up", floor, ceiling
    }

    /// What happens when tied entrants straddle a quota boundary.
    public enum TiePolicy: String, Sendable, Hashable, CaseIterable {
        /// Every tied entrant gets the award; the quota grows.
        case expand
        /// None of the tied entrants at the boundary gets it; the quota shrinks.
        case contract
    }

    public var awards: [Award]
    public var smallFields: [SmallFieldRule]
    public var rounding: QuotaRounding
    public var ties: TiePolicy
    public var origin: Origin

    public init(
        awards: [Award], smallFields: [SmallFieldRule] = [], rounding: QuotaRounding = .halfUp,
        ties: TiePolicy = .expand, origin: Origin = .synthetic()
    ) {
        self.awards = awards
        self.smallFields = smallFields
        self.rounding = rounding
        self.ties = ties
        self.origin = origin
    }

    /// Position of the award in the scheme (0 = best), if it exists.
    public func rank(of award: String) -> Int? { awards.firstIndex { $0.id == award } }
}

/// One award: by place (gold to the entrants ranked 1st), by quota (percent of entrants with a result) or
/// by threshold (score or standardised score).
public struct Award: Sendable, Hashable {
    public var id: String
    public var title: String?
    /// Rank that earns it (entrants sharing that rank all do).
    public var place: Int?
    public var quotaPercent: Decimal?
    public var minScore: Decimal?
    public var minStandardised: Decimal?
    public var origin: Origin

    public init(
        id: String, title: String? = nil, place: Int? = nil, quotaPercent: Decimal? = nil, minScore: Decimal? = nil,
        minStandardised: Decimal? = nil, origin: Origin = .synthetic()
    ) {
        self.id = id
        self.title = title
        self.place = place
        self.quotaPercent = quotaPercent
        self.minScore = minScore
        self.minStandardised = minStandardised
        self.origin = origin
    }
}

/// Fixed award counts for a field of at most `maxEntrants` entrants (e.g. ≤ 5: one first, one second).
public struct SmallFieldRule: Sendable, Hashable {
    /// So many of one award.
    public struct Grant: Sendable, Hashable {
        public var award: String
        public var count: Int
        public var origin: Origin

        public init(award: String, count: Int, origin: Origin = .synthetic()) {
            self.award = award
            self.count = count
            self.origin = origin
        }
    }

    public var maxEntrants: Int
    public var grants: [Grant]
    public var origin: Origin

    public init(maxEntrants: Int, grants: [Grant], origin: Origin = .synthetic()) {
        self.maxEntrants = maxEntrants
        self.grants = grants
        self.origin = origin
    }
}

/// Standardisation of competition totals.
public struct Standardisation: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable, CaseIterable {
        /// The median entrant at `centre`; one spread unit (MAD × 1.4826) is `spread` points.
        case medianCentred = "median-centred"
    }

    public var method: Method
    public var centre: Decimal
    public var spread: Decimal
    public var origin: Origin

    public init(method: Method, centre: Decimal = 700, spread: Decimal = 100, origin: Origin = .synthetic()) {
        self.method = method
        self.centre = centre
        self.spread = spread
        self.origin = origin
    }
}
