public import AssayModel
import Foundation

/// The post–course–competition–certificate integration matrix of one program: for every requirement of every
/// post, the courses that teach it, the competition nodes that test it and the certificates (or certificate
/// components) that attest it, with a verdict; and the reverse gaps, the parts of the program that serve no
/// requirement.
///
/// What counts:
/// - **taught**: a course has `<covers requirement>` for it.
/// - **tested**: a node of a competition's scoring tree (a leaf or a section) has `<tests requirement>` for it.
/// - **attested**: a certificate has `<attests requirement>` for it, on the certificate or on one of its
///   components.
///
/// Reverse gaps:
/// - a course that covers no requirement;
/// - a competition **aspect** (a leaf of the scoring tree: the nodes that read evidence) that tests no
///   requirement, neither itself nor through a section above it. Sections (inner nodes) only combine their
///   aspects' scores, so a section without `<tests>` is not a gap; a section's `<tests>` counts for every
///   aspect below it;
/// - a certificate that attests nothing at all (neither itself nor any component);
/// - a certificate exam component without `<attests>` of its own, when other components of its certificate
///   have theirs (once a certificate maps its components, each should say what it attests). A certificate that
///   maps only itself, and none of its components, has no component gaps.
public struct IntegrationMatrix: Sendable, Hashable {
    /// The verdict on one requirement: which of taught, tested and attested hold.
    public struct Verdict: Sendable, Hashable {
        /// A course covers it.
        public var taught: Bool
        /// A competition node tests it.
        public var tested: Bool
        /// A certificate, or one of its components, attests it.
        public var attested: Bool

        /// A verdict from the three facts.
        public init(taught: Bool, tested: Bool, attested: Bool) {
            self.taught = taught
            self.tested = tested
            self.attested = attested
        }

        /// All three hold.
        public var isIntegrated: Bool { taught && tested && attested }

        /// The words of what is missing, in the order taught, tested, attested (empty when integrated).
        public var missing: [String] {
            var out: [String] = []
            if !taught { out.append("not taught") }
            if !tested { out.append("not tested") }
            if !attested { out.append("not attested") }
            return out
        }

        /// `taught + tested + attested`, or the gaps: `not tested, not attested`.
        public var words: String { isIntegrated ? "taught + tested + attested" : missing.joined(separator: ", ") }
    }

    /// One requirement's row.
    public struct Row: Sendable, Hashable {
        /// The post's id.
        public var post: String
        /// The requirement's id and title.
        public var requirement: String
        public var title: String
        /// Ids of the courses that cover it, in program order.
        public var taughtBy: [String]
        /// `competition/node` of the competition nodes that test it, in program order.
        public var testedBy: [String]
        /// `certificate` (the certificate as a whole) or `certificate/component`, in program order.
        public var attestedBy: [String]
        /// Which of taught, tested and attested hold.
        public var verdict: Verdict
    }

    /// A part of the program mapped to no requirement.
    public struct ReverseGap: Sendable, Hashable {
        /// What is mapped to nothing; the raw value is the CSV's `kind`.
        public enum Kind: String, Sendable, Hashable {
            case course
            case competitionAspect = "competition-aspect"
            case certificate
            case certificateComponent = "certificate-component"
        }

        /// Which kind of part it is.
        public var kind: Kind
        /// The course, competition or certificate id.
        public var owner: String
        /// The node or component id (nil for a course or a whole certificate).
        public var part: String?
        /// The part's title, when it has one.
        public var title: String?

        /// `MIT-999`, `nmit-2025/P9.9`, `rad-tech/theory`.
        public var reference: String { part.map { "\(owner)/\($0)" } ?? owner }

        /// What is wrong, in a designer's words, with the title when there is one.
        public var words: String {
            let named = title.map { " (\($0))" } ?? ""
            switch kind {
            case .course: return "course \(owner)\(named) covers no requirement"
            case .competitionAspect:
                return "aspect \(part ?? "")\(named) of competition \(owner) tests no requirement, nor does a section above it"
            case .certificate: return "certificate \(owner)\(named) attests no requirement, nor does any of its components"
            case .certificateComponent:
                return "component \(part ?? "")\(named) of certificate \(owner) attests no requirement of its own"
            }
        }
    }

    /// The counts shown first.
    public struct Summary: Sendable, Hashable {
        /// Posts and requirements in the program.
        public var posts: Int
        public var requirements: Int
        /// Requirements taught, tested and attested; requirements missing at least one of the three.
        public var integrated: Int
        public var withGaps: Int
        /// Requirements missing each part (a requirement missing two counts in both).
        public var notTaught: Int
        public var notTested: Int
        public var notAttested: Int
        /// Reverse gaps of each kind.
        public var coursesCoveringNothing: Int
        public var aspectsTestingNothing: Int
        public var certificatesAttestingNothing: Int
        public var componentsAttestingNothing: Int
    }

    /// An id and its title: a post, or a column of the HTML grid (course, competition, certificate).
    public struct Heading: Sendable, Hashable {
        public var id: String
        public var title: String
    }

    public var programID: String
    public var programVersion: String
    public var programTitle: String
    /// Posts in program order.
    public var posts: [Heading]
    /// One row per requirement, posts in program order, requirements in post order.
    public var rows: [Row]
    /// Courses, competition aspects, certificates and components mapped to no requirement, in program order.
    public var reverseGaps: [ReverseGap]
    /// Courses, competitions and certificates in program order.
    public var courses: [Heading]
    public var competitions: [Heading]
    public var certificates: [Heading]

    /// Builds the matrix of `program`.
    public init(program: Program) {
        programID = program.id
        programVersion = program.version
        programTitle = program.title
        posts = program.posts.map { Heading(id: $0.id, title: $0.title) }
        courses = program.courses.map { Heading(id: $0.id, title: $0.title) }
        competitions = program.competitions.map { Heading(id: $0.id, title: $0.title) }
        certificates = program.certificates.map { Heading(id: $0.id, title: $0.title) }

        var taught: [String: [String]] = [:]
        var tested: [String: [String]] = [:]
        var attested: [String: [String]] = [:]
        func add(_ list: inout [String: [String]], _ requirement: String, _ by: String) {
            if list[requirement]?.contains(by) != true { list[requirement, default: []].append(by) }
        }
        var gaps: [ReverseGap] = []
        for course in program.courses {
            for ref in course.covers { add(&taught, ref.requirement, course.id) }
            if course.covers.isEmpty { gaps.append(ReverseGap(kind: .course, owner: course.id, title: course.title)) }
        }
        for competition in program.competitions {
            func walk(_ node: ScoringNode, inherited: Bool) {
                for ref in node.tests { add(&tested, ref.requirement, "\(competition.id)/\(node.id)") }
                let mapped = inherited || !node.tests.isEmpty
                if node.children.isEmpty {
                    if !mapped {
                        gaps.append(
                            ReverseGap(kind: .competitionAspect, owner: competition.id, part: node.id, title: node.title))
                    }
                } else {
                    for child in node.children { walk(child, inherited: mapped) }
                }
            }
            walk(competition.root, inherited: false)
        }
        for certificate in program.certificates {
            for ref in certificate.attests { add(&attested, ref.requirement, certificate.id) }
            let anyComponent = certificate.components.contains { !$0.attests.isEmpty }
            if certificate.attests.isEmpty && !anyComponent {
                gaps.append(ReverseGap(kind: .certificate, owner: certificate.id, title: certificate.title))
            }
            for component in certificate.components {
                for ref in component.attests { add(&attested, ref.requirement, "\(certificate.id)/\(component.id)") }
                if component.attests.isEmpty && anyComponent {
                    gaps.append(
                        ReverseGap(
                            kind: .certificateComponent, owner: certificate.id, part: component.id, title: component.title))
                }
            }
        }
        reverseGaps = gaps
        rows = program.posts.flatMap { post in
            post.requirements.map { r in
                let t = taught[r.id] ?? [], s = tested[r.id] ?? [], a = attested[r.id] ?? []
                return Row(
                    post: post.id, requirement: r.id, title: r.title, taughtBy: t, testedBy: s, attestedBy: a,
                    verdict: Verdict(taught: !t.isEmpty, tested: !s.isEmpty, attested: !a.isEmpty))
            }
        }
    }

    /// The counts: requirements, how many are integrated, how many miss each part, and the reverse gaps.
    public var summary: Summary {
        Summary(
            posts: posts.count, requirements: rows.count, integrated: rows.filter(\.verdict.isIntegrated).count,
            withGaps: rows.filter { !$0.verdict.isIntegrated }.count,
            notTaught: rows.filter { !$0.verdict.taught }.count, notTested: rows.filter { !$0.verdict.tested }.count,
            notAttested: rows.filter { !$0.verdict.attested }.count,
            coursesCoveringNothing: reverseGaps.filter { $0.kind == .course }.count,
            aspectsTestingNothing: reverseGaps.filter { $0.kind == .competitionAspect }.count,
            certificatesAttestingNothing: reverseGaps.filter { $0.kind == .certificate }.count,
            componentsAttestingNothing: reverseGaps.filter { $0.kind == .certificateComponent }.count)
    }

    /// Whether every requirement is taught, tested and attested and nothing is mapped to no requirement.
    public var hasGaps: Bool { rows.contains { !$0.verdict.isIntegrated } || !reverseGaps.isEmpty }
}
