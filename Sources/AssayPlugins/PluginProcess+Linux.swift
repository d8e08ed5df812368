import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Finding, killing and reaping everything a plugin started, wherever it went.
///
/// A plugin runs in a session and process group of its own, so killing the group takes its ordinary
/// children. A descendant that calls `setsid` (or `setpgid`) leaves both, and when its parent exits it would
/// be adopted by init and outlive the run. So Assay makes itself a *child subreaper*
/// (`prctl(PR_SET_CHILD_SUBREAPER, 1)`): such an orphan becomes Assay's child instead. Every plugin process
/// also gets a token in its environment (`ASSAY_PLUGIN_RUN`, inherited by whatever it starts), and on
/// shutdown, failure or restart ``killAll()`` kills, in rounds until none is left: the plugin's group, every
/// process in its session or group, every orphan adopted by Assay (or by init) that carries its token, and
/// every descendant of those (by parent, whatever its session). It then reaps those that are Assay's
/// children, each by its own pid and start time: `waitpid(-1)` is never called, so the exit status of any
/// other child of the process (a Foundation `Process`, which waits for its own pid) is never taken from its
/// owner, and a child without the token (an orphan of something else) is left alone. An orphan that has
/// already died and cleared its environment cannot be told apart: it stays a zombie until Assay exits.
///
/// Limits: a descendant that empties its environment *and* leaves the session *and* outlives its parent
/// cannot be found; one in the middle of forking when a round runs is caught by the next round.
extension PluginProcess {
    /// The environment variable that marks a plugin's processes.
    static let tokenVariable = "ASSAY_PLUGIN_RUN"

    /// Makes this process the subreaper of its descendants (once; false where the kernel refuses).
    static let becomeSubreaper: Bool = {
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        guard let p = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prctl") else { return false }
        let prctl = unsafeBitCast(p, to: Prctl.self)
        let PR_SET_CHILD_SUBREAPER: Int32 = 36
        return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    }()

    private static let serialLock = NSLock()
    nonisolated(unsafe) private static var serial = 0

    /// A token no other plugin process of any Assay run on this machine has: Assay's pid and a serial number.
    static func newToken() -> String {
        serialLock.lock()
        defer { serialLock.unlock() }
        serial += 1
        return "\(getpid()).\(serial)"
    }

    /// One process as /proc shows it.
    struct ProcEntry: Hashable {
        let pid: pid_t
        let ppid: pid_t
        let group: pid_t
        let session: pid_t
        let zombie: Bool
        /// Clock ticks after boot: with the pid, names the process even after its pid is reused.
        let started: UInt64
        /// The pid and start time, which stay the same when the process dies (becomes a zombie) or moves to a
        /// new parent.
        var identity: Identity { Identity(pid: pid, started: started) }
    }

    /// A process, told apart from a later one with the same pid.
    struct Identity: Hashable {
        let pid: pid_t
        let started: UInt64
    }

    /// Kills the plugin and everything it started (see the type's overview), and reaps those of them that are
    /// this process's children, except the plugin itself (its waiter reaps it). Gives up after 3 s.
    func killAll() {
        _ = kill(-pid, SIGKILL)
        let me = getpid()
        let deadline = DispatchTime.now().uptimeNanoseconds + 3_000_000_000
        var seen = Set<Identity>()
        while true {
            let all = Self.processes()
            var children: [pid_t: [ProcEntry]] = [:]
            for e in all { children[e.ppid, default: []].append(e) }
            // An orphan is adopted by this process (the subreaper), or by init where the kernel refused: only
            // their environments need reading; every other descendant is found through its parent.
            var victims = all.filter { e in
                e.session == pid || e.group == pid || (!e.zombie && (e.ppid == me || e.ppid == 1) && Self.carries(token, e.pid))
            }
            var found = Set(victims.map(\.identity))
            var i = 0
            while i < victims.count {
                for c in children[victims[i].pid] ?? [] where found.insert(c.identity).inserted { victims.append(c) }
                i += 1
            }
            seen.formUnion(found)
            let living = victims.filter { !$0.zombie }
            for v in living { _ = kill(v.pid, SIGKILL) }
            // Reap the ones that are ours, known by pid and start time (never a stranger that took a dead
            // one's pid). Killed ones are reaped on a later round, once they are zombies.
            var waiting = false
            for e in all where e.ppid == me && e.pid != pid && seen.contains(e.identity) {
                if e.zombie {
                    var status: Int32 = 0
                    _ = waitpid(e.pid, &status, WNOHANG)
                } else {
                    waiting = true
                }
            }
            // A killed victim whose parent is another victim is adopted by this process when that parent
            // dies: go on until none of them is alive or a zombie of a victim.
            let seenPids = Set(seen.map(\.pid))
            let pending = all.contains { e in
                seen.contains(e.identity) && e.pid != pid && (!e.zombie || seenPids.contains(e.ppid))
            }
            if !pending && !waiting && living.allSatisfy({ $0.pid == pid }) { return }
            if DispatchTime.now().uptimeNanoseconds >= deadline { return }
            usleep(2_000)
        }
    }

    /// Every process in /proc (those that vanish while being read are left out).
    static func processes() -> [ProcEntry] {
        guard let dir = opendir("/proc") else { return [] }
        defer { closedir(dir) }
        var out: [ProcEntry] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = pid_t(name), let stat = readSmallFile("/proc/\(name)/stat") else { continue }
            // The command name is in parentheses and may hold anything: the fields start after the last ')'.
            guard let close = stat.lastIndex(of: UInt8(ascii: ")")) else { continue }
            let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
            guard fields.count > 19 else { continue }
            func number(_ i: Int) -> Int64 { Int64(String(decoding: fields[i], as: UTF8.self)) ?? -1 }
            let state = fields[0].first ?? 0
            out.append(
                ProcEntry(
                    pid: pid, ppid: pid_t(truncatingIfNeeded: number(1)), group: pid_t(truncatingIfNeeded: number(2)),
                    session: pid_t(truncatingIfNeeded: number(3)), zombie: state == UInt8(ascii: "Z") || state == UInt8(ascii: "X"),
                    started: UInt64(max(0, number(19)))))
        }
        return out
    }

    /// Whether process `pid` has `ASSAY_PLUGIN_RUN=token` in its environment (false when it cannot be read).
    static func carries(_ token: String, _ pid: pid_t) -> Bool {
        guard let environ = readSmallFile("/proc/\(pid)/environ", limit: 1 << 20) else { return false }
        let wanted = Array("\(tokenVariable)=\(token)".utf8)
        return environ.split(separator: 0, omittingEmptySubsequences: true).contains { $0.elementsEqual(wanted) }
    }

    /// The bytes of a /proc file, up to `limit`.
    private static func readSmallFile(_ path: String, limit: Int = 4096) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while out.count < limit {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            out += chunk[0..<n]
        }
        return out
    }
}
