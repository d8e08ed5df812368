public import AssayModel
import Foundation

/// A program as a 1EdTech CASE 1.0 (Competencies and Academic Standards Exchange) `CFPackage`: one
/// `CFDocument` for the program, `CFItems` for its parts, `CFAssociations` between them, and `CFDefinitions`
/// naming the item types and association groupings used.
///
/// What becomes what:
///
/// | program part | CFItemType | `isChildOf` |
/// |---|---|---|
/// | post | `Post` | the CFDocument |
/// | requirement | `Requirement` | its post |
/// | course | `Course` | the CFDocument |
/// | competition | `Competition` | the CFDocument |
/// | competition scoring-tree node | `Competition node` | its parent node (the root node: its competition) |
/// | certificate | `Certificate` | the CFDocument |
/// | certificate exam component | `Certificate component` | its certificate |
///
/// A course's assessment tree is not exported: it says how the course is graded, not what it teaches (its
/// `covers` do). Recognition rules are not exported either: CASE has no notion of credit.
///
/// The mappings are `isRelatedTo` associations from the course, node, certificate or component (origin) to the
/// requirement (destination), each in a `CFAssociationGrouping` that says which mapping it is: `covers`
/// (a course teaches the requirement), `tests` (a competition node tests it), `attests` (a certificate or a
/// component attests it). `isRelatedTo` is a CASE 1.0 association type every consumer understands; the
/// grouping carries Assay's meaning without an `ext:` type.
///
/// Identifiers are name-based UUIDs (version 5): the program's namespace is the UUID of the URL
/// `urn:assay:program:<program id>` in RFC 9562's URL namespace; every element's identifier is the UUID of a
/// name made of its kind and ids in that namespace (`requirement:ct-dose`, `node:nmit-2025/P1.1`,
/// `component:rad-tech/practical`, `association:isRelatedTo:tests:node:nmit-2025/P1.1>requirement:dr-positioning`).
/// So the same program always exports the same identifiers, and an element keeps its identifier across program
/// versions as long as its id does not change. The program version is not part of any identifier; it is the
/// CFDocument's `version`.
///
/// `uri` is `<base URI><identifier>`; without a base URI it is `urn:uuid:<identifier>`.
/// `lastChangeDateTime` is never the time of export (re-exports must be identical): it is given by the caller.
public struct CASEPackage: Sendable {
    // The nested types' stored properties carry CASE 1.0's own field names (CFItem.fullStatement,
    // CFAssociation.originNodeURI, …) and meanings; see the 1EdTech CASE 1.0 information model.

    /// A CASE `LinkURI`: how one CASE object refers to another.
    public struct Link: Codable, Sendable, Hashable {
        public var title: String
        public var identifier: String
        public var uri: String
    }

    /// The CFDocument: the program.
    public struct Document: Codable, Sendable, Hashable {
        public var identifier: String
        public var uri: String
        public var creator: String
        public var title: String
        public var lastChangeDateTime: String
        public var version: String
        public var description: String?
        public var adoptionStatus: String
        public var language: String
        public var CFPackageURI: Link
    }

    /// A CFItem: a post, requirement, course, competition, competition node, certificate or component.
    public struct Item: Codable, Sendable, Hashable {
        public var identifier: String
        public var uri: String
        public var fullStatement: String
        public var humanCodingScheme: String
        public var CFItemType: String
        public var CFItemTypeURI: Link
        public var notes: String?
        public var lastChangeDateTime: String
        public var CFDocumentURI: Link
    }

    /// A CFAssociation between two items (or an item and the document).
    public struct Association: Codable, Sendable, Hashable {
        public var identifier: String
        public var uri: String
        public var associationType: String
        public var sequenceNumber: Int?
        public var originNodeURI: Link
        public var destinationNodeURI: Link
        public var CFAssociationGroupingURI: Link?
        public var lastChangeDateTime: String
        public var CFDocumentURI: Link
    }

    /// A CFItemType definition.
    public struct ItemType: Codable, Sendable, Hashable {
        public var identifier: String
        public var uri: String
        public var title: String
        public var description: String
        public var hierarchyCode: String
        public var lastChangeDateTime: String
    }

    /// A CFAssociationGrouping definition (`covers`, `tests`, `attests`).
    public struct Grouping: Codable, Sendable, Hashable {
        public var identifier: String
        public var uri: String
        public var title: String
        public var description: String
        public var lastChangeDateTime: String
    }

    /// The CFDefinitions the package uses.
    public struct Definitions: Codable, Sendable, Hashable {
        public var CFItemTypes: [ItemType]
        public var CFAssociationGroupings: [Grouping]
    }

    struct Package: Codable {
        var CFDocument: Document
        var CFItems: [Item]
        var CFAssociations: [Association]
        var CFDefinitions: Definitions
    }

    /// The package's four parts, as written to JSON.
    public private(set) var document: Document
    /// In program order: each post then its requirements, courses, competitions then their nodes (depth
    /// first), certificates then their components.
    public private(set) var items: [Item] = []
    /// `isChildOf` and `isRelatedTo` associations, in the order their origin items are exported.
    public private(set) var associations: [Association] = []
    public private(set) var definitions: Definitions

    /// A problem with the caller's options (a `lastChangeDateTime` that is not a date).
    public struct OptionError: Error, Sendable, CustomStringConvertible {
        /// What is wrong with the option, in words.
        public var description: String
    }

    /// Builds the package of `program`. `lastChange` is the `lastChangeDateTime` of every object:
    /// `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDThh:mm:ss` followed by `Z` or `±hh:mm`. `baseURI` prefixes
    /// identifiers to make `uri`s; `creator` is the CFDocument's creator.
    public init(program: Program, lastChange: String, creator: String, baseURI: String? = nil) throws {
        guard let stamp = Self.dateTime(lastChange) else {
            throw OptionError(
                description: "'\(lastChange)' is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDThh:mm:ssZ)")
        }
        let namespace = NameBasedUUID(namespace: .urlNamespace, name: "urn:assay:program:\(program.id)")
        func id(_ name: String) -> String { NameBasedUUID(namespace: namespace, name: name).description }
        func uri(_ identifier: String) -> String { (baseURI ?? "urn:uuid:") + identifier }

        let documentID = id("document")
        document = Document(
            identifier: documentID, uri: uri(documentID), creator: creator, title: program.title,
            lastChangeDateTime: stamp, version: program.version, description: program.description,
            adoptionStatus: "Draft", language: "en",
            CFPackageURI: Link(title: program.title, identifier: documentID, uri: uri(documentID)))
        let documentLink = Link(title: program.title, identifier: documentID, uri: uri(documentID))

        let typeNames: [(String, String, String)] = [
            ("Post", "1", "An occupational role graduates take, with the requirements it makes of them."),
            ("Requirement", "1.1", "A competency a post requires."),
            ("Course", "2", "A course of the program; it covers requirements."),
            ("Competition", "3", "A skills-competition standard; its scoring-tree nodes test requirements."),
            ("Competition node", "3.1", "A section or aspect of a competition's scoring tree."),
            ("Certificate", "4", "A professional qualification or vocational skill-level certificate; it attests requirements."),
            ("Certificate component", "4.1", "An exam subject of a certificate; it may attest requirements."),
        ]
        var typeLinks: [String: Link] = [:]
        var itemTypes: [ItemType] = []
        for (name, code, text) in typeNames {
            let identifier = id("item-type:\(name)")
            typeLinks[name] = Link(title: name, identifier: identifier, uri: uri(identifier))
            itemTypes.append(
                ItemType(
                    identifier: identifier, uri: uri(identifier), title: name, description: text, hierarchyCode: code,
                    lastChangeDateTime: stamp))
        }
        var groupingLinks: [String: Link] = [:]
        var groupings: [Grouping] = []
        for (name, text) in [
            ("covers", "A course teaches the requirement (rubric <covers>)."),
            ("tests", "A competition node tests the requirement (rubric <tests>)."),
            ("attests", "A certificate or one of its exam components attests the requirement (rubric <attests>)."),
        ] {
            let identifier = id("grouping:\(name)")
            groupingLinks[name] = Link(title: name, identifier: identifier, uri: uri(identifier))
            groupings.append(
                Grouping(identifier: identifier, uri: uri(identifier), title: name, description: text, lastChangeDateTime: stamp))
        }
        definitions = Definitions(CFItemTypes: itemTypes, CFAssociationGroupings: groupings)

        var links: [String: Link] = ["document": documentLink]
        func addItem(_ name: String, type: String, statement: String, code: String, notes: String? = nil) {
            let identifier = id(name)
            items.append(
                Item(
                    identifier: identifier, uri: uri(identifier), fullStatement: statement, humanCodingScheme: code,
                    CFItemType: type, CFItemTypeURI: typeLinks[type]!, notes: notes, lastChangeDateTime: stamp,
                    CFDocumentURI: documentLink))
            links[name] = Link(title: statement, identifier: identifier, uri: uri(identifier))
        }
        var pending: [(type: String, origin: String, destination: String, sequence: Int?, grouping: String?)] = []
        func associate(_ type: String, _ origin: String, _ destination: String, sequence: Int? = nil, grouping: String? = nil) {
            pending.append((type, origin, destination, sequence, grouping))
        }

        for (p, post) in program.posts.enumerated() {
            addItem("post:\(post.id)", type: "Post", statement: post.title, code: post.id, notes: post.description)
            associate("isChildOf", "post:\(post.id)", "document", sequence: p + 1)
            for (r, requirement) in post.requirements.enumerated() {
                addItem("requirement:\(requirement.id)", type: "Requirement", statement: requirement.title, code: requirement.id)
                associate("isChildOf", "requirement:\(requirement.id)", "post:\(post.id)", sequence: r + 1)
            }
        }
        var sequence = program.posts.count
        for course in program.courses {
            sequence += 1
            addItem(
                "course:\(course.id)", type: "Course", statement: course.title, code: course.id,
                notes: "\(course.credits.plainText) credits; pass mark \(course.pass.plainText)")
            associate("isChildOf", "course:\(course.id)", "document", sequence: sequence)
            for ref in course.covers {
                associate("isRelatedTo", "course:\(course.id)", "requirement:\(ref.requirement)", grouping: "covers")
            }
        }
        for competition in program.competitions {
            sequence += 1
            addItem("competition:\(competition.id)", type: "Competition", statement: competition.title, code: competition.id)
            associate("isChildOf", "competition:\(competition.id)", "document", sequence: sequence)
            func walk(_ node: ScoringNode, parent: String, position: Int) {
                let name = "node:\(competition.id)/\(node.id)"
                var notes = "scorer \(node.scorer); max \(node.max.plainText)"
                if let w = node.weight { notes += "; weight \(w.plainText)" }
                if let k = node.kind { notes += "; \(k.rawValue)" }
                addItem(
                    name, type: "Competition node", statement: node.title ?? node.id, code: "\(competition.id)/\(node.id)",
                    notes: notes)
                associate("isChildOf", name, parent, sequence: position)
                for ref in node.tests { associate("isRelatedTo", name, "requirement:\(ref.requirement)", grouping: "tests") }
                for (i, child) in node.children.enumerated() { walk(child, parent: name, position: i + 1) }
            }
            walk(competition.root, parent: "competition:\(competition.id)", position: 1)
        }
        for certificate in program.certificates {
            sequence += 1
            let name = "certificate:\(certificate.id)"
            let levels = certificate.levels.map { "\($0.id) (rank \($0.rank))" }.joined(separator: ", ")
            addItem(name, type: "Certificate", statement: certificate.title, code: certificate.id, notes: "levels: \(levels)")
            associate("isChildOf", name, "document", sequence: sequence)
            for ref in certificate.attests { associate("isRelatedTo", name, "requirement:\(ref.requirement)", grouping: "attests") }
            for (i, component) in certificate.components.enumerated() {
                let part = "component:\(certificate.id)/\(component.id)"
                addItem(
                    part, type: "Certificate component", statement: component.title ?? component.id,
                    code: "\(certificate.id)/\(component.id)",
                    notes: "max \(component.max.plainText); pass mark \(component.pass.plainText)")
                associate("isChildOf", part, name, sequence: i + 1)
                for ref in component.attests {
                    associate("isRelatedTo", part, "requirement:\(ref.requirement)", grouping: "attests")
                }
            }
        }
        var seen: Set<String> = []
        for a in pending {
            // A validated program has no dangling references; a reference to nothing is left out, never invented.
            guard let origin = links[a.origin], let destination = links[a.destination] else { continue }
            let kind = a.grouping.map { "\(a.type):\($0)" } ?? a.type
            let identifier = id("association:\(kind):\(a.origin)>\(a.destination)")
            // The same mapping written twice is one association.
            guard seen.insert(identifier).inserted else { continue }
            associations.append(
                Association(
                    identifier: identifier, uri: uri(identifier), associationType: a.type, sequenceNumber: a.sequence,
                    originNodeURI: origin, destinationNodeURI: destination,
                    CFAssociationGroupingURI: a.grouping.flatMap { groupingLinks[$0] }, lastChangeDateTime: stamp,
                    CFDocumentURI: documentLink))
        }
    }

    /// The package as JSON: keys sorted, two-space indentation, slashes unescaped, a final newline. The same
    /// program and options always give the same bytes.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let package = Package(CFDocument: document, CFItems: items, CFAssociations: associations, CFDefinitions: definitions)
        // Encoding plain strings, numbers and arrays of them cannot fail.
        let data = try! encoder.encode(package)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `lastChangeDateTime` for a program version that starts with a year (`2025.1` → `2025-01-01T00:00:00+00:00`),
    /// or nil when it does not.
    public static func lastChange(fromVersion version: String) -> String? {
        let digits = version.prefix { $0.isASCII && $0.isNumber }
        guard digits.count == 4, let year = Int(digits), year >= 1900 else { return nil }
        return "\(digits)-01-01T00:00:00+00:00"
    }

    /// `YYYY-MM-DD` → `YYYY-MM-DDT00:00:00+00:00`; a full date-time with `Z` or an offset is kept (`Z` as `+00:00`).
    /// Nil unless the date is on the calendar (30 February or 2025-02-29 is not) and the time and offset are
    /// times of day (hours 00–23, minutes and seconds 00–59; offsets up to ±23:59).
    static func dateTime(_ text: String) -> String? {
        let c = Array(text)
        func number(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= c.count, r.allSatisfy({ c[$0].isASCII && c[$0].isNumber }) else { return nil }
            return Int(String(c[r]))
        }
        guard c.count >= 10, let year = number(0..<4), c[4] == "-", let month = number(5..<7), c[7] == "-",
            let day = number(8..<10), (1...12).contains(month)
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return nil }
        if c.count == 10 { return text + "T00:00:00+00:00" }
        guard c.count >= 20, c[10] == "T", let hour = number(11..<13), c[13] == ":", let minute = number(14..<16),
            c[16] == ":", let second = number(17..<19), hour < 24, minute < 60, second < 60
        else { return nil }
        if c.count == 20 && c[19] == "Z" { return String(c[0..<19]) + "+00:00" }
        guard c.count == 25, c[19] == "+" || c[19] == "-", let offsetHours = number(20..<22), c[22] == ":",
            let offsetMinutes = number(23..<25), offsetHours < 24, offsetMinutes < 60
        else { return nil }
        return text
    }
}
