import AssayModel
import Foundation
import Testing

@testable import AssayLoader

/// The rubrics shipped in rubrics/ are the language's showcase: they must validate cleanly.
@Suite("Bundled rubrics")
struct BundledRubricTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func rubrics(in folder: String) -> [String] {
        let dir = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".xml") }.sorted().map { dir.appendingPathComponent($0).path }
    }

    static let all = rubrics(in: "rubrics") + rubrics(in: "rubrics/conformance")

    @Test("the bundled programs and conformance rubrics are all present")
    func present() {
        let names = Self.all.map { URL(fileURLWithPath: $0).lastPathComponent }
        for expected in [
            "medical-imaging-technology.xml", "medical-engineering.xml", "fina-diving.xml", "isu-figure-skating.xml",
            "moodle-rubric.xml", "worldskills-aspect.xml",
        ] {
            #expect(names.contains(expected), "\(expected) is missing")
        }
    }

    @Test("each bundled rubric validates with no errors and no warnings", arguments: all)
    func validates(path: String) throws {
        let plugins = PluginManifestLoader.loadAll(in: Self.root.appendingPathComponent("plugins").path)
        #expect(plugins.diagnostics.isEmpty)
        let result = RubricLoader(plugins: plugins.manifests).load(path)
        #expect(result.diagnostics.map(\.formatted) == [])
        #expect(result.program != nil)
    }

    @Test("the medical imaging program has what the integration needs")
    func medicalImaging() throws {
        let result = RubricLoader().load(Self.root.appendingPathComponent("rubrics/medical-imaging-technology.xml").path)
        let program = try #require(result.program)
        #expect(program.id == "mit-bsc")
        #expect(program.posts.count >= 5)
        #expect(program.courses.count >= 12)
        #expect(program.competitions.count >= 1)
        #expect(program.certificates.count >= 2)
        let competition = try #require(program.competitions.first)
        let kinds = Set(competition.root.allNodes.compactMap(\.kind))
        #expect(kinds == [.judgement, .measurement])
        #expect(competition.awards?.awards.compactMap(\.quotaPercent) == [10, 20, 30])
        #expect(!competition.tieBreak.isEmpty)
        let grants = program.recognition?.rules.map(\.grant) ?? []
        #expect(grants.contains { if case .exemptComponent = $0 { return true } else { return false } })
        #expect(grants.contains { $0.course != nil })
    }

    @Test("the embedded schemas are byte for byte the files in rubrics/schema")
    func embeddedSchemasInSync() throws {
        let rubric = try String(contentsOf: Self.root.appendingPathComponent("rubrics/schema/rubric.xsd"), encoding: .utf8)
        let plugin = try String(contentsOf: Self.root.appendingPathComponent("rubrics/schema/plugin.xsd"), encoding: .utf8)
        let evidence = try String(contentsOf: Self.root.appendingPathComponent("rubrics/schema/evidence.xsd"), encoding: .utf8)
        #expect(EmbeddedSchemas.evidence + "\n" == evidence, "run `make schemas` after editing evidence.xsd")
        // The generator drops the file's final newline (Swift multi-line literals do).
        #expect(EmbeddedSchemas.rubric + "\n" == rubric, "run `make schemas` after editing rubric.xsd")
        #expect(EmbeddedSchemas.plugin + "\n" == plugin, "run `make schemas` after editing plugin.xsd")
    }
}
