// Workload 4: plugin-scored items (issue 5). 100,000 items through a trivial plugin (Python 3, standard
// library) by `assay score`, one persistent worker per plugin; against the same rubric scored by the built-in
// `value` scorer (the engine's own cost), and against one plugin process per item (a smaller count: start the
// plugin, handshake, one request, shutdown, reap), all in the same run, interleaved.
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The trivial plugin: answers each request with its first item's value. It reads what is available, answers
/// all of it and flushes once (protocol v1 allows it: answers go out as soon as their requests are read).
let trivialPlugin = #"""
    #!/usr/bin/env python3
    # assay-bench's trivial plugin (protocol v1): the score is the first item's value.
    import json, os, sys
    out = sys.stdout.buffer
    buf = b""
    done = False
    while not done:
        chunk = os.read(0, 1 << 16)
        if not chunk:
            break
        buf += chunk
        *lines, buf = buf.split(b"\n")
        answers = []
        for line in lines:
            if not line:
                continue
            m = json.loads(line)
            t = m.get("type")
            if t == "hello":
                answers.append(json.dumps({"type": "hello", "protocol": 1, "name": "trivial", "version": "1", "scorers": ["trivial"]}))
            elif t == "score":
                answers.append(json.dumps({"type": "result", "id": m["id"], "score": m["items"][0]["value"]}))
            else:
                done = True
                break
        if answers:
            out.write(("\n".join(answers) + "\n").encode())
            out.flush()

    """#

let trivialManifest = """
    <?xml version="1.0" encoding="UTF-8"?>
    <plugin xmlns="urn:assay:plugin:1" name="trivial" version="1" protocol="1">
      <run executable="trivial.py"/>
      <scorer id="trivial" summary="The first item's value."/>
    </plugin>

    """

func pluginRubric(scorer: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <program xmlns="urn:assay:rubric:1" id="bench-plugin" version="1" title="Plugin benchmark">
      <post id="p" title="Post"><requirement id="r" title="Requirement"/></post>
      <competition id="k" title="Plugin benchmark competition">
        <node id="total" scorer="sum" max="10">
          <node id="X" kind="measurement" scorer="\(scorer)" max="10"><tests requirement="r"/></node>
        </node>
      </competition>
    </program>

    """
}

/// One plugin process for one item: start, hello, one request, shutdown, read every answer, reap.
/// Returns whether the answer was a result.
func onePluginProcess(_ executable: String, directory: String, value: Int) -> Bool {
    var toChild: [Int32] = [-1, -1]
    var fromChild: [Int32] = [-1, -1]
    guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else { return false }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
    posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
    posix_spawn_file_actions_addclose(&actions, toChild[1])
    posix_spawn_file_actions_addclose(&actions, fromChild[0])
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
    let argv: [UnsafeMutablePointer<CChar>?] = [strdup(executable), nil]
    defer { argv.forEach { free($0) } }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=" + path), nil]
    defer { envp.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    close(toChild[0])
    close(fromChild[1])
    guard rc == 0 else {
        close(toChild[1])
        close(fromChild[0])
        return false
    }
    let request =
        #"{"type":"hello","protocol":1,"engine":"assay"}"# + "\n"
        + #"{"type":"score","id":1,"scorer":"trivial","node":"X","candidate":"C","max":"10","min":"0","params":{},"items":[{"kind":"measure","value":"\#(value)"}],"artifacts":[]}"#
        + "\n" + #"{"type":"shutdown"}"# + "\n"
    let bytes = Array(request.utf8)
    _ = bytes.withUnsafeBytes { write(toChild[1], $0.baseAddress, $0.count) }
    close(toChild[1])
    var answer: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fromChild[0], $0.baseAddress, $0.count) }
        if n <= 0 { break }
        answer += chunk[0..<n]
    }
    close(fromChild[0])
    var status: Int32 = 0
    _ = waitpid(pid, &status, 0)
    return String(decoding: answer, as: UTF8.self).contains(#""type": "result""#)
}

func benchPlugins(options: Options) throws {
    let items = 100_000
    let perProcessItems = 100
    let folder = options.workDirectory + "/plugin-bench"
    let pluginFolder = folder + "/plugins/trivial"
    try FileManager.default.createDirectory(atPath: pluginFolder, withIntermediateDirectories: true)
    let executable = pluginFolder + "/trivial.py"
    try Data(trivialPlugin.utf8).write(to: URL(fileURLWithPath: executable))
    chmod(executable, 0o755)
    try Data(trivialManifest.utf8).write(to: URL(fileURLWithPath: pluginFolder + "/plugin.xml"))
    let pluginRubricPath = folder + "/plugin.xml"
    let builtinRubricPath = folder + "/builtin.xml"
    try Data(pluginRubric(scorer: "plugin:trivial").utf8).write(to: URL(fileURLWithPath: pluginRubricPath))
    try Data(pluginRubric(scorer: "value").utf8).write(to: URL(fileURLWithPath: builtinRubricPath))
    let evidencePath = folder + "/items.csv"
    var csv = "candidate,target,node,judge,value\n"
    csv.reserveCapacity(items * 24)
    for i in 0..<items { csv += "C\(String(format: "%06d", i)),k,X,,\(i % 11)\n" }
    try Data(csv.utf8).write(to: URL(fileURLWithPath: evidencePath))

    var persistent: [Double] = []
    var builtin: [Double] = []
    var perProcess: [Double] = []
    var rss = 0
    let runs = max(3, options.runs / 2)
    for _ in 0..<runs {
        let p = measure([
            options.assay, "score", pluginRubricPath, evidencePath, "--format", "csv", "--plugins", folder + "/plugins",
        ])
        guard p.status == 0 else {
            FileHandle.standardError.write(Data("assay-bench: assay score with the trivial plugin failed (exit \(p.status))\n".utf8))
            exit(3)
        }
        persistent.append(p.seconds)
        rss = max(rss, p.maxRSSKilobytes)
        let b = measure([options.assay, "score", builtinRubricPath, evidencePath, "--format", "csv"])
        guard b.status == 0 else {
            FileHandle.standardError.write(Data("assay-bench: assay score with the built-in scorer failed (exit \(b.status))\n".utf8))
            exit(3)
        }
        builtin.append(b.seconds)
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<perProcessItems {
            guard onePluginProcess(executable, directory: pluginFolder, value: i % 11) else {
                FileHandle.standardError.write(Data("assay-bench: the trivial plugin did not answer\n".utf8))
                exit(3)
            }
        }
        perProcess.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    func rate(_ count: Int, _ seconds: Double) -> String {
        let n = Int((Double(count) / seconds).rounded())
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.locale = Locale(identifier: "en_US")
        return f.string(from: NSNumber(value: n)) ?? "\(n)"
    }
    let pm = median(persistent)
    let bm = median(builtin)
    let qm = median(perProcess)
    print("""
        ## Plugin-scored items: \(items) items through a trivial plugin (Python 3), \(runs) runs each, interleaved

        | how | items | median (s) | min (s) | max (s) | items/s (median) |
        |---|---:|---:|---:|---:|---:|
        | `assay score`, one persistent worker, pipelined | \(items) | \(f3(pm)) | \(f3(persistent.min()!)) | \(f3(persistent.max()!)) | \(rate(items, pm)) |
        | one plugin process per item (spawn, hello, request, shutdown, reap) | \(perProcessItems) | \(f3(qm)) | \(f3(perProcess.min()!)) | \(f3(perProcess.max()!)) | \(rate(perProcessItems, qm)) |
        | `assay score`, built-in `value` scorer (the engine alone) | \(items) | \(f3(bm)) | \(f3(builtin.min()!)) | \(f3(builtin.max()!)) | \(rate(items, bm)) |

        Persistent worker peak RSS (assay): \(mb(rss)) MB. Goal: ≥ 20,000 items/s through the persistent worker.

        """)
}
