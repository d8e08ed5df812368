import AssayModel
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One plugin's persistent worker: started once, kept alive for the run, fed requests several at a time.
///
/// Rules it enforces (plugins/PROTOCOL.md):
/// - **Handshake**: the plugin must answer Assay's hello with its own, for protocol 1, offering every scorer
///   its manifest lists, within the manifest's timeout.
/// - **Deadline**: while requests are outstanding, the plugin must answer the oldest of them within the
///   timeout, counted from when it was sent or the previous answer came, whichever is later (with several
///   requests in flight each still gets the whole timeout once it is the plugin's turn).
/// - **Limits**: a line longer than the manifest's maximum response size, a line that is not a protocol
///   message, an answer to a request that was not sent or was answered, an exit or a closed output is a
///   failure.
/// - **On failure** the plugin and all it started are killed and reaped; the oldest outstanding request is
///   answered `failed(reason)` (except after a second answer to a request, which keeps its first answer and
///   blames none), the other outstanding ones are sent again to a restarted worker; after the manifest's
///   number of restarts every remaining request fails with the reason. A wrong protocol version or a
///   missing scorer is never retried.
///
/// Anything the plugin writes to stderr is kept (bounded) for ``diagnostics``, never read as an answer.
final class PluginWorker: @unchecked Sendable {
    let manifest: PluginManifest
    /// Requests in flight at most.
    let window: Int

    private let callLock = NSLock()
    private let condition = NSCondition()
    // Everything below is guarded by `condition`.
    private var process: PluginProcess?
    private var stdinOpen = false
    private var generation = 0
    private var handshake: Handshake = .waiting
    private var replies: [Int: PluginReply] = [:]
    private var outstanding = Set<Int>()
    private var lastProgress: UInt64 = 0
    private var streamFailure: String?
    /// The stream failure is not the oldest outstanding request's doing (a second answer to a request that
    /// was answered): the requests in flight are all sent again, none is failed for it.
    private var blameless = false
    /// The first id sent to the running process: an answer with a lower id, or one not yet sent, was never
    /// asked of this process.
    private var firstID = 1
    /// Who each recent request was for (`candidate C3, node B`), by id modulo the capacity, so that a second
    /// answer can be reported with the candidate and node it repeats.
    private var labels: [(id: Int, candidate: String, node: String)] = []
    private static let labelCapacity = 4096
    private var exitStatus: Int32?
    private var outputClosed = false
    private var errorsClosed = false
    private var stderrTail: String?
    private var nextID = 1
    private var restarts = 0
    private var gaveUp: String?
    private var log: [String] = []
    private var stderrLines = 0
    private var startedCount = 0
    private var sentCount = 0

    private enum Handshake {
        case waiting
        case done
        case failed(String, permanent: Bool)
    }

    init(manifest: PluginManifest, window: Int = 1024) {
        self.manifest = manifest
        self.window = max(1, window)
    }

    private var timeoutNanoseconds: UInt64 { UInt64(max(1, manifest.timeoutMilliseconds)) * 1_000_000 }
    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// What happened that a person should know: the plugin's stderr lines, failures and restarts, in order.
    var diagnostics: [String] {
        condition.lock()
        defer { condition.unlock() }
        return log
    }

    /// How many times a process was started (1 for a run without failures).
    var starts: Int {
        condition.lock()
        defer { condition.unlock() }
        return startedCount
    }

    /// How many score requests were written to the plugin (resent ones count again).
    var requestsSent: Int {
        condition.lock()
        defer { condition.unlock() }
        return sentCount
    }

    /// The pid of the running worker (its process group id), if one runs.
    var pid: pid_t? {
        condition.lock()
        defer { condition.unlock() }
        return process?.pid
    }

    /// Starts the worker if it is not running and completes the handshake; nil when it is ready, else why
    /// not (the failure counts like any other: the worker is restarted later, or given up).
    func connect() -> String? {
        callLock.lock()
        defer { callLock.unlock() }
        condition.lock()
        defer { condition.unlock() }
        if let reason = gaveUp { return reason }
        if process != nil { return nil }
        guard let (reason, permanent) = startLocked() else { return nil }
        let full = abandon(reason)
        fail(full, permanent: permanent)
        return full
    }

    /// Answers every request, in order. Never throws and never loses a request: each gets a score, a
    /// refusal or a failure with its reason.
    func run(_ requests: [PluginRequest]) -> [PluginReply] {
        callLock.lock()
        defer { callLock.unlock() }
        var results = [PluginReply?](repeating: nil, count: requests.count)
        var remaining = requests.count
        var pending = Array(0..<requests.count)
        var head = 0
        var indexOf: [Int: Int] = [:]
        indexOf.reserveCapacity(min(requests.count, window))

        func collect() {
            if replies.isEmpty { return }
            for (id, reply) in replies {
                if let index = indexOf.removeValue(forKey: id) {
                    results[index] = reply
                    remaining -= 1
                }
            }
            replies.removeAll(keepingCapacity: true)
        }

        condition.lock()
        defer { condition.unlock() }
        while remaining > 0 {
            if let reason = gaveUp {
                for i in results.indices where results[i] == nil { results[i] = .failed(reason) }
                break
            }
            if process == nil {
                if let (reason, permanent) = startLocked() {
                    fail(abandon(reason), permanent: permanent)
                    continue
                }
            }
            collect()
            if remaining == 0 { break }
            if let failure = currentFailure() {
                // Answers that came before the failure still count.
                let (reason, culprit) = stop(failure)
                collect()
                if let culprit, let index = indexOf.removeValue(forKey: culprit) {
                    results[index] = .failed(reason)
                    remaining -= 1
                }
                // The other requests in flight were not the plugin's trouble: send them again.
                let again = indexOf.values.sorted()
                indexOf.removeAll()
                pending = again + pending[head...]
                head = 0
                fail(reason, permanent: false)
                continue
            }
            if head < pending.count && outstanding.count < window {
                let count = min(window - outstanding.count, pending.count - head)
                var bytes: [UInt8] = []
                for index in pending[head..<(head + count)] {
                    let id = nextID
                    nextID += 1
                    indexOf[id] = index
                    outstanding.insert(id)
                    remember(id, requests[index])
                    bytes += requests[index].line(id: id).utf8
                }
                head += count
                sentCount += count
                let start = Self.now()
                if outstanding.count == count { lastProgress = start }
                guard let p = process else { continue }
                let g = generation
                condition.unlock()
                // While the pipe is full the plugin is still held to the deadline of the oldest request in
                // flight, counted from its sending or the last answer: a plugin that keeps answering keeps
                // reading, however long the whole batch takes to go in. A failure seen meanwhile (an exit, a
                // bad line) stops the writing at once.
                let problem = p.write(bytes) { [self] in
                    condition.lock()
                    defer { condition.unlock() }
                    if g != generation || streamFailure != nil || exitStatus != nil { return (0, "") }
                    return (lastProgress + timeoutNanoseconds, "did not answer within \(manifest.timeoutMilliseconds) ms")
                }
                condition.lock()
                if let problem, g == generation, streamFailure == nil, exitStatus == nil {
                    streamFailure = problem
                }
                continue
            }
            if outstanding.isEmpty { continue }
            let deadline = lastProgress + timeoutNanoseconds
            let now = Self.now()
            if now >= deadline {
                streamFailure = "did not answer within \(manifest.timeoutMilliseconds) ms"
                continue
            }
            _ = condition.wait(until: Date(timeIntervalSinceNow: Double(deadline - now) / 1e9))
        }
        return results.map { $0 ?? .failed("no answer") }
    }

    /// Sends the shutdown message, gives the plugin its timeout (at least a second) to exit, then kills it and
    /// everything it started (``PluginProcess/killAll()``) whatever happened, so nothing it started outlives
    /// the run. Idempotent.
    func shutdown() {
        callLock.lock()
        defer { callLock.unlock() }
        condition.lock()
        defer { condition.unlock() }
        gaveUp = gaveUp ?? "the plugin host was shut down"
        guard let p = process else { return }
        let g = generation
        if stdinOpen {
            condition.unlock()
            _ = p.write(Array(PluginProtocol.shutdownLine.utf8), deadline: Self.now() + 200_000_000)
            condition.lock()
            if g == generation { closeInput(p) }
        }
        let deadline = Self.now() + max(timeoutNanoseconds, 1_000_000_000)
        while exitStatus == nil && Self.now() < deadline {
            _ = condition.wait(until: Date(timeIntervalSinceNow: Double(deadline - Self.now()) / 1e9))
        }
        if exitStatus == nil {
            log.append("plugin \(manifest.name) did not exit within \(max(manifest.timeoutMilliseconds, 1000)) ms of the shutdown message; killed")
        } else if let status = exitStatus, status != 0 {
            log.append("plugin \(manifest.name) \(PluginProcess.describe(status: status)) after the shutdown message")
        }
        p.killGroup()
        awaitEnd()
        process = nil
    }

    // MARK: - Starting, failing, stopping (called with `condition` locked)

    /// Starts a process and completes the handshake; returns why not, and whether retrying is pointless.
    private func startLocked() -> (String, Bool)? {
        generation += 1
        let g = generation
        handshake = .waiting
        replies.removeAll()
        outstanding.removeAll()
        streamFailure = nil
        blameless = false
        firstID = nextID
        exitStatus = nil
        outputClosed = false
        errorsClosed = false
        stderrTail = nil
        var environment: [String: String] = [:]
        let own = ProcessInfo.processInfo.environment
        environment["PATH"] = own["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in manifest.environment { if let v = own[name] { environment[name] = v } }
        let p: PluginProcess
        do {
            // Absolute paths: the executable is found after the change to the plugin folder.
            p = try PluginProcess.spawn(
                executable: URL(fileURLWithPath: manifest.executablePath).standardizedFileURL.path, arguments: manifest.arguments,
                directory: URL(fileURLWithPath: manifest.directory).standardizedFileURL.path, environment: environment)
        } catch let error as PluginStartError {
            return (error.reason, true)
        } catch {
            return ("cannot start: \(error)", true)
        }
        startedCount += 1
        process = p
        stdinOpen = true
        let maxBytes = manifest.maxResponseBytes
        let t1 = Thread { [self] in readOutput(p.stdoutFD, generation: g, maxBytes: maxBytes) }
        let t2 = Thread { [self] in readErrors(p.stderrFD, generation: g) }
        let t3 = Thread { [self] in
            let status = p.waitForExit()
            condition.lock()
            if g == generation { exitStatus = status }
            condition.broadcast()
            condition.unlock()
        }
        for t in [t1, t2, t3] {
            t.stackSize = 1 << 20
            t.start()
        }
        let start = Self.now()
        condition.unlock()
        let startTimeout = UInt64(max(1, manifest.startTimeoutMilliseconds)) * 1_000_000
        let problem = p.write(Array(PluginProtocol.helloLine.utf8), deadline: start + startTimeout)
        condition.lock()
        if let problem {
            // A plugin that died before reading the hello is described by how it ended.
            let status = problem == PluginProcess.closedInput ? waitForExitStatus() : nil
            return ((status.map(PluginProcess.describe(status:)) ?? problem) + " before the handshake", false)
        }
        let deadline = start + startTimeout
        while true {
            if case .done = handshake { return nil }
            if case .failed(let reason, let permanent) = handshake { return (reason, permanent) }
            if let failure = streamFailure, failure != Self.closedOutput {
                return ("\(failure) instead of the handshake", false)
            }
            if streamFailure != nil || exitStatus != nil {
                let status = waitForExitStatus()
                return ((status.map(PluginProcess.describe(status:)) ?? "closed its output") + " before the handshake", false)
            }
            let now = Self.now()
            if now >= deadline { return ("did not answer the handshake within \(manifest.startTimeoutMilliseconds) ms", false) }
            _ = condition.wait(until: Date(timeIntervalSinceNow: Double(deadline - now) / 1e9))
        }
    }

    private static let closedOutput = "closed its output"

    /// The failure to act on now, if any: a broken stream, or the process exited.
    private func currentFailure() -> String? {
        if let f = streamFailure { return f }
        if exitStatus != nil { return Self.closedOutput }
        return nil
    }

    /// Kills and reaps the worker after `failure`; returns the reason in full and the request to blame (the
    /// oldest outstanding one).
    private func stop(_ failure: String) -> (String, Int?) {
        var reason = failure
        if failure == Self.closedOutput || failure == PluginProcess.closedInput {
            // A closed pipe usually means the plugin ended: say how, whichever pipe noticed first.
            reason = waitForExitStatus().map(PluginProcess.describe(status:)) ?? failure
        }
        process?.killGroup()
        awaitEnd()
        // Only now has every answer the plugin wrote before it failed been read: blame the oldest unanswered,
        // unless the failure was no request's doing.
        let culprit = blameless ? nil : outstanding.min()
        blameless = false
        if let tail = stderrTail { reason += " (stderr: \(tail))" }
        process = nil
        outstanding.removeAll()
        return (reason, culprit)
    }

    /// Kills and reaps a worker that failed to start properly; the reason with its last stderr line.
    private func abandon(_ reason: String) -> String {
        guard let p = process else { return reason }
        p.killGroup()
        awaitEnd()
        process = nil
        return reason + (stderrTail.map { " (stderr: \($0))" } ?? "")
    }

    /// Counts a failure: logs it, and either allows a restart or gives up.
    private func fail(_ reason: String, permanent: Bool) {
        if process != nil {
            process?.killGroup()
            awaitEnd()
            process = nil
        }
        if permanent || restarts >= manifest.maxRestarts {
            let why = permanent ? reason : reason + (manifest.maxRestarts == 0 ? " (restarts are off)" : " (gave up after \(restarts) restart\(restarts == 1 ? "" : "s"))")
            log.append("plugin \(manifest.name) failed: \(why)")
            gaveUp = why
        } else {
            restarts += 1
            log.append("plugin \(manifest.name) failed: \(reason); restarting (\(restarts) of \(manifest.maxRestarts))")
        }
    }

    /// Waits up to the timeout for the process to exit by itself; its status, if it did.
    private func waitForExitStatus() -> Int32? {
        let deadline = Self.now() + timeoutNanoseconds
        while exitStatus == nil && Self.now() < deadline {
            _ = condition.wait(until: Date(timeIntervalSinceNow: Double(deadline - Self.now()) / 1e9))
        }
        return exitStatus
    }

    /// After the group was killed: waits until the worker is reaped and both output readers saw the end
    /// (at most 5 s: a process that left the group could hold a pipe open), and closes the input.
    private func awaitEnd() {
        let deadline = Self.now() + 5_000_000_000
        while (exitStatus == nil || !outputClosed || !errorsClosed) && Self.now() < deadline {
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.05))
        }
        if let p = process { closeInput(p) }
    }

    private func closeInput(_ p: PluginProcess) {
        if stdinOpen {
            close(p.stdinFD)
            stdinOpen = false
        }
    }

    /// Notes who request `id` is for (`condition` locked).
    private func remember(_ id: Int, _ request: PluginRequest) {
        if labels.isEmpty { labels = Array(repeating: (id: 0, candidate: "", node: ""), count: Self.labelCapacity) }
        labels[id % Self.labelCapacity] = (id: id, candidate: request.candidate, node: request.node)
    }

    /// ` (candidate C3, node B)` for a recent request id, else nothing (`condition` locked).
    private func label(_ id: Int) -> String {
        let slot = id % Self.labelCapacity
        guard id > 0, slot < labels.count, labels[slot].id == id else { return "" }
        return " (candidate \(labels[slot].candidate), node \(labels[slot].node))"
    }

    // MARK: - Reader threads

    private func readOutput(_ fd: Int32, generation g: Int, maxBytes: Int) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var failure: String?
        var parsed: [Message] = []
        var scanFrom = 0
        reading: while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                failure = Self.closedOutput
                break
            }
            buffer.append(contentsOf: chunk[0..<n])
            var start = 0
            // Each byte is looked at once: the search resumes where the last one stopped.
            while let newline = Self.newline(in: buffer, from: scanFrom) {
                scanFrom = newline + 1
                if newline - start > maxBytes {
                    failure = "sent a response longer than the limit of \(maxBytes) bytes"
                    break reading
                }
                let message = Self.parse(buffer[start..<newline])
                start = newline + 1
                if case .bad(let why) = message {
                    failure = why
                    break
                }
                parsed.append(message)
            }
            if scanFrom < buffer.count { scanFrom = buffer.count }
            buffer.removeFirst(start)
            scanFrom -= start
            if failure == nil && buffer.count > maxBytes {
                failure = "sent a response longer than the limit of \(maxBytes) bytes"
            }
            condition.lock()
            var wake = true
            if g == generation {
                deliver(parsed)
                if let failure, streamFailure == nil { streamFailure = failure }
                // Wake the caller when it can act: everything answered, room for more requests, a failure,
                // or the handshake. (It also wakes by itself at the deadline, so none is missed.)
                if case .done = handshake, streamFailure == nil {
                    wake = outstanding.isEmpty || outstanding.count <= window / 2
                }
            }
            if wake { condition.broadcast() }
            condition.unlock()
            parsed.removeAll(keepingCapacity: true)
            if failure != nil { break }
        }
        if failure != Self.closedOutput {
            // The caller kills the plugin now. Until then its output is read and dropped: closing the pipe
            // would make its next write fail, and the error it prints would pass for the cause of the failure.
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
            }
        }
        close(fd)
        condition.lock()
        if g == generation {
            deliver(parsed)
            if let failure, streamFailure == nil { streamFailure = failure }
            outputClosed = true
        }
        condition.broadcast()
        condition.unlock()
    }

    /// The index of the first newline in `buffer` at or after `from`.
    private static func newline(in buffer: [UInt8], from: Int) -> Int? {
        guard from < buffer.count else { return nil }
        return buffer.withUnsafeBytes { raw -> Int? in
            guard let p = memchr(raw.baseAddress! + from, 10, raw.count - from) else { return nil }
            return raw.baseAddress!.distance(to: UnsafeRawPointer(p))
        }
    }

    /// Hands parsed messages to the waiting caller (`condition` locked).
    private func deliver(_ messages: [Message]) {
        for m in messages {
            switch m {
            case .hello(let version, let scorers):
                guard case .waiting = handshake else {
                    if streamFailure == nil { streamFailure = "sent a second hello" }
                    return
                }
                if version != PluginProtocol.version {
                    handshake = .failed(
                        "speaks protocol \(version), but this Assay speaks protocol \(PluginProtocol.version); install a release of the plugin for protocol \(PluginProtocol.version)",
                        permanent: true)
                } else if let missing = manifest.scorers.map(\.id).first(where: { !scorers.contains($0) }) {
                    handshake = .failed(
                        "offers the scorers \(scorers.joined(separator: ", ")) in its hello, but not '\(missing)', which its manifest lists",
                        permanent: true)
                } else {
                    handshake = .done
                }
            case .reply(let id, let reply):
                guard case .done = handshake else {
                    if streamFailure == nil { streamFailure = "answered before the handshake" }
                    return
                }
                guard outstanding.remove(id) != nil else {
                    guard streamFailure == nil else { return }
                    if id >= firstID && id < nextID {
                        // A second answer: the first stands (it was the answer to the request, and may already
                        // be counted); no other request is to blame, and none takes this answer.
                        streamFailure = "answered request \(id)\(label(id)) twice; the first answer stands"
                        blameless = true
                    } else {
                        streamFailure = "answered request \(id), which it was not sent"
                    }
                    return
                }
                replies[id] = reply
                lastProgress = Self.now()
            case .bad:
                return
            }
        }
    }

    private func readErrors(_ fd: Int32, generation g: Int) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            if buffer.count < 65536 { buffer.append(contentsOf: chunk[0..<n]) }
            var lines: [String] = []
            while let newline = buffer.firstIndex(of: 10) {
                lines.append(String(decoding: buffer[..<newline], as: UTF8.self))
                buffer.removeFirst(newline + 1)
            }
            if buffer.count >= 65536 {
                lines.append(String(decoding: buffer, as: UTF8.self))
                buffer.removeAll()
            }
            if !lines.isEmpty { record(stderr: lines, generation: g) }
        }
        if !buffer.isEmpty { record(stderr: [String(decoding: buffer, as: UTF8.self)], generation: g) }
        close(fd)
        condition.lock()
        if g == generation { errorsClosed = true }
        condition.broadcast()
        condition.unlock()
    }

    private func record(stderr lines: [String], generation g: Int) {
        condition.lock()
        defer { condition.unlock() }
        for raw in lines {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let short = line.count > 300 ? String(line.prefix(300)) + "…" : line
            if g == generation { stderrTail = short }
            stderrLines += 1
            if stderrLines <= 100 {
                log.append("plugin \(manifest.name) (stderr): \(short)")
            } else if stderrLines == 101 {
                log.append("plugin \(manifest.name) (stderr): … further lines left out")
            }
        }
    }

    // MARK: - Messages

    enum Message {
        case hello(version: Int, scorers: [String])
        case reply(id: Int, PluginReply)
        case bad(String)
    }

    /// Reads one line from the plugin.
    static func parse(_ line: ArraySlice<UInt8>) -> Message {
        if let fields = PluginMessageReader.object(line) { return message(fields, line) }
        return parseWithFoundation(line)
    }

    /// The message in a flat object read by ``PluginMessageReader``.
    private static func message(_ fields: [String: PluginMessageReader.Value], _ line: ArraySlice<UInt8>) -> Message {
        guard case .string(let type) = fields["type"] else { return parseWithFoundation(line) }
        func integer(_ key: String) -> Int? {
            if case .number(let n) = fields[key] { return Self.integer(n) }
            return nil
        }
        switch type {
        case "hello":
            guard let version = integer("protocol") else { return parseWithFoundation(line) }
            var scorers: [String] = []
            if case .strings(let list) = fields["scorers"] { scorers = list }
            return .hello(version: version, scorers: scorers)
        case "result", "error":
            guard let id = integer("id") else { return parseWithFoundation(line) }
            if type == "error" {
                var message = ""
                if case .string(let m) = fields["message"] { message = m }
                return .reply(id: id, .refused(message.isEmpty ? "the plugin refused the input without saying why" : message))
            }
            var text: String?
            switch fields["score"] {
            case .string(let s): text = s
            case .number(let n): text = n
            default: text = nil
            }
            guard let text, let score = Exact(plainText: text) else { return .reply(id: id, .failed(unreadableScore(text))) }
            var explanation = ""
            if case .string(let e) = fields["explanation"] { explanation = e }
            return .reply(id: id, .score(score, explanation: explanation))
        default:
            return parseWithFoundation(line)
        }
    }

    /// Why a score that ``Exact/init(plainText:)`` cannot read was refused: not a decimal number at all, or one
    /// with more digits than an exact score holds (never shortened to fit).
    static func unreadableScore(_ text: String?) -> String {
        guard let text else { return "answered with the score nothing, which is not a decimal number" }
        let body = text.drop { $0 == "+" || $0 == "-" }
        let digits = body.filter { $0 != "." }
        if !digits.isEmpty, body.filter({ $0 == "." }).count <= 1, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return "answered with the score \(text), which has more digits than Assay holds exactly (18); Assay takes a plugin's "
                + "score as written and shows at most \(PluginScorer.maxDecimalPlaces) decimal places: round it in the plugin and "
                + "write it as a string"
        }
        return "answered with the score '\(text)', which is not a decimal number"
    }

    /// `text` as an integer if it is written as one in JSON (an optional minus and digits; no fraction or
    /// exponent).
    static func integer(_ text: String) -> Int? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }

    /// The member `key` of the object on `line` (valid JSON) as written, when it is a number: the text of the
    /// last such member at the top level, or nil.
    static func rawNumber(_ key: String, in line: ArraySlice<UInt8>) -> String? {
        let bytes = Array(line)
        let wanted = Array(("\"" + key + "\"").utf8)
        var depth = 0
        var found: String?
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x22 {  // a string: skip it, and see whether it is the key at the top level
                let start = i
                i += 1
                while i < bytes.count && bytes[i] != 0x22 { i += bytes[i] == 0x5C ? 2 : 1 }
                i += 1
                guard depth == 1, Array(bytes[start..<min(i, bytes.count)]) == wanted else { continue }
                var j = i
                while j < bytes.count && (bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0D || bytes[j] == 0x0A) { j += 1 }
                guard j < bytes.count, bytes[j] == 0x3A else { continue }  // not a key
                j += 1
                while j < bytes.count && (bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0D || bytes[j] == 0x0A) { j += 1 }
                let valueStart = j
                while j < bytes.count, bytes[j] == 0x2D || bytes[j] == 0x2B || bytes[j] == 0x2E || bytes[j] == 0x65 || bytes[j] == 0x45
                    || (bytes[j] >= 0x30 && bytes[j] <= 0x39)
                {
                    j += 1
                }
                found = j > valueStart ? String(decoding: bytes[valueStart..<j], as: UTF8.self) : nil
                i = j
                continue
            }
            if c == 0x7B || c == 0x5B { depth += 1 } else if c == 0x7D || c == 0x5D { depth -= 1 }
            i += 1
        }
        return found
    }

    /// Reads one line with JSONSerialization (any JSON), numbers as written.
    static func parseWithFoundation(_ line: ArraySlice<UInt8>) -> Message {
        func bad() -> Message {
            let text = String(decoding: line.prefix(60), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return .bad("sent a line that is not a protocol \(PluginProtocol.version) message: '\(text)\(line.count > 60 ? "…" : "")'")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
            let type = object["type"] as? String
        else { return bad() }
        // Numbers are taken as written on the line, as the fast reader takes them: Foundation's reading of
        // them would turn `2.9` into the id 2 and `1e2` or `true` into a score.
        func integer(_ key: String) -> Int? {
            guard object[key] is NSNumber, let raw = rawNumber(key, in: line) else { return nil }
            return Self.integer(raw)
        }
        switch type {
        case "hello":
            guard let version = integer("protocol") else { return bad() }
            return .hello(version: version, scorers: object["scorers"] as? [String] ?? [])
        case "result", "error":
            guard let id = integer("id") else { return bad() }
            if type == "error" {
                let message = object["message"] as? String ?? ""
                return .reply(id: id, .refused(message.isEmpty ? "the plugin refused the input without saying why" : message))
            }
            let text: String?
            if let s = object["score"] as? String {
                text = s
            } else if object["score"] is NSNumber {
                text = rawNumber("score", in: line)
            } else {
                text = nil
            }
            guard let text, let score = Exact(plainText: text) else { return .reply(id: id, .failed(unreadableScore(text))) }
            return .reply(id: id, .score(score, explanation: object["explanation"] as? String ?? ""))
        default:
            return bad()
        }
    }
}
