import AssayLoader
import AssayModel
import Foundation
import Testing

/// The fixture rubrics and evidence under `Fixtures/`, loaded the way `assay` loads them.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The bundled program, `rubrics/medical-imaging-technology.xml`.
    static let bundled = directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("rubrics/medical-imaging-technology.xml").path

    /// The program of a fixture rubric; fails the test when the rubric has errors.
    static func program(_ name: String) throws -> Program { try program(atPath: path(name)) }

    /// The program of the rubric at `path`; fails the test when the rubric has errors.
    static func program(atPath path: String) throws -> Program {
        let loaded = RubricLoader().load(path)
        for d in loaded.diagnostics { Issue.record("\(d.formatted)") }
        return try #require(loaded.validProgram)
    }

    /// Every candidate in the fixture evidence files, in reading order.
    static func candidates(_ names: [String], program: String) -> [CandidateEvidence] {
        var out: [CandidateEvidence] = []
        let diagnostics = EvidenceReader(program: program).read(names.map(path)) { out.append($0) }
        for d in diagnostics { Issue.record("\(d.formatted)") }
        return out
    }
}
