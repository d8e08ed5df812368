import AssayEngine
import AssayLoader
import AssayModel
import AssayPlugins
import Foundation
import Testing

/// The two plugins in plugins/: their self-tests through `PluginCheck` (what `assay plugins check` runs),
/// and cases of their own through the host.
@Suite("Bundled plugins")
struct BundledPluginTests {
    func ask(_ plugin: String, _ scorer: String, max: Exact, params: [(String, String)], artifact: String?) throws -> PluginReply {
        let manifest = try Fixture.bundled(plugin)
        let host = PluginHost(manifests: [manifest])
        defer { host.shutdown() }
        var files: [PluginRequest.File] = []
        if let artifact {
            let path = Fixture.folder.appendingPathComponent("artifacts/\(artifact)").path
            files.append(PluginRequest.File(path: path, written: artifact, sha256: FileDigest.sha256(ofFile: path)?.hex ?? ""))
        }
        return host.run([
            PluginRequest(
                scorer: scorer, node: "n", candidate: "c", max: max, min: nil, parameters: params.map { ($0.0, $0.1) }, items: [],
                artifacts: files)
        ])[0]
    }

    @Test("exposure-check passes its self-tests")
    func exposureSelfTests() throws {
        let check = PluginCheck.run(try Fixture.bundled("exposure-check"))
        #expect(check.handshakeProblem == nil)
        #expect(check.cases.map(\.passed) == [true, true, true])
        #expect(check.cases.map(\.detail) == ["gave 4", "gave 2", "refused: the exposure record has no 'mas'; it has: kvp, sid"])
        #expect(check.diagnostics == [])
    }

    @Test("report-structure passes its self-tests")
    func reportSelfTests() throws {
        let check = PluginCheck.run(try Fixture.bundled("report-structure"))
        #expect(check.passed)
        #expect(check.cases.map(\.detail) == ["gave 8", "gave 5.2", "refused: expected one report (a text artifact), got 0"])
    }

    @Test("exposure-check: the band edge counts, one step past it does not; thirds of a max stay exact to 4 places")
    func exposureBand() throws {
        // kVp 137.5 is exactly 10 % of 125 above the range: partial; mAs 5.51 is past 5 + 10 % = 5.5: nothing.
        let reply = try ask(
            "exposure-check", "exposure-check", max: 5, params: [("ranges", "kvp:110-125, mas:2-5, sid:175-185")],
            artifact: "exposure-edge.json")
        #expect(
            reply
                == .score(
                    Exact(5, over: 2),
                    explanation:
                        "kvp 137.5 outside 110-125, within the 10% band: 0.5; mas 5.51 outside 2-5 and its 10% band: 0; sid 180 within 175-185: full; 1.5 of 3 parameters x 5 = 2.5"
                ))
        let third = try ask(
            "exposure-check", "exposure-check", max: 4, params: [("ranges", "kvp:130-140, mas:2-5, sid:100-110"), ("partial", "0")],
            artifact: "exposure-edge.json")
        guard case .score(let value, _) = third else {
            Issue.record("not a score: \(third)")
            return
        }
        #expect(value == Exact(13333, over: 10000))
    }

    @Test("exposure-check refuses a malformed range with a message saying how to write it")
    func exposureBadRange() throws {
        let reply = try ask("exposure-check", "exposure-check", max: 4, params: [("ranges", "kvp 110-125")], artifact: "exposure-edge.json")
        #expect(reply == .refused("the ranges parameter has 'kvp 110-125'; write name:low-high, e.g. kvp:110-125"))
    }

    @Test("report-structure: a heading with nothing under it does not count; findings are matched without case")
    func reportSections() throws {
        let reply = try ask(
            "report-structure", "report-structure", max: 10,
            params: [("sections", "Technique, Findings, Impression"), ("findings", "Pneumothorax, rib fracture")],
            artifact: "report-empty-technique.txt")
        #expect(
            reply
                == .score(
                    Exact(8),
                    explanation: "sections 2 of 3 (missing or empty: Technique); findings 2 of 2 = 8 of 10"))
    }

    @Test("the plugin-scored stations example scores as its README says, the same on a second run")
    func stationsExample() throws {
        let plugins = PluginManifestLoader.loadAll(in: Fixture.repository.appendingPathComponent("plugins").path)
        #expect(plugins.diagnostics.isEmpty)
        let rubric = Fixture.repository.appendingPathComponent("examples/plugins/nmit-2025-stations.xml").path
        let evidence = Fixture.repository.appendingPathComponent("examples/evidence/nmit-2025-stations.xml").path
        let program = try #require(RubricLoader(plugins: plugins.manifests).load(rubric).validProgram)
        func run() -> [String] {
            let host = PluginHost(manifests: plugins.manifests, program: program)
            defer { host.shutdown() }
            let engine = Engine(program: program, plugins: host)
            var lines: [String] = []
            var batch: [CandidateEvidence] = []
            _ = EvidenceReader(program: program.id).read([evidence]) { batch.append($0) }
            engine.prepare(batch)
            for c in batch {
                for o in engine.score(c, tree: false) {
                    lines.append("\(o.candidate) " + (o.shownScore ?? "—") + " " + o.status.reasons.joined(separator: " | "))
                }
            }
            return lines
        }
        let first = run()
        #expect(first.count == 6)
        #expect(Array(first.prefix(4)) == ["E01 20.00 ", "E02 17.23 ", "E03 7.93 ", "E04 18.00 "])
        #expect(first[4].hasPrefix("E05 — S2: the artifact 'stations/E05-ct.json' ("))
        #expect(first[4].hasSuffix("the file changed after it was submitted: restore it or record its new digest"))
        #expect(first[5] == "E06 — S1: plugin exposure-check: the exposure record has no 'mas'; it has: kvp, sid")
        #expect(run() == first)
    }
}
