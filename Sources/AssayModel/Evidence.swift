import Foundation
import Synchronization

/// Where an evidence item came from: file and line (XML) or row (CSV), for messages a judge can follow.
///
/// The file is kept as a number in a process-wide table of file names, so that millions of items do not each
/// carry (and reference-count) a copy of their file's path.
public struct ItemOrigin: Sendable, Hashable, CustomStringConvertible {
    private let fileNumber: Int32
    /// Line in an XML file, or row number (1 = header) in a CSV file.
    public var line: Int
    public var isCSVRow: Bool

    public init(file: String, line: Int, isCSVRow: Bool = false) {
        self.init(file: EvidenceFile(file), line: line, isCSVRow: isCSVRow)
    }

    /// For readers making many origins in one file: name the file once.
    public init(file: EvidenceFile, line: Int, isCSVRow: Bool = false) {
        self.fileNumber = file.number
        self.line = line
        self.isCSVRow = isCSVRow
    }

    public var file: String { FileNames.name(fileNumber) }

    public var description: String { isCSVRow ? "\(file) row \(line)" : "\(file):\(line)" }
}

/// An evidence file's entry in the table of file names.
public struct EvidenceFile: Sendable, Hashable {
    let number: Int32
    public init(_ path: String) { number = FileNames.number(for: path) }
}

/// The file names evidence came from, numbered (append-only; safe to use from several threads).
enum FileNames {
    private static let table = Mutex<(names: [String], numbers: [String: Int32])>(([], [:]))

    static func number(for file: String) -> Int32 {
        table.withLock { t in
            if let n = t.numbers[file] { return n }
            let n = Int32(t.names.count)
            t.names.append(file)
            t.numbers[file] = n
            return n
        }
    }

    static func name(_ number: Int32) -> String { table.withLock { $0.names[Int(number)] } }
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
    /// The value as an exact number, when it is one.
    public var number: Exact?
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
        self.number = Exact(plainText: value)
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
    /// The problem puts all of the candidate's evidence in doubt, not one item: the candidate appears twice in
    /// one file, or the file is malformed inside the candidate. Credit is then not issued on it.
    public var concernsWholeCandidate: Bool

    public init(target: String, message: String, origin: ItemOrigin, concernsWholeCandidate: Bool = false) {
        self.target = target
        self.message = message
        self.origin = origin
        self.concernsWholeCandidate = concernsWholeCandidate
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
        var out: [String] = []
        for item in items where !out.contains(item.target) { out.append(item.target) }
        for p in problems where !out.contains(p.target) { out.append(p.target) }
        return out
    }
}
