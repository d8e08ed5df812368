// Measuring a child process: wall time, its own peak resident memory, its exit status.
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One finished child process: wall time, peak resident memory, exit status.
struct Run {
    var seconds: Double
    var maxRSSKilobytes: Int
    var status: Int32
}

/// Runs a command with its standard output sent to `stdout` (standard error discarded); measures wall time
/// and the command's own peak RSS.
///
/// The peak is read from a small middleman, never from this process. Linux keeps a process's peak RSS
/// across `exec`, and a child starts as a copy of its parent's memory (or, under `posix_spawn`'s vfork,
/// shares it), so `ru_maxrss` from `wait4` counts the *parent's* resident memory at the moment it
/// spawned: a benchmark or test process holding 200 MB would report 200 MB for `/bin/true`. So this
/// program starts itself again (`assay-bench --measure-child FILE CMD…`, a fresh process of a few MB) and
/// that copy starts the command, waits for it with `wait4`, and prints `seconds maxrss status`. The figure
/// is then the larger of the command's own peak and the middleman's size (about 8 MB: see BENCHMARKS.md).
func measure(_ argv: [String], stdout: String = "/dev/null") -> Run {
    let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { fail("cannot make a pipe") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addclose(&actions, fds[0])
    posix_spawn_file_actions_addclose(&actions, fds[1])
    defer { posix_spawn_file_actions_destroy(&actions) }
    let cargs = ([me, "--measure-child", stdout] + argv).map { strdup($0) } + [nil]
    defer { cargs.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, me, &actions, nil, cargs, environ) == 0 else { fail("cannot start \(me)") }
    close(fds[1])
    let report = String(decoding: FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile(), as: UTF8.self)
    var status: Int32 = 0
    _ = waitpid(pid, &status, 0)
    let fields = report.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
    guard fields.count == 3, let seconds = Double(fields[0]), let rss = Int(fields[1]), let code = Int32(fields[2]) else {
        fail("the measuring copy of assay-bench reported '\(report)' for \(argv.joined(separator: " "))")
    }
    return Run(seconds: seconds, maxRSSKilobytes: rss, status: code)
}

/// The middleman's side of `measure`: starts `argv` (found on PATH) with standard output to `stdout`,
/// waits, prints `seconds maxrss-kilobytes exit-status` and exits.
func measureChild(stdout: String, argv: [String]) -> Never {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let cargs = argv.map { strdup($0) } + [nil]
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawnp(&pid, argv[0], &actions, nil, cargs, environ) == 0 else { fail("cannot start \(argv[0])") }
    var status: Int32 = 0
    var usage = rusage()
    _ = wait4(pid, &status, 0, &usage)
    let end = DispatchTime.now().uptimeNanoseconds
    let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    print("\(Double(end - start) / 1e9) \(usage.ru_maxrss) \(code)")
    exit(0)
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("assay-bench: \(message)\n".utf8))
    exit(3)
}
