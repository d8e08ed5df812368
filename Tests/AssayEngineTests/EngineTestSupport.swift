import AssayEngine
import AssayLoader
import AssayModel
import Foundation
import Testing

/// Shared helpers for the engine tests: the repository's paths, rubrics written to temporary files and loaded
/// the way `assay` loads them, evidence built in code with file:line origins, and exact decimals.
enum Repo {
    /// The repository root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// This test target's fixture folder.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}

/// A fresh directory under the system's temporary directory, one per call (tests run in parallel).
func makeTemporaryDirectory(_ label: String = "assay-engine-tests") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `text` to `name` in a fresh temporary directory and returns the file's path.
func writeTemporaryFile(_ name: String, _ text: String) throws -> String {
    let url = try makeTemporaryDirectory().appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}

/// Loads a rubric file through `RubricLoader` (schema + meaning checks) and requires it to be valid.
func loadProgram(path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Program {
    let result = RubricLoader(plugins: []).load(path)
    let errors = result.diagnostics.filter { $0.severity == .error }.map(\.formatted)
    #expect(errors == [], "the test rubric does not load", sourceLocation: sourceLocation)
    return try #require(result.validProgram, sourceLocation: sourceLocation)
}

/// Writes a rubric's XML to a temporary file and loads it.
func loadProgram(xml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Program {
    let path = try writeTemporaryFile("rubric.xml", xml)
    defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent()) }
    return try loadProgram(path: path, sourceLocation: sourceLocation)
}

/// A program wrapper for test rubrics: one post with one requirement `r1`, then `body` (courses, competitions).
func programXML(id: String = "t", _ body: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <program xmlns="urn:assay:rubric:1" id="\(id)" version="1" title="Engine test program">
      <post id="p" title="Test post"><requirement id="r1" title="A requirement"/></post>
    \(body)
    </program>
    """
}

/// A course `C` (or `id`) whose assessment is `tree`.
func courseXML(_ id: String = "C", pass: String = "50", _ tree: String) -> String {
    """
      <course id="\(id)" title="Course \(id)" credits="1" pass="\(pass)">
        <covers requirement="r1"/>
        \(tree)
      </course>
    """
}

/// A competition `K` (or `id`) whose marking scheme is `tree`.
func competitionXML(_ id: String = "K", _ tree: String) -> String {
    """
      <competition id="\(id)" title="Competition \(id)">
        \(tree)
      </competition>
    """
}

/// Exact decimal from text (never through a binary float).
func dec(_ text: String) -> Decimal {
    guard let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
        preconditionFailure("not a decimal: \(text)")
    }
    return d
}

/// Evidence built in code. Items get origins `ev.xml:1`, `ev.xml:2`, … in the order they are added, so
/// messages can be asserted with their locations.
struct EvidenceBuilder {
    var file = "ev.xml"
    var target: String
    var items: [EvidenceItem] = []

    init(target: String, file: String = "ev.xml") {
        self.target = target
        self.file = file
    }

    private var nextOrigin: ItemOrigin { ItemOrigin(file: file, line: items.count + 1) }

    /// A grade (a recorded value) for `node`.
    mutating func grade(_ node: String, _ value: String) {
        items.append(EvidenceItem(kind: .grade, target: target, node: node, value: value, origin: nextOrigin))
    }

    /// A measured value for `node`.
    mutating func measure(_ node: String, _ value: String) {
        items.append(EvidenceItem(kind: .measure, target: target, node: node, value: value, origin: nextOrigin))
    }

    /// A judge's mark on `node`.
    mutating func mark(_ node: String, _ judge: String, _ value: String) {
        items.append(EvidenceItem(kind: .mark, target: target, node: node, judge: judge, value: value, origin: nextOrigin))
    }

    /// Judges J1, J2, … marking `node` with `values` in order.
    mutating func marks(_ node: String, _ values: [String]) {
        for (i, v) in values.enumerated() { mark(node, "J\(i + 1)", v) }
    }

    /// Points taken off at a deduction node.
    mutating func deduction(_ node: String, _ value: String, reason: String? = nil) {
        items.append(EvidenceItem(kind: .deduction, target: target, node: node, value: value, reason: reason, origin: nextOrigin))
    }

    func candidate(_ id: String = "S1") -> CandidateEvidence { CandidateEvidence(id: id, items: items) }
}

/// Scores one candidate's evidence and returns the outcome for `target` (fails the test if there is none).
func outcome(
    _ program: Program, _ evidence: EvidenceBuilder, sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> Outcome {
    let outcomes = Engine(program: program).score(evidence.candidate(), explain: true)
    return try #require(outcomes.first { $0.target == evidence.target }, sourceLocation: sourceLocation)
}

extension NodeOutcome {
    /// The node with this id in the outcome tree.
    func find(_ id: String) -> NodeOutcome? {
        if node == id { return self }
        for child in children { if let hit = child.find(id) { return hit } }
        return nil
    }
}

extension Outcome {
    /// The node with this id in the outcome tree.
    func node(_ id: String) -> NodeOutcome? { root?.find(id) }
}
