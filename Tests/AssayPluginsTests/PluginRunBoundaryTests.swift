import AssayModel
@testable import AssayPlugins
import Foundation
import Testing

/// Killing a plugin's descendants must never reach a process outside the run: not one that was given the
/// pid of a dead plugin (so its session and group id), and not one carrying a token another run used. These
/// tests start real processes and look at them in /proc.
@Suite("Plugin shutdown kills nothing outside the run", .serialized)
struct PluginRunBoundaryTests {
    typealias D = PluginDescendantTests

    static func request(_ candidate: String, _ value: String) -> PluginRequest {
        PluginRequest(
            scorer: "echo", node: "B", candidate: candidate, max: 10, min: nil, parameters: [],
            items: [PluginRequest.Item(kind: "measure", judge: nil, value: value)], artifacts: [])
    }

    /// The value of ASSAY_PLUGIN_RUN in the environment of process `pid`, read from /proc.
    static func token(of pid: pid_t) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return nil }
        let prefix = "ASSAY_PLUGIN_RUN="
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.first { $0.hasPrefix(prefix) }
            .map { String($0.dropFirst(prefix.count)) }
    }

    /// Whether `pid` is alive (in /proc and not a zombie).
    static func alive(_ pid: pid_t) -> Bool {
        guard let s = D.stat(pid) else { return false }
        return s.state != "Z" && s.state != "X"
    }

    /// `sleep seconds` started by this process (its child, as an orphan adopted by Assay would be, in a session
    /// of its own), with ASSAY_PLUGIN_RUN set to `token` (through env, which replaces the spawn's own token).
    static func outsider(token: String, seconds: Int) throws -> PluginProcess {
        try PluginProcess.spawn(
            executable: "/usr/bin/env", arguments: ["ASSAY_PLUGIN_RUN=\(token)", "sleep", "\(seconds)"], directory: "/",
            environment: ["PATH": "/usr/bin:/bin"])
    }

    /// Kills and reaps a process started with ``outsider(token:seconds:)``.
    static func end(_ p: PluginProcess) {
        kill(p.pid, SIGKILL)
        var status: Int32 = 0
        waitpid(p.pid, &status, 0)
        for fd in [p.stdinFD, p.stdoutFD, p.stderrFD] { close(fd) }
    }

    @Test("each plugin process gets 128 random bits as its token: 32 hex digits, new for each run, nothing of Assay's pid")
    func tokens() throws {
        let (plugins, manifest) = try D.escapingPlugin(trigger: "none", seconds: D.uniqueSeconds())
        defer { try? FileManager.default.removeItem(at: plugins) }
        var seen: [String] = []
        for _ in 0..<2 {
            let host = PluginHost(manifests: [manifest])
            let worker = try #require(host.worker(named: "escape"))
            #expect(host.run([Self.request("C1", "1")]) == [.score(Exact(1), explanation: "echoed 1")])
            let pid = try #require(worker.pid)
            let token = try #require(Self.token(of: pid))
            host.shutdown()
            #expect(token.count == 32)
            #expect(token.allSatisfy { "0123456789abcdef".contains($0) }, "token \(token)")
            #expect(!token.contains("\(getpid())"), "token \(token) holds Assay's pid \(getpid())")
            seen.append(token)
        }
        #expect(seen[0] != seen[1], "two runs, one token: \(seen)")
    }

    @Test("a leftover carrying an earlier run's token, or a token made of Assay's pid, survives; the run's own escaped sleep does not")
    func outsidersWithTokens() throws {
        // An earlier run: its token, as a process it left behind would carry it.
        let (earlierPlugins, earlierManifest) = try D.escapingPlugin(trigger: "none", seconds: D.uniqueSeconds())
        defer { try? FileManager.default.removeItem(at: earlierPlugins) }
        let earlier = PluginHost(manifests: [earlierManifest])
        #expect(earlier.run([Self.request("C1", "1")]) == [.score(Exact(1), explanation: "echoed 1")])
        let earlierPid = try #require(earlier.worker(named: "escape")?.pid)
        let earlierToken = try #require(Self.token(of: earlierPid))
        earlier.shutdown()

        // This run escapes a `setsid sleep` at C2's request.
        let seconds = D.uniqueSeconds()
        let (plugins, manifest) = try D.escapingPlugin(trigger: "C2", seconds: seconds)
        defer { try? FileManager.default.removeItem(at: plugins) }
        let host = PluginHost(manifests: [manifest])
        #expect(host.run([Self.request("C1", "1")]) == [.score(Exact(1), explanation: "echoed 1")])
        let pluginPid = try #require(host.worker(named: "escape")?.pid)
        let token = try #require(Self.token(of: pluginPid))
        // A token made as `<Assay's pid>.<plugin number>` is the same for this run and for an earlier Assay that
        // had the same pid: a leftover of that run carries Assay's pid and this run's plugin number.
        let pidBased = "\(getpid())." + (token.split(separator: ".").last.map(String.init) ?? token)
        let outsiderSeconds = D.uniqueSeconds()
        let outsiders = [try Self.outsider(token: earlierToken, seconds: outsiderSeconds), try Self.outsider(token: pidBased, seconds: outsiderSeconds)]
        #expect(earlierToken != token)
        defer { for o in outsiders { Self.end(o) } }
        // Until /usr/bin/env has become sleep, /proc shows the environment the spawn gave env (with a token of
        // its own): wait for the exec, then read the outsiders' tokens.
        #expect(D.eventually { outsiders.allSatisfy { (try? String(contentsOfFile: "/proc/\($0.pid)/comm", encoding: .utf8)) == "sleep\n" } })
        #expect(outsiders.map { Self.token(of: $0.pid) } == [earlierToken, pidBased])
        #expect(host.run([Self.request("C2", "2")]) == [.score(Exact(2), explanation: "echoed 2")])
        #expect(D.eventually { D.sleepers(seconds).count == 1 })
        host.shutdown()
        #expect(D.sleepers(seconds) == [], "the run's own escaped sleep was killed")
        for o in outsiders {
            #expect(Self.alive(o.pid), "sleep \(outsiderSeconds) with ASSAY_PLUGIN_RUN=\(Self.token(of: o.pid) ?? "?") was killed")
        }
        #expect(D.sleepers(outsiderSeconds) == outsiders.map(\.pid).sorted())
    }

    @Test("a dead plugin's pid is not given to a new session leader while what it started is killed; that process survives")
    func reusedPid() throws {
        let seconds = D.uniqueSeconds()
        let (plugins, manifest) = try D.escapingPlugin(trigger: "C2", seconds: seconds)
        defer { try? FileManager.default.removeItem(at: plugins) }
        let host = PluginHost(manifests: [manifest])
        defer { host.shutdown() }
        let worker = try #require(host.worker(named: "escape"))
        #expect(host.run([Self.request("C1", "1"), Self.request("C2", "2")]).count == 2)
        #expect(D.eventually { D.sleepers(seconds).count == 1 })
        let old = try #require(worker.pid)
        kill(old, SIGKILL)
        #expect(D.eventually { D.stat(old)?.state != "S" && D.stat(old)?.state != "R" })
        usleep(200_000)
        // Ask the kernel for the dead plugin's pid (the next pid after ns_last_pid) for a stranger in a session
        // and group of its own: if the plugin had been reaped, the stranger would be session and group `old`.
        let strangerSeconds = D.uniqueSeconds()
        try "\(old - 1)".write(toFile: "/proc/sys/kernel/ns_last_pid", atomically: false, encoding: .utf8)
        let stranger = try PluginProcess.spawn(
            executable: "/bin/sleep", arguments: ["\(strangerSeconds)"], directory: "/", environment: ["PATH": "/usr/bin:/bin"])
        defer { Self.end(stranger) }
        #expect(stranger.pid != old, "the dead plugin's pid \(old) was given away before what it started was killed")
        #expect(D.stat(stranger.pid)?.session == stranger.pid)
        // The next request finds the worker dead, kills what it started and restarts it.
        #expect(host.run([Self.request("C3", "3")]) == [.score(Exact(3), explanation: "echoed 3")])
        #expect(worker.starts == 2)
        #expect(D.sleepers(seconds) == [], "the plugin's escaped sleep was killed")
        #expect(!D.exists(old), "the dead plugin was reaped after the killing")
        #expect(Self.alive(stranger.pid), "the stranger in its own session (pid \(stranger.pid)) was killed")
        #expect(D.stat(stranger.pid)?.session == stranger.pid, "still in the session of its own")
    }
}
