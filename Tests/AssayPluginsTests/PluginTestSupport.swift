import AssayEngine
import AssayLoader
import AssayModel
import AssayPlugins
import Foundation
import Testing

/// Fixture files: the drill rubric, the misbehaving test plugins, and the bundled plugins.
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The manifest of a test plugin under Fixtures/plugins.
    static func plugin(_ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PluginManifest {
        let (manifest, diagnostics) = PluginManifestLoader.load(folder.appendingPathComponent("plugins/\(name)/plugin.xml").path)
        #expect(diagnostics.map(\.formatted) == [], sourceLocation: sourceLocation)
        return try #require(manifest, sourceLocation: sourceLocation)
    }

    /// The manifest of a bundled plugin under plugins/.
    static func bundled(_ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PluginManifest {
        let (manifest, diagnostics) = PluginManifestLoader.load(repository.appendingPathComponent("plugins/\(name)/plugin.xml").path)
        #expect(diagnostics.map(\.formatted) == [], sourceLocation: sourceLocation)
        return try #require(manifest, sourceLocation: sourceLocation)
    }

    /// The drill program (aspect A built in, aspect B scored by plugin:echo), loaded with `plugin` installed.
    static func drill(with plugin: PluginManifest, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Program {
        let result = RubricLoader(plugins: [plugin]).load(folder.appendingPathComponent("rubric.xml").path)
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.formatted) == [], sourceLocation: sourceLocation)
        return try #require(result.validProgram, sourceLocation: sourceLocation)
    }

    /// The value of candidate Ci's aspects: i, or with `cycle` 1…10 over and over (within the aspects' max
    /// of 10, for runs of many candidates).
    static func value(_ i: Int, cycle: Bool) -> Int { cycle ? (i - 1) % 10 + 1 : i }

    /// Candidates C1…Cn of the drill: A = v, B = v (the echo plugin answers v), so a complete total is 2v,
    /// where v is ``value(_:cycle:)``.
    static func candidates(_ n: Int, cycle: Bool = false) -> [CandidateEvidence] {
        (1...n).map { i in
            let v = value(i, cycle: cycle)
            return CandidateEvidence(
                id: "C\(i)",
                items: [
                    EvidenceItem(kind: .measure, target: "drill", node: "A", value: "\(v)", origin: ItemOrigin(file: "drill.csv", line: 2 * i)),
                    EvidenceItem(kind: .measure, target: "drill", node: "B", value: "\(v)", origin: ItemOrigin(file: "drill.csv", line: 2 * i + 1)),
                ])
        }
    }

    /// Scores the drill's candidates through `plugin` as the CLI does (prepare the batch, then score one by
    /// one), shuts the host down, and returns each candidate's total or reasons, and the host.
    static func run(_ pluginName: String, candidates n: Int = 6, cycle: Bool = false, prepare: Bool = true) throws -> (
        results: [String: Result], host: PluginHost
    ) {
        let manifest = try plugin(pluginName)
        let program = try drill(with: manifest)
        let host = PluginHost(manifests: [manifest], program: program)
        let engine = Engine(program: program, plugins: host)
        let all = candidates(n, cycle: cycle)
        if prepare { engine.prepare(all) }
        var results: [String: Result] = [:]
        for c in all {
            for o in engine.score(c, tree: false) {
                results[c.id] = o.status.isComplete ? .total(o.value!.text()) : .incomplete(o.status.reasons)
            }
        }
        host.shutdown()
        return (results, host)
    }

    /// One candidate's outcome, comparable.
    enum Result: Equatable, CustomStringConvertible {
        case total(String)
        case incomplete([String])

        var description: String {
            switch self {
            case .total(let t): return "total \(t)"
            case .incomplete(let r): return "incomplete: " + r.joined(separator: " | ")
            }
        }
    }

    /// The expected result of every candidate but those listed: a complete total of 2v (``value(_:cycle:)``).
    static func expected(_ n: Int = 6, cycle: Bool = false, except: [String: [String]]) -> [String: Result] {
        var out: [String: Result] = [:]
        for i in 1...n { out["C\(i)"] = .total("\(2 * value(i, cycle: cycle))") }
        for (k, v) in except { out[k] = .incomplete(v) }
        return out
    }
}

/// Processes still alive (not zombies) whose working directory is `folder` or below it: every process a
/// plugin starts inherits the plugin folder as working directory, so this finds the plugin and anything it
/// started, whatever its process group.
func livingProcesses(under folder: String) -> [String] {
    let root = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
    var found: [String] = []
    let fm = FileManager.default
    for entry in (try? fm.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(entry) != nil {
        guard let cwd = try? fm.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd") else { continue }
        guard cwd == root || cwd.hasPrefix(root + "/") else { continue }
        let stat = (try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8)) ?? ""
        // The state is the first field after the command name in parentheses.
        let state = stat.split(separator: ")").last?.split(separator: " ").first.map(String.init) ?? "?"
        if state == "Z" || state == "X" { continue }
        let cmdline = ((try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(entry)/cmdline"))) ?? Data())
            .split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
        found.append("\(entry) [\(state)] \(cmdline)")
    }
    return found.sorted()
}
