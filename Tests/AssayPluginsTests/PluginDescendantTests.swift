import AssayEngine
import AssayLoader
import AssayModel
@testable import AssayPlugins
import Foundation
import Testing

/// A plugin's descendant that calls `setsid` leaves the plugin's session and process group, so killing the
/// group misses it. These tests start real ones (Fixtures/quirks.py runs `setsid sleep N` through a shell
/// that exits at once, with N unique to the test) and look in /proc that none survives a scoring run or a
/// self-test check, and that the other children of the process keep their exit statuses.
@Suite("Plugin descendants that leave the process group", .serialized)
struct PluginDescendantTests {
    /// A plugin folder in a fresh temporary plugins folder, running quirks.py in `setsid` mode at `trigger`'s
    /// request (a candidate, or "hello" for the handshake) with a sleep of `seconds`.
    static func escapingPlugin(trigger: String, seconds: Int, hang: Bool = false) throws -> (plugins: URL, manifest: PluginManifest) {
        let plugins = FileManager.default.temporaryDirectory.appendingPathComponent("assay-escape-\(UUID().uuidString)")
        let folder = plugins.appendingPathComponent("escape")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = Fixture.folder.appendingPathComponent("quirks.py").path
        try """
        <?xml version="1.0" encoding="UTF-8"?>
        <plugin xmlns="urn:assay:plugin:1" name="escape" version="0.1" protocol="1">
          <run executable="\(script)"><arg>setsid</arg><arg>\(trigger)</arg><arg>\(seconds)</arg>\(hang ? "<arg>hang</arg>" : "")</run>
          <scorer id="echo" summary="The first item's value as the score."/>
          <limits timeout-ms="\(hang ? 1000 : 5000)" start-timeout-ms="10000" max-response-bytes="1048576" max-restarts="2"/>
          <self-test name="echoes 7" scorer="echo" max="10" expect="7"><item value="7"/></self-test>
        </plugin>
        """.write(to: folder.appendingPathComponent("plugin.xml"), atomically: true, encoding: .utf8)
        let (manifest, diagnostics) = PluginManifestLoader.load(folder.appendingPathComponent("plugin.xml").path)
        #expect(diagnostics.map(\.formatted) == [])
        return (plugins, try #require(manifest))
    }

    /// A number of seconds no other process on the machine sleeps for.
    static func uniqueSeconds() -> Int { 770_000 + Int.random(in: 0..<200_000) }

    /// What /proc/PID/stat says of a process: its state, parent and session (read here, not by the code
    /// under test).
    static func stat(_ pid: pid_t) -> (state: String, ppid: pid_t, session: pid_t)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 4, let ppid = pid_t(fields[1]), let session = pid_t(fields[3]) else { return nil }
        return (String(fields[0]), ppid, session)
    }

    /// The living (not zombie) processes whose command line is `sleep SECONDS`.
    static func sleepers(_ seconds: Int) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let s = stat(pid), s.state != "Z", s.state != "X",
                let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { return false }
            return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) } == ["sleep", "\(seconds)"]
        }.sorted()
    }

    /// Whether /proc still shows `pid` at all, alive or as a zombie nobody reaped.
    static func exists(_ pid: pid_t) -> Bool { FileManager.default.fileExists(atPath: "/proc/\(pid)") }

    /// Waits up to 5 s for `condition`.
    static func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    @Test("a sleep started with setsid during scoring is alive during the run, and neither alive nor a zombie after it")
    func scoring() throws {
        let seconds = Self.uniqueSeconds()
        let (plugins, manifest) = try Self.escapingPlugin(trigger: "C3", seconds: seconds)
        defer { try? FileManager.default.removeItem(at: plugins) }
        let program = try Fixture.drill(with: manifest)
        let host = PluginHost(manifests: [manifest], program: program)
        let engine = Engine(program: program, plugins: host)
        let all = Fixture.candidates(6)
        engine.prepare(all)
        var results: [String: Fixture.Result] = [:]
        for c in all {
            for o in engine.score(c, tree: false) {
                results[c.id] = o.status.isComplete ? .total(o.value!.text()) : .incomplete(o.status.reasons)
            }
        }
        // The shell that started it has exited: the sleep is an orphan in a session of its own.
        #expect(Self.eventually { Self.sleepers(seconds).count == 1 })
        let escaped = Self.sleepers(seconds)
        let first = try #require(escaped.first)
        let entry = try #require(Self.stat(first))
        #expect(entry.session == escaped.first)
        #expect(entry.ppid == getpid(), "the subreaper adopts the orphan")
        host.shutdown()
        #expect(results == Fixture.expected(except: [:]))
        #expect(host.diagnostics == [])
        #expect(Self.sleepers(seconds) == [])
        for pid in escaped { #expect(!Self.exists(pid), "sleep \(seconds) (pid \(pid)) was reaped") }
    }

    @Test("a sleep started with setsid at the handshake does not outlive plugins check")
    func selfTestCheck() throws {
        let seconds = Self.uniqueSeconds()
        let (plugins, manifest) = try Self.escapingPlugin(trigger: "hello", seconds: seconds)
        defer { try? FileManager.default.removeItem(at: plugins) }
        let check = PluginCheck.run(manifest)
        #expect(check.passed)
        #expect(check.cases.map(\.detail) == ["gave 7"])
        #expect(Self.sleepers(seconds) == [])
    }

    @Test("a worker that died takes its escaped descendants with it before it is restarted")
    func restart() throws {
        // quirks.py in setsid mode escapes at C2's request; then the worker dies, and the next request restarts it.
        let seconds = Self.uniqueSeconds()
        let (plugins, manifest) = try Self.escapingPlugin(trigger: "C2", seconds: seconds)
        defer { try? FileManager.default.removeItem(at: plugins) }
        let host = PluginHost(manifests: [manifest])
        defer { host.shutdown() }
        let worker = try #require(host.worker(named: "escape"))
        func request(_ candidate: String, _ value: String) -> PluginRequest {
            PluginRequest(
                scorer: "echo", node: "B", candidate: candidate, max: 10, min: nil, parameters: [],
                items: [PluginRequest.Item(kind: "measure", judge: nil, value: value)], artifacts: [])
        }
        #expect(host.run([request("C1", "1"), request("C2", "2")]) == [.score(Exact(1), explanation: "echoed 1"), .score(Exact(2), explanation: "echoed 2")])
        #expect(Self.eventually { Self.sleepers(seconds).count == 1 })
        let escaped = Self.sleepers(seconds)
        // The worker is killed as for any failure (here: its process is killed from outside, and the next
        // request finds it gone); the restarted worker scores the request.
        let old = try #require(worker.pid)
        kill(old, SIGKILL)
        // Once its waiter has seen it die (and a moment more to record the status), the next request finds it
        // gone. It stays a zombie until its worker has killed what it started: its pid, group and session id
        // cannot be reused meanwhile.
        #expect(Self.eventually { Self.stat(old)?.state == "Z" })
        usleep(200_000)
        #expect(Self.sleepers(seconds) == escaped, "the escaped sleep outlived its plugin so far")
        #expect(host.run([request("C3", "3")]) == [.score(Exact(3), explanation: "echoed 3")])
        #expect(worker.starts == 2)
        #expect(host.diagnostics == ["plugin escape failed: was killed by signal 9 (SIGKILL); restarting (1 of 2)"])
        #expect(Self.sleepers(seconds) == [], "killed with the worker it came from, before the restart")
        #expect(!Self.exists(old), "the dead worker was reaped once what it started was killed")
        for pid in escaped { #expect(!Self.exists(pid)) }
    }

    @Test("a worker killed for a timeout takes its escaped descendant with it; the other candidates are scored")
    func timeout() throws {
        let seconds = Self.uniqueSeconds()
        let (plugins, manifest) = try Self.escapingPlugin(trigger: "C3", seconds: seconds, hang: true)
        defer { try? FileManager.default.removeItem(at: plugins) }
        let program = try Fixture.drill(with: manifest)
        let host = PluginHost(manifests: [manifest], program: program)
        defer { host.shutdown() }
        let engine = Engine(program: program, plugins: host)
        var results: [String: Fixture.Result] = [:]
        var escaped: [pid_t] = []
        for c in Fixture.candidates(6) {
            for o in engine.score(c, tree: false) {
                results[c.id] = o.status.isComplete ? .total(o.value!.text()) : .incomplete(o.status.reasons)
            }
            if c.id == "C2" {
                // Not yet escaped; C3's request makes the plugin escape and hang, and the timeout kills it.
                #expect(Self.sleepers(seconds) == [])
            }
            if c.id == "C3" { escaped = Self.sleepers(seconds) }
        }
        #expect(results == Fixture.expected(except: ["C3": ["B: plugin escape failed: did not answer within 1000 ms"]]))
        #expect(host.diagnostics == ["plugin escape failed: did not answer within 1000 ms; restarting (1 of 2)"])
        // Already gone after the timeout's kill, before the host is shut down.
        #expect(escaped == [])
        #expect(Self.sleepers(seconds) == [])
    }

    @Test("other children of the process keep their exit statuses while plugin descendants are reaped")
    func foundationChildrenUntouched() throws {
        let seconds = Self.uniqueSeconds()
        let (plugins, manifest) = try Self.escapingPlugin(trigger: "hello", seconds: seconds)
        defer { try? FileManager.default.removeItem(at: plugins) }
        // A child of this process started by Foundation, which waits for its own pid: it must neither be
        // killed as a plugin's descendant nor have its status taken by the reaping.
        let other = Process()
        other.executableURL = URL(fileURLWithPath: "/bin/sh")
        other.arguments = ["-c", "sleep 1; exit 7"]
        try other.run()
        let crashed = try Fixture.run("crash")
        #expect(crashed.results == Fixture.expected(except: ["C3": ["B: plugin crash failed: exited with status 70 (stderr: misbehave: fatal error at C3)"]]))
        let check = PluginCheck.run(manifest)
        #expect(check.passed)
        other.waitUntilExit()
        #expect(other.terminationReason == .exit)
        #expect(other.terminationStatus == 7)
        #expect(Self.sleepers(seconds) == [])
    }

    @Test("the assay command leaves no setsid descendant alive after plugins check or score, with the usual exit codes")
    func command() throws {
        let assay = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/assay")
        try #require(FileManager.default.isExecutableFile(atPath: assay.path), "build the assay command first (swift build)")
        func run(_ arguments: [String]) throws -> (code: Int32, out: String) {
            let p = Process()
            p.executableURL = assay
            p.arguments = arguments
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        do {
            let seconds = Self.uniqueSeconds()
            let (plugins, _) = try Self.escapingPlugin(trigger: "hello", seconds: seconds)
            defer { try? FileManager.default.removeItem(at: plugins) }
            let (code, out) = try run(["plugins", "check", "--plugins", plugins.path])
            #expect(code == 0)
            #expect(out == "escape 0.1: handshake ok (protocol 1)\n  pass  echoes 7: gave 7\nchecked 1 plugin: 1 of 1 self-tests passed\n")
            #expect(Self.sleepers(seconds) == [])
        }
        do {
            let seconds = Self.uniqueSeconds()
            let (plugins, _) = try Self.escapingPlugin(trigger: "C3", seconds: seconds)
            defer { try? FileManager.default.removeItem(at: plugins) }
            let csv = plugins.appendingPathComponent("drill.csv")
            try ("candidate,target,node,judge,value\n"
                + (1...6).map { "C\($0),drill,A,,\($0)\nC\($0),drill,B,,\($0)\n" }.joined()).write(to: csv, atomically: true, encoding: .utf8)
            let (code, out) = try run([
                "score", Fixture.folder.appendingPathComponent("rubric.xml").path, csv.path, "--plugins", plugins.path, "--format", "csv",
            ])
            #expect(code == 0)
            #expect(out.split(separator: "\n").dropFirst().map { $0.split(separator: ",").prefix(3).joined(separator: ",") } == (1...6).map { "C\($0),drill,\(2 * $0)" })
            #expect(Self.sleepers(seconds) == [])
        }
    }
}
