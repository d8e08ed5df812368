import AssayLoader
public import AssayModel
import Foundation

/// `assay plugins check` for one plugin: the handshake, then every self-test case of its manifest, each
/// compared exactly with what the manifest expects.
public struct PluginCheck: Sendable {
    /// One self-test case's outcome.
    public struct Case: Sendable, Hashable {
        public var name: String
        public var passed: Bool
        /// What came back, in words (`gave 2`, `refused: …`, `failed: …`), and what was expected if it differs.
        public var detail: String
    }

    public var plugin: String
    public var version: String
    /// nil when the handshake succeeded, else why it did not.
    public var handshakeProblem: String?
    public var cases: [Case]
    /// The plugin's stderr lines and failures during the check.
    public var diagnostics: [String]

    /// True when the handshake and every case passed.
    public var passed: Bool { handshakeProblem == nil && cases.allSatisfy(\.passed) }

    /// Starts the plugin, runs its self-tests and stops it (it and all it started are killed and reaped).
    public static func run(_ manifest: PluginManifest) -> PluginCheck {
        let host = PluginHost(manifests: [manifest])
        defer { host.shutdown() }
        let problem = host.worker(named: manifest.name)?.connect()
        var cases: [Case] = []
        var requests: [(Int, PluginRequest)] = []
        for (i, test) in manifest.selfTests.enumerated() {
            let node = ScoringNode(
                id: "self-test-\(i + 1)", scorer: ScorerReference(parsing: "plugin:" + test.scorer), max: test.max, min: test.min,
                parameters: test.parameters)
            let artifacts = test.artifacts.map {
                Artifact(
                    target: "self-test", node: node.id, path: $0, sha256: nil,
                    origin: ItemOrigin(file: manifest.directory + "/plugin.xml", line: test.origin.element.line))
            }
            let items = test.items.map {
                EvidenceItem(
                    kind: EvidenceItem.Kind(rawValue: $0.kind) ?? .measure, target: "self-test", node: node.id, judge: $0.judge,
                    value: $0.value, origin: ItemOrigin(file: manifest.directory + "/plugin.xml", line: test.origin.element.line))
            }
            switch PluginRequestBuilder.request(
                scorer: test.scorer, node: node, max: Exact(test.max), min: test.min.map(Exact.init), candidate: "self-test",
                items: items, artifacts: artifacts, requireDigest: false)
            {
            case .success(let request): requests.append((i, request))
            case .failure(let p): cases.append(Case(name: test.name, passed: false, detail: p.message))
            }
        }
        let replies = problem == nil ? host.run(requests.map(\.1)) : requests.map { _ in PluginReply.failed(problem!) }
        var byIndex: [Int: Case] = [:]
        for ((i, _), reply) in zip(requests, replies) {
            let test = manifest.selfTests[i]
            byIndex[i] = judge(test, reply)
        }
        var ordered: [Case] = []
        var failedEarly = cases.makeIterator()
        for (i, test) in manifest.selfTests.enumerated() {
            if let c = byIndex[i] { ordered.append(c) } else if let c = failedEarly.next() { ordered.append(c) } else {
                ordered.append(Case(name: test.name, passed: false, detail: "not run"))
            }
        }
        host.shutdown()
        return PluginCheck(
            plugin: manifest.name, version: manifest.version, handshakeProblem: problem, cases: ordered,
            diagnostics: host.diagnostics)
    }

    private static func judge(_ test: PluginManifest.SelfTest, _ reply: PluginReply) -> Case {
        let got: String
        var passed = false
        switch reply {
        case .score(let value, _):
            if let why = PluginScorer.tooPrecise(value) {
                got = "failed: it answered with \(why)"
            } else {
                got = "gave \(value.text(maxDecimals: PluginScorer.maxDecimalPlaces))"
                if case .score(let expected) = test.expect { passed = value == Exact(expected) }
            }
        case .refused(let message):
            got = "refused: \(message)"
            if case .refused = test.expect { passed = true }
        case .failed(let reason):
            got = "failed: \(reason)"
        }
        let wanted: String
        switch test.expect {
        case .score(let v): wanted = "expected \(Exact(v).text(maxDecimals: 9))"
        case .refused: wanted = "expected a refusal"
        }
        return Case(name: test.name, passed: passed, detail: passed ? got : "\(got); \(wanted)")
    }
}
