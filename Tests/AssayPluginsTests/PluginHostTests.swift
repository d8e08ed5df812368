import AssayEngine
import AssayLoader
import AssayModel
@testable import AssayPlugins
import Foundation
import Testing

@Suite("Plugin host", .serialized)
struct PluginHostTests {
    @Test("a prepared batch goes out once: one worker, one request per candidate, every answer found again")
    func preparedOnce() throws {
        let manifest = try Fixture.plugin("steady")
        let program = try Fixture.drill(with: manifest)
        let host = PluginHost(manifests: [manifest], program: program, window: 4)
        defer { host.shutdown() }
        let engine = Engine(program: program, plugins: host)
        let all = Fixture.candidates(40)
        engine.prepare(all)
        let totals = all.flatMap { engine.score($0, tree: false) }.map { $0.value?.text() ?? "none" }
        // B is the echo of i; above B's max of 10 the plugin's answer is refused as out of range.
        #expect(totals == (1...40).map { $0 <= 10 ? "\(2 * $0)" : "none" })
        let worker = try #require(host.worker(named: "steady"))
        #expect(worker.starts == 1)
        #expect(worker.requestsSent == 40)
    }

    @Test("requests carry the node, parameters, max, min, items and checked artifacts, in protocol v1 form")
    func requestLine() {
        let request = PluginRequest(
            scorer: "exposure-check", node: "P1.3", candidate: "E\"01", max: Exact(4), min: Exact(-1, over: 2),
            parameters: [("ranges", "kvp:110-125")], items: [PluginRequest.Item(kind: "mark", judge: "J1", value: "2.5")],
            artifacts: [PluginRequest.File(path: "/x/e01.json", written: "e01.json", sha256: "ab")])
        #expect(
            request.line(id: 7)
                == #"{"type":"score","id":7,"scorer":"exposure-check","node":"P1.3","candidate":"E\"01","max":"4","min":"-0.5","params":{"ranges":"kvp:110-125"},"items":[{"kind":"mark","judge":"J1","value":"2.5"}],"artifacts":[{"path":"/x/e01.json","name":"e01.json","sha256":"ab"}]}"#
                + "\n")
    }

    @Test("answers are read exactly: decimal strings, integers, refusals, and a score that is not a number")
    func parsing() {
        func parse(_ s: String) -> String { "\(PluginWorker.parse(ArraySlice(Array(s.utf8))))" }
        #expect(parse(#"{"type":"result","id":3,"score":"0.1","explanation":"ok"}"#) == #"reply(id: 3, AssayPlugins.PluginReply.score(0.1, explanation: "ok"))"#)
        #expect(parse(#"{"type":"result","id":4,"score":2}"#) == #"reply(id: 4, AssayPlugins.PluginReply.score(2, explanation: ""))"#)
        #expect(parse(#"{"type":"error","id":5,"message":"no kVp"}"#) == #"reply(id: 5, AssayPlugins.PluginReply.refused("no kVp"))"#)
        #expect(
            parse(#"{"type":"result","id":6,"score":"high"}"#)
                == #"reply(id: 6, AssayPlugins.PluginReply.failed("answered with the score \'high\', which is not a decimal number"))"#)
        #expect(parse("hello there") == #"bad("sent a line that is not a protocol 1 message: \'hello there\'")"#)
    }

    @Test("ids must be integers and scores plain decimals, whether or not the line has nested JSON")
    func strictNumbers() {
        func parse(_ s: String) -> String { "\(PluginWorker.parse(ArraySlice(Array(s.utf8))))" }
        func refusal(_ s: String) -> String? {
            if case .bad(let why) = PluginWorker.parse(ArraySlice(Array(s.utf8))) { return why }
            return nil
        }
        // The nested member sends the line to the JSONSerialization reader; without it the fast reader reads it.
        for extra in ["", #","extra":{"x":[1]}"#] {
            for line in [
                #"{"type":"result","id":2.9,"score":"1""# + extra + "}", #"{"type":"result","id":2.0,"score":"1""# + extra + "}",
                #"{"type":"result","id":true,"score":"1""# + extra + "}", #"{"type":"hello","protocol":1.5"# + extra + "}",
            ] {
                #expect(refusal(line) == "sent a line that is not a protocol 1 message: '\(line)'")
            }
            #expect(
                parse(#"{"type":"result","id":2,"score":1e2"# + extra + "}")
                    == #"reply(id: 2, AssayPlugins.PluginReply.failed("answered with the score \'1e2\', which is not a decimal number"))"#)
            #expect(
                parse(#"{"type":"result","id":2,"score":true"# + extra + "}")
                    == #"reply(id: 2, AssayPlugins.PluginReply.failed("answered with the score nothing, which is not a decimal number"))"#)
            #expect(parse(#"{"type":"result","id":-3,"score":2.50"# + extra + "}") == #"reply(id: -3, AssayPlugins.PluginReply.score(2.5, explanation: ""))"#)
        }
        // A member that only looks like the score, inside a nested object or a string, is not the score.
        #expect(
            parse(#"{"type":"result","id":4,"extra":{"score":1e2},"note":"\"score\":5","score":7}"#)
                == #"reply(id: 4, AssayPlugins.PluginReply.score(7, explanation: ""))"#)
    }

    @Test("a score above the node's max or below its floor is a failure, never capped")
    func outOfRange() {
        #expect(
            PluginScorer.result(.score(Exact(11), explanation: ""), plugin: "p", candidate: "C1", node: "B", max: 10, floor: 0).problems == [
                "plugin p failed: it gave 11, above the node's max of 10"
            ])
        #expect(
            PluginScorer.result(.score(Exact(-1), explanation: ""), plugin: "p", candidate: "C1", node: "B", max: 10, floor: 0).problems == [
                "plugin p failed: it gave -1, below the node's lowest score 0"
            ])
        #expect(PluginScorer.result(.refused("no report"), plugin: "p", candidate: "C1", node: "B", max: 10, floor: 0).problems == ["plugin p: no report"])
        #expect(PluginScorer.result(.score(Exact(7), explanation: "fine"), plugin: "p", candidate: "C1", node: "B", max: 10, floor: 0).score == Exact(7))
    }

    @Test("a changed or missing artifact makes the outcome incomplete before the plugin is asked")
    func artifacts() throws {
        let manifest = try Fixture.plugin("steady")
        let program = try Fixture.drill(with: manifest)
        let host = PluginHost(manifests: [manifest], program: program)
        defer { host.shutdown() }
        let engine = Engine(program: program, plugins: host)
        let evidence = Fixture.folder.appendingPathComponent("drill-evidence.xml").path
        let file = Fixture.folder.appendingPathComponent("artifact.txt").path
        let digest = try #require(FileDigest.sha256(ofFile: file)).hex
        func candidate(_ id: String, path: String, sha: String?) -> CandidateEvidence {
            CandidateEvidence(
                id: id,
                items: [
                    EvidenceItem(kind: .measure, target: "drill", node: "A", value: "1", origin: ItemOrigin(file: evidence, line: 3)),
                    EvidenceItem(kind: .measure, target: "drill", node: "B", value: "2", origin: ItemOrigin(file: evidence, line: 4)),
                ],
                artifacts: [Artifact(target: "drill", node: "B", path: path, sha256: sha, origin: ItemOrigin(file: evidence, line: 5))])
        }
        let good = candidate("ok", path: "artifact.txt", sha: digest)
        let changed = candidate("changed", path: "artifact.txt", sha: String(repeating: "0", count: 64))
        let missing = candidate("missing", path: "nowhere.txt", sha: digest)
        engine.prepare([good, changed, missing])
        #expect(engine.score(good, tree: false).map(\.status) == [.complete])
        #expect(
            engine.score(changed, tree: false).map(\.status.reasons) == [
                [
                    "B: the artifact 'artifact.txt' (\(evidence):5) has SHA-256 \(digest), not the \(String(repeating: "0", count: 64)) the evidence records; the file changed after it was submitted: restore it or record its new digest"
                ]
            ])
        #expect(
            engine.score(missing, tree: false).map(\.status.reasons) == [
                [
                    "B: the artifact 'nowhere.txt' (\(evidence):5) cannot be read at \(Fixture.folder.appendingPathComponent("nowhere.txt").path); put the file there or correct the path"
                ]
            ])
        #expect(host.worker(named: "steady")?.requestsSent == 1)
    }

    @Test("an artifact must be a regular file inside its evidence file's folder, with a recorded digest")
    func artifactConfinement() throws {
        let manifest = try Fixture.plugin("steady")
        let program = try Fixture.drill(with: manifest)
        let host = PluginHost(manifests: [manifest], program: program)
        defer { host.shutdown() }
        let engine = Engine(program: program, plugins: host)
        let fm = FileManager.default
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("assay-artifacts-\(getpid())")
            .resolvingSymlinksInPath()
        defer { try? fm.removeItem(at: base) }
        let folder = base.appendingPathComponent("evidence")
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("inside\n".utf8).write(to: folder.appendingPathComponent("inside.txt"))
        try Data("outside\n".utf8).write(to: base.appendingPathComponent("outside.txt"))
        try fm.createSymbolicLink(atPath: folder.appendingPathComponent("link.txt").path, withDestinationPath: "../outside.txt")
        #expect(mkfifo(folder.appendingPathComponent("pipe").path, 0o600) == 0)
        let evidence = folder.appendingPathComponent("evidence.xml").path
        let inside = try #require(FileDigest.sha256(ofFile: folder.appendingPathComponent("inside.txt").path)).hex
        func candidate(_ id: String, path: String, sha: String?) -> CandidateEvidence {
            CandidateEvidence(
                id: id,
                items: [
                    EvidenceItem(kind: .measure, target: "drill", node: "A", value: "1", origin: ItemOrigin(file: evidence, line: 3)),
                    EvidenceItem(kind: .measure, target: "drill", node: "B", value: "2", origin: ItemOrigin(file: evidence, line: 4)),
                ],
                artifacts: [Artifact(target: "drill", node: "B", path: path, sha256: sha, origin: ItemOrigin(file: evidence, line: 5))])
        }
        let any = String(repeating: "0", count: 64)
        let candidates = [
            candidate("good", path: "./inside.txt", sha: inside),
            candidate("absolute", path: "/etc/passwd", sha: any),
            candidate("escape", path: "../outside.txt", sha: any),
            candidate("deep-escape", path: "../../../../../../../../etc/hostname", sha: any),
            candidate("symlink", path: "link.txt", sha: any),
            candidate("fifo", path: "pipe", sha: any),
            candidate("folder", path: ".", sha: any),
            candidate("no-digest", path: "inside.txt", sha: nil),
        ]
        engine.prepare(candidates)
        func reasons(_ c: CandidateEvidence) -> [String] { engine.score(c, tree: false).flatMap(\.status.reasons) }
        #expect(engine.score(candidates[0], tree: false).map(\.status) == [.complete])
        #expect(
            reasons(candidates[1]) == [
                "B: the artifact '/etc/passwd' (\(evidence):5) is an absolute path; an artifact's path is relative to the folder of the evidence file that names it"
            ])
        #expect(
            reasons(candidates[2]) == [
                "B: the artifact '../outside.txt' (\(evidence):5) leads to \(base.path)/outside.txt, outside \(folder.path), the folder of the evidence file that names it; an artifact must be in that folder or below it"
            ])
        #expect(
            reasons(candidates[3]) == [
                "B: the artifact '../../../../../../../../etc/hostname' (\(evidence):5) leads to /etc/hostname, outside \(folder.path), the folder of the evidence file that names it; an artifact must be in that folder or below it"
            ])
        #expect(
            reasons(candidates[4]) == [
                "B: the artifact 'link.txt' (\(evidence):5) leads to \(base.path)/outside.txt, outside \(folder.path), the folder of the evidence file that names it; an artifact must be in that folder or below it"
            ])
        #expect(
            reasons(candidates[5]) == [
                "B: the artifact 'pipe' (\(evidence):5) is a FIFO (named pipe), not a regular file; an artifact must be a file"
            ])
        #expect(
            reasons(candidates[6]) == [
                "B: the artifact '.' (\(evidence):5) is a folder, not a regular file; an artifact must be a file"
            ])
        #expect(
            reasons(candidates[7]) == [
                "B: the artifact 'inside.txt' (\(evidence):5) has no sha256 in the evidence, so a changed file would go unnoticed; if this is the submitted file, record sha256=\"\(inside)\""
            ])
        // Only the good candidate's request reached the plugin, with the file's resolved path.
        #expect(host.worker(named: "steady")?.requestsSent == 1)
        let request = try PluginRequestBuilder.check(candidates[0].artifacts[0]).get()
        #expect(request == PluginRequest.File(path: folder.appendingPathComponent("inside.txt").path, written: "./inside.txt", sha256: inside))
    }

    @Test("hashing never crashes or hangs on a file that cannot be read to its end")
    func unreadableDigest() {
        #expect(FileDigest.sha256(ofFile: "/proc/self/mem") == nil)
        #expect(FileDigest.sha256(ofFile: "/nonexistent/file") == nil)
    }

    @Test("the manifest's self-tests, limits and environment are read from plugin.xml")
    func manifest() throws {
        let m = try Fixture.bundled("exposure-check")
        #expect(m.name == "exposure-check")
        #expect(m.protocolVersion == 1)
        #expect(m.scorers.map(\.id) == ["exposure-check"])
        #expect(m.scorers.first?.parameters.map(\.name) == ["ranges", "band", "partial"])
        #expect(m.timeoutMilliseconds == 2000)
        #expect(m.maxResponseBytes == 65536)
        #expect(m.selfTests.map(\.name) == [
            "every parameter in range earns full marks", "kVp in the band earns half, SID beyond it nothing",
            "a record without a ranged parameter is refused",
        ])
        #expect(m.selfTests.map(\.expect) == [.score(4), .score(2), .refused])
        #expect(m.selfTests.first?.artifacts == ["self-test/chest-pa-good.json"])
    }

    @Test("a plugin only sees PATH, its run token and the variables its manifest allows, and runs in its own folder and process group")
    func environment() throws {
        var manifest = try Fixture.plugin("steady")
        manifest.executable = "../../env-report.py"
        manifest.arguments = []
        let host = PluginHost(manifests: [manifest])
        defer { host.shutdown() }
        setenv("ASSAY_TEST_SECRET", "leak", 1)
        let reply = host.run([
            PluginRequest(scorer: "echo", node: "B", candidate: "C1", max: 10, min: nil, parameters: [], items: [], artifacts: [])
        ])
        let folder = URL(fileURLWithPath: manifest.directory).standardizedFileURL.path
        guard case .score(let value, let explanation) = reply.first else {
            Issue.record("no score: \(reply)")
            return
        }
        #expect(value == Exact(1))
        #expect(explanation == "env=ASSAY_PLUGIN_RUN,PATH cwd=\(folder) own-group=true")
    }

    @Test("the fast answer reader keeps numbers as written, decodes every escape, and leaves nested JSON to Foundation")
    func messageReader() {
        func read(_ s: String) -> [String: PluginMessageReader.Value]? { PluginMessageReader.object(ArraySlice(Array(s.utf8))) }
        #expect(
            read(#"{"type": "result", "id": 12, "score": 0.10, "ok": true, "none": null}"#) == [
                "type": .string("result"), "id": .number("12"), "score": .number("0.10"), "ok": .bool(true), "none": .null,
            ])
        #expect(read(#"{"explanation":"a \"b\" \\ \/ \n \u00e9 \ud83d\ude00"}"#) == ["explanation": .string("a \"b\" \\ / \n é 😀")])
        #expect(read(#"{"scorers":["a","b"],"type":"hello"}"#) == ["scorers": .strings(["a", "b"]), "type": .string("hello")])
        #expect(read(#"{"nested":{"a":1}}"#) == nil)
        #expect(read(#"{"type":"result"} trailing"#) == nil)
        #expect(read("{\"raw\":\"tab\there\"}") == nil)
        // Nested objects still work, through JSONSerialization.
        #expect("\(PluginWorker.parse(ArraySlice(Array(#"{"type":"result","id":1,"score":"3","extra":{"x":1}}"#.utf8))))" == #"reply(id: 1, AssayPlugins.PluginReply.score(3, explanation: ""))"#)
    }
}
