import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Finding, killing and reaping everything a plugin started, wherever it went — and nothing else.
///
/// A plugin runs in a session and process group of its own, so killing the group takes its ordinary
/// children. A descendant that calls `setsid` (or `setpgid`) leaves both, and when its parent exits it would
/// be adopted by init and outlive the run. So Assay makes itself a *child subreaper*
/// (`prctl(PR_SET_CHILD_SUBREAPER, 1)`): such an orphan becomes Assay's child instead. Every plugin process
/// also gets a token in its environment (`ASSAY_PLUGIN_RUN`, inherited by whatever it starts), and on
/// shutdown, failure or restart ``killAll()`` kills, in rounds until none is left, the *members* of the run:
/// the plugin, every process in its session or group, every orphan adopted by Assay (or by init) that carries
/// its token, and every child of a member (whatever its session). It then reaps those that are Assay's
/// children, each by its own pid and start time: `waitpid(-1)` is never called, so the exit status of any
/// other child of the process (a Foundation `Process`, which waits for its own pid) is never taken from its
/// owner.
///
/// Why no process outside the run can be killed (pids are reused as soon as a process is reaped):
/// - **The plugin is not reaped until the killing is done.** Its waiter only observes its exit (`waitid` with
///   `WNOWAIT`); it is reaped after ``killAll()``. An unreaped process (alive or a zombie) keeps its pid, and
///   the kernel gives no process a pid that is still some process's group or session id. So while
///   ``killAll()`` runs, the group and session whose id is the plugin's pid are the plugin's: the plugin
///   made them at its start (`setsid` fails where the id is already a group's), only its descendants inherit
///   the session, and only a process of the session can join a group of it. Killing `-pid` and matching by
///   session or group are then safe.
/// - **The token is 128 random bits** (from the kernel's random source), new for each plugin process: it
///   cannot repeat across runs (as a pid-based one did when Assay's pid was reused), so a process that
///   carries it was started by this plugin (or was given the token on purpose).
/// - **Each member is checked through a pidfd before it is signalled.** A pidfd names one process and never
///   a later one with the same pid. Assay opens one for the pid, reads the process's /proc entry (start time,
///   parent, session, group, environment), and then checks through the pidfd that the process is still
///   unreaped: so what was read was that process's. It is signalled only through the pidfd.
/// - **A child counts only while its parent is known to be a member.** A process whose parent pid is a
///   member's pid is a member only if, after its entry was read, that member is still unreaped (checked
///   through the member's pidfd): else the pid may have been reused by a stranger whose child this is.
///
/// Where the kernel has no pidfds (before Linux 5.3), membership is checked the same way with the start time
/// in /proc standing in for the pidfd, but `kill` by pid is sent only to a member that is this process's own
/// unreaped child (its pid cannot be reused before this process reaps it) and to the plugin's group; other
/// members are killed once their parent's death makes them Assay's children.
///
/// Limits: a descendant that empties its environment *and* leaves the session *and* outlives its parent
/// cannot be found; one in the middle of forking when a round runs is caught by the next round; an orphan
/// that has already died and cleared its environment cannot be told apart: it stays a zombie until Assay
/// exits.
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

    /// A token no other process has by chance: 128 random bits from the system's generator (the kernel's
    /// `getrandom`), as 32 lowercase hex digits. Nothing in it comes from a pid or a counter, so it does not
    /// repeat when Assay's pid is reused by a later run.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return [generator.next() as UInt64, generator.next() as UInt64].map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
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

    /// A process verified to belong to the run, with the pidfd it was verified through (-1 without pidfds).
    struct Member {
        let identity: Identity
        let fd: Int32

        /// Whether the member is still unreaped (alive or a zombie), so its pid is still its own.
        func unreaped() -> Bool {
            if fd >= 0 { return PidFD.signal(fd, 0) }
            return PluginProcess.entry(identity.pid)?.identity == identity
        }
    }

    /// Kills the plugin and everything it started (see the type's overview), and reaps those of them that are
    /// this process's children; then the plugin itself is reaped (here, or by its waiter once it has seen the
    /// exit). Gives up after 3 s. Only the first call does anything.
    func killAll() {
        leader.condition.lock()
        let done = leader.released
        leader.condition.unlock()
        guard !done else { return }
        var members: [Identity: Member] = [:]
        defer {
            for m in members.values where m.fd >= 0 { close(m.fd) }
            leader.condition.lock()
            leader.released = true
            reapLeaderLocked()
            leader.condition.unlock()
        }
        // The plugin is unreaped (it is reaped only after this), so its pid and group are its own.
        if leaderFD >= 0 { _ = PidFD.signal(leaderFD, SIGKILL) } else { _ = kill(pid, SIGKILL) }
        _ = kill(-pid, SIGKILL)
        let me = getpid()
        let deadline = DispatchTime.now().uptimeNanoseconds + 3_000_000_000
        var memberByPid: [pid_t: Member] = [:]
        var withoutToken = Set<Identity>()
        while true {
            let all = Self.processes()
            // Members are found from the top down: a child is checked once its parent is a member.
            var found = true
            while found {
                found = false
                for e in all where members[e.identity] == nil && !withoutToken.contains(e.identity) {
                    let parent = memberByPid[e.ppid]
                    let orphan = !e.zombie && (e.ppid == me || e.ppid == 1)
                    guard e.session == pid || e.group == pid || parent != nil || orphan else { continue }
                    guard let m = verify(e, parent: parent, me: me) else {
                        if parent == nil && e.session != pid && e.group != pid { withoutToken.insert(e.identity) }
                        continue
                    }
                    members[e.identity] = m
                    memberByPid[e.pid] = m
                    found = true
                }
            }
            var living = false
            for e in all where !e.zombie {
                guard let m = members[e.identity] else { continue }
                living = true
                if m.fd >= 0 {
                    _ = PidFD.signal(m.fd, SIGKILL)
                } else if e.ppid == me {
                    // Without pidfds: only this process's own unreaped child, whose pid stays its own.
                    _ = kill(e.pid, SIGKILL)
                }
            }
            // Reap the members that are ours (never the plugin, reaped after this; never a stranger that took a
            // dead one's pid: only this process reaps a member, so an unreaped zombie's pid is still its own).
            // Killed ones are reaped on a later round, once they are zombies.
            for e in all where e.ppid == me && e.pid != pid && e.zombie && members[e.identity] != nil {
                var status: Int32 = 0
                _ = waitpid(e.pid, &status, WNOHANG)
            }
            // A killed member whose parent is another member is adopted by this process when that parent
            // dies: go on until none of them is alive or a zombie of a member.
            let pending = all.contains { e in
                members[e.identity] != nil && e.pid != pid && e.zombie && memberByPid[e.ppid] != nil
            }
            if !living && !pending { return }
            if DispatchTime.now().uptimeNanoseconds >= deadline { return }
            usleep(2_000)
        }
    }

    /// Checks that `e`, as the scan saw it, is a member of the run (see the type's overview): through a pidfd
    /// opened first, the process's entry read again (same start time), its membership decided from that
    /// entry, and the process (and the `parent` member it is counted under) still unreaped after the reading.
    private func verify(_ e: ProcEntry, parent: Member?, me: pid_t) -> Member? {
        let fd = PidFD.available ? PidFD.open(e.pid) : -1
        if PidFD.available && fd < 0 { return nil }
        func refuse() -> Member? {
            if fd >= 0 { close(fd) }
            return nil
        }
        guard let now = Self.entry(e.pid), now.identity == e.identity else { return refuse() }
        let belongs: Bool
        if now.session == pid || now.group == pid {
            belongs = true
        } else if let parent, now.ppid == parent.identity.pid {
            // Read while its parent pid was that member's, if the member is unreaped after the reading.
            belongs = parent.unreaped()
        } else {
            belongs = !now.zombie && (now.ppid == me || now.ppid == 1) && Self.carries(token, now.pid)
        }
        guard belongs else { return refuse() }
        let member = Member(identity: now.identity, fd: fd)
        // What was read was the pidfd's process only if it is still unreaped now.
        guard member.unreaped() else { return refuse() }
        return member
    }

    /// The /proc entry of one process, if it exists.
    static func entry(_ pid: pid_t) -> ProcEntry? {
        guard let stat = readSmallFile("/proc/\(pid)/stat") else { return nil }
        return parse(pid: pid, stat: stat)
    }

    /// A /proc/PID/stat line as a ``ProcEntry``.
    static func parse(pid: pid_t, stat: [UInt8]) -> ProcEntry? {
        // The command name is in parentheses and may hold anything: the fields start after the last ')'.
        guard let close = stat.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
        guard fields.count > 19 else { return nil }
        func number(_ i: Int) -> Int64 { Int64(String(decoding: fields[i], as: UTF8.self)) ?? -1 }
        let state = fields[0].first ?? 0
        return ProcEntry(
            pid: pid, ppid: pid_t(truncatingIfNeeded: number(1)), group: pid_t(truncatingIfNeeded: number(2)),
            session: pid_t(truncatingIfNeeded: number(3)), zombie: state == UInt8(ascii: "Z") || state == UInt8(ascii: "X"),
            started: UInt64(max(0, number(19))))
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
            guard let pid = pid_t(name), let stat = readSmallFile("/proc/\(name)/stat"), let e = parse(pid: pid, stat: stat)
            else { continue }
            out.append(e)
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
    static func readSmallFile(_ path: String, limit: Int = 4096) -> [UInt8]? {
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

/// Process file descriptors (pidfds, Linux 5.3): a descriptor that names one process, never a later one that
/// is given its pid. `pidfd_open` and `pidfd_send_signal` are looked up in the C library (glibc 2.36) by name;
/// where they or the kernel's calls are missing, ``available`` is false.
enum PidFD {
    private typealias Open = @convention(c) (pid_t, UInt32) -> Int32
    private typealias SendSignal = @convention(c) (Int32, Int32, UnsafeMutableRawPointer?, UInt32) -> Int32

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let p = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(p, to: type)
    }

    private static let openFunction = symbol("pidfd_open", as: Open.self)
    private static let sendFunction = symbol("pidfd_send_signal", as: SendSignal.self)

    /// Whether pidfds work here (tried once on this process itself, which is never reaped while it runs).
    static let available: Bool = {
        guard let open = openFunction, let send = sendFunction else { return false }
        let fd = open(getpid(), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return send(fd, 0, nil, 0) == 0
    }()

    /// A close-on-exec pidfd for `pid`, or -1 (no such process, or no pidfds).
    static func open(_ pid: pid_t) -> Int32 {
        guard available, let open = openFunction else { return -1 }
        return open(pid, 0)
    }

    /// Sends `signal` (0: only checks that the process is unreaped) to the process of `fd`; true when sent.
    static func signal(_ fd: Int32, _ signal: Int32) -> Bool {
        guard let send = sendFunction else { return false }
        return send(fd, signal, nil, 0) == 0
    }
}
