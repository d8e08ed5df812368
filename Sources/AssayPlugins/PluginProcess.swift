import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One started plugin executable: its pid (also its session and process group id), the write end of its
/// stdin and the read ends of its stdout and stderr.
///
/// Started with `posix_spawn`, no shell: in a session and process group of its own (`POSIX_SPAWN_SETSID`, so
/// killing the group takes any child it started too; one that leaves them is found by ``killAll()``), with
/// the plugin folder as working directory, an environment of PATH, the variables the manifest allows and
/// `ASSAY_PLUGIN_RUN` (a token that marks everything it starts), the default signal dispositions and an empty
/// signal mask, and no descriptors but 0, 1 and 2. The first spawn makes Assay a child subreaper.
///
/// The plugin is held by a pidfd from the moment it is spawned, and it stays unreaped (alive or a zombie)
/// until ``killAll()`` has finished: ``waitForExit()`` only observes its exit (`waitid` with `WNOWAIT`). While
/// it is unreaped its pid, and so its process group and session id, cannot be given to any other process.
final class PluginProcess: @unchecked Sendable {
    let pid: pid_t
    /// A pidfd for the plugin (`pidfd_open`, right after the spawn, while it is this process's unreaped
    /// child), or -1 where the kernel has none.
    let leaderFD: Int32
    /// Whether the plugin was observed to exit, whether ``killAll()`` is done, whether it was reaped.
    let leader = LeaderState()
    /// Write end of the plugin's stdin, non-blocking (writes wait in `poll` with a deadline).
    let stdinFD: Int32
    let stdoutFD: Int32
    let stderrFD: Int32
    /// The value of `ASSAY_PLUGIN_RUN` in its environment (and its descendants').
    let token: String

    private init(pid: pid_t, leaderFD: Int32, token: String, stdinFD: Int32, stdoutFD: Int32, stderrFD: Int32) {
        self.pid = pid
        self.leaderFD = leaderFD
        self.token = token
        self.stdinFD = stdinFD
        self.stdoutFD = stdoutFD
        self.stderrFD = stderrFD
    }

    deinit {
        if leaderFD >= 0 { close(leaderFD) }
    }

    /// What is known of the plugin process's end, guarded by its own condition.
    final class LeaderState: @unchecked Sendable {
        let condition = NSCondition()
        /// The wait status, once ``waitForExit()`` saw the exit (the process is then a zombie until reaped).
        var observed: Int32?
        /// ``killAll()`` is done: the plugin may be reaped (by whichever of the two comes last).
        var released = false
        var reaped = false
    }

    /// Assay writes to pipes whose reader may die: a broken pipe must be an error return, not a signal that
    /// ends Assay. Called before the first plugin starts.
    static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Starts `executable` with `arguments` in `directory`. Throws a readable reason when it cannot.
    static func spawn(executable: String, arguments: [String], directory: String, environment: [String: String]) throws
        -> PluginProcess
    {
        _ = ignoreBrokenPipes
        _ = becomeSubreaper
        guard access(executable, X_OK) == 0 else {
            let why = errno == ENOENT ? "does not exist" : "is not executable (\(String(cString: strerror(errno))))"
            throw PluginStartError("the executable \(executable) \(why)")
        }
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        var errors: [Int32] = [-1, -1]
        guard GNU.pipe2(&input, O_CLOEXEC) == 0 else { throw PluginStartError("cannot make a pipe: \(String(cString: strerror(errno)))") }
        guard GNU.pipe2(&output, O_CLOEXEC) == 0 else {
            close(input[0]); close(input[1])
            throw PluginStartError("cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        guard GNU.pipe2(&errors, O_CLOEXEC) == 0 else {
            close(input[0]); close(input[1]); close(output[0]); close(output[1])
            throw PluginStartError("cannot make a pipe: \(String(cString: strerror(errno)))")
        }

        // Assay may run with 0, 1 or 2 closed, and then a pipe end can be one of them: the dup2s below would
        // overwrite one another (or leave one close-on-exec). Every end moves to 3 or above first.
        for i in 0..<2 {
            guard moveAboveStandard(&input[i]), moveAboveStandard(&output[i]), moveAboveStandard(&errors[i]) else {
                for fd in input + output + errors where fd >= 0 { close(fd) }
                throw PluginStartError("cannot make a pipe: \(String(cString: strerror(errno)))")
            }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        guard GNU.addChdir(&actions, directory) == 0 else {
            close(input[0]); close(input[1]); close(output[0]); close(output[1]); close(errors[0]); close(errors[1])
            throw PluginStartError("cannot set the working directory \(directory)")
        }
        _ = GNU.addClosefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 2.26; not shown by Swift's Glibc module): a session and group of its own.
        let setsid: Int32 = 0x80
        posix_spawnattr_setflags(&attributes, Int16(setsid | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let argv = [executable] + arguments
        let token = newToken()
        var environment = environment
        environment[tokenVariable] = token
        let envp = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in
                posix_spawn(&pid, executable, &actions, &attributes, cArgv, cEnvp)
            }
        }
        close(input[0])
        close(output[1])
        close(errors[1])
        guard status == 0 else {
            close(input[1]); close(output[0]); close(errors[0])
            throw PluginStartError("cannot start \(executable): \(String(cString: strerror(status)))")
        }
        let flags = fcntl(input[1], F_GETFL)
        _ = fcntl(input[1], F_SETFL, flags | O_NONBLOCK)
        // The child cannot have been reaped yet (only its waiter reaps it, after killAll), so the pidfd is its.
        let leaderFD = PidFD.open(pid)
        return PluginProcess(pid: pid, leaderFD: leaderFD, token: token, stdinFD: input[1], stdoutFD: output[0], stderrFD: errors[0])
    }

    /// Moves `fd` to a descriptor of 3 or more (close-on-exec) when it is 0, 1 or 2; false when it cannot.
    private static func moveAboveStandard(_ fd: inout Int32) -> Bool {
        guard fd >= 0 && fd < 3 else { return true }
        let moved = fcntl(fd, F_DUPFD_CLOEXEC, 3)
        guard moved >= 3 else { return false }
        close(fd)
        fd = moved
        return true
    }

    /// Kills the plugin and everything it started with SIGKILL: its process group, and what left it
    /// (``killAll()``).
    func killGroup() { killAll() }

    /// Blocks until the plugin exits; returns its wait status. It is reaped only once ``killAll()`` is done (at
    /// once if it already is, else by ``killAll()``): until then it stays a zombie, so that its pid, process
    /// group id and session id cannot be reused while they are being killed.
    func waitForExit() -> Int32 {
        var info = siginfo_t()
        var status: Int32 = 0
        while true {
            if waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == 0 {
                let code = info.si_code
                let value = info._sifields._sigchld.si_status
                status = code == CLD_EXITED ? (value & 0xff) << 8 : (value & 0x7f) | (code == CLD_DUMPED ? 0x80 : 0)
                break
            }
            if errno != EINTR { break }
        }
        leader.condition.lock()
        defer { leader.condition.unlock() }
        leader.observed = status
        if leader.released { reapLeaderLocked() }
        leader.condition.broadcast()
        return status
    }

    /// Reaps the plugin, once (`leader.condition` locked, its exit observed). Never twice: a second `waitpid`
    /// could take the status of a later child of this process that was given the same pid.
    func reapLeaderLocked() {
        guard !leader.reaped, leader.observed != nil else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        leader.reaped = true
    }

    /// What ``write(_:until:)`` says when the plugin closed its input (or exited): the caller then looks at
    /// the exit status to say more.
    static let closedInput = "closed its input"

    /// Writes all of `data` to the plugin's stdin, waiting at most until `deadline` (monotonic nanoseconds)
    /// for room in the pipe. Returns nil when written, else why not.
    func write(_ data: [UInt8], deadline: UInt64) -> String? {
        write(data) { (deadline, "stopped reading its input") }
    }

    /// Writes all of `data` to the plugin's stdin. While the pipe is full it waits, asking `until` (at least
    /// every 100 ms) when to give up and what to say then: the answer may move later while the plugin makes
    /// progress (it answers, so it is reading), or become "now" when the plugin failed otherwise. Returns nil
    /// when written, the reason from `until` when it gave up, or ``closedInput`` when nothing reads the pipe
    /// any more.
    func write(_ data: [UInt8], until: () -> (deadline: UInt64, reason: String)) -> String? {
        var offset = 0
        while offset < data.count {
            let n = data.withUnsafeBytes { raw in
                Glibc.write(stdinFD, raw.baseAddress! + offset, data.count - offset)
            }
            if n > 0 {
                offset += n
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                let now = DispatchTime.now().uptimeNanoseconds
                let (deadline, reason) = until()
                if now >= deadline { return reason }
                var p = pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)
                _ = poll(&p, 1, Int32(min(100, max(1, (deadline - now) / 1_000_000))))
                continue
            }
            return Self.closedInput
        }
        return nil
    }

    /// Describes a wait status: `exited with status 3`, `was killed by signal 11 (SIGSEGV)`.
    static func describe(status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exited with status \((status >> 8) & 0xff)" }
        let names: [Int32: String] = [
            SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGTERM: "SIGTERM", SIGBUS: "SIGBUS",
            SIGFPE: "SIGFPE", SIGILL: "SIGILL", SIGPIPE: "SIGPIPE",
        ]
        return "was killed by signal \(signal)" + (names[signal].map { " (\($0))" } ?? "")
    }
}

/// Why a plugin could not be started.
struct PluginStartError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// glibc functions Swift's Glibc module does not show (they are declared only under _GNU_SOURCE), looked up
/// by name: `pipe2` (descriptors close-on-exec from the start, so no other child inherits them),
/// `posix_spawn_file_actions_addchdir_np` (glibc 2.29) and `posix_spawn_file_actions_addclosefrom_np` (2.34).
private enum GNU {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let p = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(p, to: type)
    }

    static let pipe2Function = symbol("pipe2", as: Pipe2.self)
    static let addChdirFunction = symbol("posix_spawn_file_actions_addchdir_np", as: AddChdir.self)
    static let addClosefromFunction = symbol("posix_spawn_file_actions_addclosefrom_np", as: AddClosefrom.self)

    static func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32 {
        if let f = pipe2Function { return f(fds, flags) }
        guard pipe(fds) == 0 else { return -1 }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return 0
    }

    static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
        guard let f = addChdirFunction else { return -1 }
        return f(actions, path)
    }

    static func addClosefrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32 {
        guard let f = addClosefromFunction else { return -1 }
        return f(actions, from)
    }
}

/// Calls `body` with a NULL-terminated C array of the strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return body(pointers)
}
