public import Foundation

/// The root of a rubric: one program (major) with its posts, courses, competitions, certificates and
/// recognition rules. Built by the loader from `urn:assay:rubric:1` XML; immutable afterwards.
public struct Program: Sendable, Hashable {
    public var id: String
    public var version: String
    public var title: String
    public var description: String?
    public var posts: [Post]
    public var courses: [Course]
    public var competitions: [Competition]
    public var certificates: [Certificate]
    public var recognition: Recognition?
    public var origin: Origin

    public init(
        id: String, version: String, title: String, description: String? = nil, posts: [Post] = [],
        courses: [Course] = [], competitions: [Competition] = [], certificates: [Certificate] = [],
        recognition: Recognition? = nil, origin: Origin = .synthetic()
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.description = description
        self.posts = posts
        self.courses = courses
        self.competitions = competitions
        self.certificates = certificates
        self.recognition = recognition
        self.origin = origin
    }

    /// Every requirement of every post, in document order.
    public var requirements: [Requirement] { posts.flatMap(\.requirements) }

    public func course(_ id: String) -> Course? { courses.first { $0.id == id } }
    public func competition(_ id: String) -> Competition? { competitions.first { $0.id == id } }
    public func certificate(_ id: String) -> Certificate? { certificates.first { $0.id == id } }
}

/// An occupational role graduates take (e.g. CT technologist), with the requirements it makes of them.
public struct Post: Sendable, Hashable {
    public var id: String
    public var title: String
    public var description: String?
    public var requirements: [Requirement]
    public var origin: Origin

    public init(
        id: String, title: String, description: String? = nil, requirements: [Requirement], origin: Origin = .synthetic()
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.requirements = requirements
        self.origin = origin
    }
}

/// A competency a post requires. Ids are unique across the whole program.
public struct Requirement: Sendable, Hashable {
    public var id: String
    public var title: String
    /// The post it belongs to.
    public var post: String
    public var origin: Origin

    public init(id: String, title: String, post: String, origin: Origin = .synthetic()) {
        self.id = id
        self.title = title
        self.post = post
        self.origin = origin
    }
}

/// A reference to a requirement (`covers`, `tests`, `attests`).
public struct RequirementRef: Sendable, Hashable {
    public var requirement: String
    public var origin: Origin

    public init(_ requirement: String, origin: Origin = .synthetic()) {
        self.requirement = requirement
        self.origin = origin
    }
}

/// A course: credits, pass mark (on the scale of its assessment's root node), the requirements it teaches,
/// and its assessment as a scoring tree.
public struct Course: Sendable, Hashable {
    public var id: String
    public var title: String
    public var description: String?
    /// Curriculum module (basic, core, AI, practice…), for grouping.
    public var module: String?
    public var semester: Int?
    public var credits: Decimal
    public var pass: Decimal
    public var covers: [RequirementRef]
    public var assessment: ScoringNode
    public var origin: Origin

    public init(
        id: String, title: String, description: String? = nil, module: String? = nil, semester: Int? = nil,
        credits: Decimal, pass: Decimal, covers: [RequirementRef] = [], assessment: ScoringNode,
        origin: Origin = .synthetic()
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.module = module
        self.semester = semester
        self.credits = credits
        self.pass = pass
        self.covers = covers
        self.assessment = assessment
        self.origin = origin
    }
}
