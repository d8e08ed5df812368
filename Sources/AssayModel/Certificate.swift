public import Foundation

/// A professional qualification or vocational skill-level certificate: ordered levels, exam components
/// with pass marks, and the requirements it attests.
public struct Certificate: Sendable, Hashable {
    public var id: String
    public var title: String
    public var description: String?
    /// How long a pass stays valid, in years, if limited.
    public var validYears: Int?
    public var attests: [RequirementRef]
    /// Levels; a higher `rank` is a higher level (junior 1 → intermediate 2 → senior 3).
    public var levels: [Level]
    public var components: [Component]
    public var origin: Origin

    public init(
        id: String, title: String, validYears: Int? = nil, attests: [RequirementRef] = [], levels: [Level],
        components: [Component] = [], origin: Origin = .synthetic()
    ) {
        self.id = id
        self.title = title
        self.validYears = validYears
        self.attests = attests
        self.levels = levels
        self.components = components
        self.origin = origin
    }

    public func level(_ id: String) -> Level? { levels.first { $0.id == id } }
    public func component(_ id: String) -> Component? { components.first { $0.id == id } }

    public struct Level: Sendable, Hashable {
        public var id: String
        public var title: String?
        public var rank: Int
        public var origin: Origin

        public init(id: String, title: String? = nil, rank: Int, origin: Origin = .synthetic()) {
            self.id = id
            self.title = title
            self.rank = rank
            self.origin = origin
        }
    }

    /// An exam subject (theory, practical), scored out of `max` with a pass line.
    public struct Component: Sendable, Hashable {
        public var id: String
        public var title: String?
        public var max: Decimal
        public var pass: Decimal
        public var attests: [RequirementRef]
        public var origin: Origin

        public init(
            id: String, title: String? = nil, max: Decimal, pass: Decimal, attests: [RequirementRef] = [],
            origin: Origin = .synthetic()
        ) {
            self.id = id
            self.title = title
            self.max = max
            self.pass = pass
            self.attests = attests
            self.origin = origin
        }
    }
}
