import AssayEngine
import AssayLoader
import AssayModel
import AssayPlugins
import Foundation
import Testing

/// Fault injection: purpose-built misbehaving plugins (Fixtures/misbehave.py). For each, the run finishes,
/// the named outcomes are incomplete with the exact reason, every other outcome is correct, and no process
/// the plugin started is left alive afterwards (checked in /proc).
@Suite("Plugin host under faults", .serialized)
struct PluginFaultTests {
    func expectNothingLeft(_ plugin: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let folder = Fixture.folder.appendingPathComponent("plugins/\(plugin)").path
        #expect(livingProcesses(under: folder) == [], sourceLocation: sourceLocation)
    }

    @Test("a well-behaved plugin scores every candidate with one persistent worker")
    func good() throws {
        let (results, host) = try Fixture.run("good")
        #expect(results == Fixture.expected(except: [:]))
        #expect(host.diagnostics == [])
        expectNothingLeft("good")
    }

    @Test("scoring without preparing the batch gives the same outcomes")
    func unprepared() throws {
        let prepared = try Fixture.run("good").results
        let oneByOne = try Fixture.run("good", prepare: false).results
        #expect(prepared == oneByOne)
        #expect(oneByOne == Fixture.expected(except: [:]))
        expectNothingLeft("good")
    }

    @Test("the process scan sees a running worker, and nothing once the host is shut down")
    func scanWorks() throws {
        let manifest = try Fixture.plugin("good")
        let host = PluginHost(manifests: [manifest])
        let reply = host.run([
            PluginRequest(
                scorer: "echo", node: "B", candidate: "C1", max: 10, min: nil, parameters: [],
                items: [PluginRequest.Item(kind: "measure", judge: nil, value: "4")], artifacts: [])
        ])
        #expect(reply == [PluginReply.score(Exact(4), explanation: "echoed 4")])
        let folder = Fixture.folder.appendingPathComponent("plugins/good").path
        let alive = livingProcesses(under: folder)
        #expect(alive.count == 1)
        #expect(alive.first?.contains("misbehave.py good") == true)
        host.shutdown()
        #expect(livingProcesses(under: folder) == [])
    }

    @Test("a plugin that crashes mid-batch costs only the request it crashed on; it is restarted")
    func crash() throws {
        let (results, host) = try Fixture.run("crash")
        #expect(
            results
                == Fixture.expected(except: [
                    "C3": ["B: plugin crash failed: exited with status 70 (stderr: misbehave: fatal error at C3)"]
                ]))
        #expect(
            host.diagnostics == [
                "plugin crash (stderr): misbehave: fatal error at C3",
                "plugin crash failed: exited with status 70 (stderr: misbehave: fatal error at C3); restarting (1 of 2)",
            ])
        expectNothingLeft("crash")
    }

    @Test("a plugin that crashes while Assay is still writing a full pipe is described by its exit status, every time")
    func crashWhileWriting() throws {
        // 2,000 requests (about 300 KB) do not fit in the pipe: Assay is blocked writing when the plugin dies
        // at C3, so the write fails too; the reason is still the exit status, never "closed its input".
        for _ in 1...3 {
            let (results, host) = try Fixture.run("crash", candidates: 2000, cycle: true)
            #expect(
                results
                    == Fixture.expected(2000, cycle: true, except: [
                        "C3": ["B: plugin crash failed: exited with status 70 (stderr: misbehave: fatal error at C3)"]
                    ]))
            #expect(
                host.diagnostics == [
                    "plugin crash (stderr): misbehave: fatal error at C3",
                    "plugin crash failed: exited with status 70 (stderr: misbehave: fatal error at C3); restarting (1 of 2)",
                ])
            expectNothingLeft("crash")
        }
    }

    @Test("a slow but correct plugin is never killed while Assay waits to write a full pipe")
    func slowButCorrect() throws {
        // 600 requests (about 90 KB) at 5 ms each take 3 s, six times the 500 ms timeout, and overflow the
        // pipe: the deadline runs from the last answer, not from the start of the writing.
        let (results, host) = try Fixture.run("slow", candidates: 600, cycle: true)
        #expect(results == Fixture.expected(600, cycle: true, except: [:]))
        #expect(host.diagnostics == [])
        expectNothingLeft("slow")
    }

    @Test("a plugin that hangs past the deadline is killed; the other candidates are scored")
    func hang() throws {
        let (results, host) = try Fixture.run("hang")
        #expect(results == Fixture.expected(except: ["C3": ["B: plugin hang failed: did not answer within 2000 ms"]]))
        #expect(host.diagnostics == ["plugin hang failed: did not answer within 2000 ms; restarting (1 of 2)"])
        expectNothingLeft("hang")
    }

    @Test("garbage on stdout fails the request it stands for, not the ones answered before")
    func garbage() throws {
        let (results, _) = try Fixture.run("garbage")
        #expect(
            results
                == Fixture.expected(except: [
                    "C3": [
                        "B: plugin garbage failed: sent a line that is not a protocol 1 message: 'Traceback (most recent call last): not JSON'"
                    ]
                ]))
        expectNothingLeft("garbage")
    }

    @Test("a 100 MB response is cut off at the manifest's limit")
    func huge() throws {
        let start = Date()
        let (results, _) = try Fixture.run("huge")
        #expect(
            results
                == Fixture.expected(except: ["C3": ["B: plugin huge failed: sent a response longer than the limit of 1048576 bytes"]]))
        #expect(Date().timeIntervalSince(start) < 10)
        expectNothingLeft("huge")
    }

    @Test("a plugin speaking another protocol version is refused once, readably, and never retried")
    func wrongProtocol() throws {
        let (results, host) = try Fixture.run("protocol")
        let reason = "B: plugin protocol failed: speaks protocol 2, but this Assay speaks protocol 1; install a release of the plugin for protocol 1"
        #expect(results == Fixture.expected(except: Dictionary(uniqueKeysWithValues: (1...6).map { ("C\($0)", [reason]) })))
        #expect(host.diagnostics == ["plugin protocol failed: " + reason.dropFirst("B: plugin protocol failed: ".count)])
        expectNothingLeft("protocol")
    }

    @Test("a plugin that exits on start is tried up to its restart limit, then every outcome says why")
    func exitOnStart() throws {
        let (results, host) = try Fixture.run("exit-on-start")
        let why = "exited with status 3 before the handshake (stderr: misbehave: cannot load the model file)"
        let reason = "B: plugin exit-on-start failed: \(why) (gave up after 2 restarts)"
        #expect(results == Fixture.expected(except: Dictionary(uniqueKeysWithValues: (1...6).map { ("C\($0)", [reason]) })))
        #expect(
            host.diagnostics.filter { !$0.contains("(stderr):") } == [
                "plugin exit-on-start failed: \(why); restarting (1 of 2)",
                "plugin exit-on-start failed: \(why); restarting (2 of 2)",
                "plugin exit-on-start failed: \(why) (gave up after 2 restarts)",
            ])
        expectNothingLeft("exit-on-start")
    }

    @Test("a plugin that writes only to stderr times out; its words are kept as diagnostics, never as scores")
    func stderrOnly() throws {
        let (results, host) = try Fixture.run("stderr-only")
        let why = "did not answer the handshake within 3000 ms (stderr: misbehave: thinking about the hello)"
        let reason = "B: plugin stderr-only failed: \(why) (gave up after 2 restarts)"
        #expect(results == Fixture.expected(except: Dictionary(uniqueKeysWithValues: (1...6).map { ("C\($0)", [reason]) })))
        #expect(host.diagnostics.filter { $0.contains("(stderr):") } == Array(repeating: "plugin stderr-only (stderr): misbehave: thinking about the hello", count: 3))
        expectNothingLeft("stderr-only")
    }

    @Test("a child the plugin started does not outlive the run")
    func orphan() throws {
        let (results, _) = try Fixture.run("orphan")
        #expect(results == Fixture.expected(except: ["C3": ["B: plugin orphan failed: exited with status 0"]]))
        expectNothingLeft("orphan")
    }
}
