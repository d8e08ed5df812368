import Foundation

/// Where an evidence item came from: file and line (XML) or row (CSV), for messages a judge can follow.
public struct ItemOrigin: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// Line in an XML file, or row number (1 = header) in a CSV file.
    public var line: Int
    public var isCSVRow: Bool

    public init(file: String, line: Int, isCSVRow: Bool = false) {
        self.file = file
        self.line = line
        self.isCSVRow = isCSVRow
    }

    public var description: String { isCSVRow ? "\(file) row \(line)" : "\(file):\(line)" }
}

/// One scored fact about a candidate: a judge's mark, a measured value, a grade or a deduction, recorded
/// against one node of one target (course, competition or certificate).
public struct EvidenceItem: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case mark, measure, grade, deduction
    }

    public var kind: Kind
    /// Course, competition or certificate id.
    public var target: String
    /// Node id (or certificate component id).
    public var node: String
    /// The judge, for marks.
    public var judge: String?
    /// The value as written (a decimal, or a level label for lookup criteria).
    public var value: String
    /// The value as a decimal, when it is one.
    public var number: Decimal?
    public var reason: String?
    public var origin: ItemOrigin

    public init(
        kind: Kind, target: String, node: String, judge: String? = nil, value: String, reason: String? = nil,
        origin: ItemOrigin
    ) {
        self.kind = kind
        self.target = target
        self.node = node
        self.judge = judge
        self.value = value
        self.number = Decimal(plainText: value)
        self.reason = reason
        self.origin = origin
    }
}

/// A certificate a candidate holds.
public struct HeldCertificate: Sendable, Hashable {
    public var ref: String
    public var level: String
    /// ISO date, `YYYY-MM-DD`.
    public var issued: String
    public var serial: String?
    public var origin: ItemOrigin

    public init(ref: String, level: String, issued: String, serial: String? = nil, origin: ItemOrigin) {
        self.ref = ref
        self.level = level
        self.issued = issued
        self.serial = serial
        self.origin = origin
    }
}

/// An award a candidate won.
public struct WonAward: Sendable, Hashable {
    public var competition: String
    public var award: String
    public var date: String
    public var origin: ItemOrigin

    public init(competition: String, award: String, date: String, origin: ItemOrigin) {
        self.competition = competition
        self.award = award
        self.date = date
        self.origin = origin
    }
}

/// A file submitted for an aspect, with the SHA-256 it must have.
public struct Artifact: Sendable, Hashable {
    public var target: String
    public var node: String
    public var path: String
    public var sha256: String?
    public var origin: ItemOrigin

    public init(target: String, node: String, path: String, sha256: String?, origin: ItemOrigin) {
        self.target = target
        self.node = node
        self.path = path
        self.sha256 = sha256
        self.origin = origin
    }
}

/// A problem with one evidence item that makes an outcome incomplete (an unknown node, a number that is not
/// one). The item is left out; the outcome says why.
public struct EvidenceProblem: Sendable, Hashable {
    /// The target whose outcome it affects (may be a target the program does not have).
    public var target: String
    public var message: String
    public var origin: ItemOrigin

    public init(target: String, message: String, origin: ItemOrigin) {
        self.target = target
        self.message = message
        self.origin = origin
    }
}

/// Everything known about one candidate, gathered from one or more evidence files.
public struct CandidateEvidence: Sendable, Hashable {
    public var id: String
    public var items: [EvidenceItem]
    public var certificates: [HeldCertificate]
    public var awards: [WonAward]
    public var artifacts: [Artifact]
    public var problems: [EvidenceProblem]

    public init(
        id: String, items: [EvidenceItem] = [], certificates: [HeldCertificate] = [], awards: [WonAward] = [],
        artifacts: [Artifact] = [], problems: [EvidenceProblem] = []
    ) {
        self.id = id
        self.items = items
        self.certificates = certificates
        self.awards = awards
        self.artifacts = artifacts
        self.problems = problems
    }

    /// Adds what another file says about the same candidate.
    public mutating func merge(_ other: CandidateEvidence) {
        items += other.items
        certificates += other.certificates
        awards += other.awards
        artifacts += other.artifacts
        problems += other.problems
    }

    /// The targets this candidate has scored evidence or problems for, in first-seen order.
    public var targets: [String] {
        var seen = Set<String>()
        var out: [String] = []
        for t in items.map(\.target) + problems.map(\.target) where seen.insert(t).inserted { out.append(t) }
        return out
    }
}
