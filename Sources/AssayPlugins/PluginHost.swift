import AssayEngine
import AssayModel
import Foundation

/// Runs the plugins of one run: one persistent worker per plugin (started at its first request, stopped by
/// ``shutdown()``), and the ``ScorerProvider`` the engine asks for `plugin:ID` nodes.
///
/// Given the program, the host works ahead: ``prepare(_:)`` (called by the engine for each batch of
/// candidates) builds every plugin request of the batch and sends them to the workers several at a time;
/// the scorers then find their answers waiting. Without a program, or for a request that was not prepared,
/// a scorer asks its worker there and then. Either way the outcomes are the same.
public final class PluginHost: ScorerProvider, @unchecked Sendable {
    /// The installed plugins.
    public let manifests: [PluginManifest]
    private let workers: [String: PluginWorker]
    /// Scorer id → plugin name.
    private let owners: [String: String]
    /// Plugin nodes of the program, with the target each belongs to.
    private let pluginNodes: [(target: String, node: ScoringNode)]
    private let lock = NSLock()
    private var prepared: [String: PluginReply] = [:]
    private var stopped = false

    /// A host for `manifests`. `program` lets ``prepare(_:)`` work ahead; `window` is how many requests may
    /// be in flight to one plugin at once.
    public init(manifests: [PluginManifest], program: Program? = nil, window: Int = 256) {
        self.manifests = manifests
        var workers: [String: PluginWorker] = [:]
        var owners: [String: String] = [:]
        for m in manifests where workers[m.name] == nil {
            workers[m.name] = PluginWorker(manifest: m, window: window)
            for s in m.scorers where owners[s.id] == nil { owners[s.id] = m.name }
        }
        self.workers = workers
        self.owners = owners
        var nodes: [(String, ScoringNode)] = []
        if let program {
            func walk(_ target: String, _ n: ScoringNode) {
                if n.scorer.isPlugin && n.children.isEmpty { nodes.append((target, n)) }
                for c in n.children { walk(target, c) }
            }
            for c in program.courses { walk(c.id, c.assessment) }
            for c in program.competitions { walk(c.id, c.root) }
        }
        self.pluginNodes = nodes
    }

    deinit { shutdown() }

    // MARK: - ScorerProvider

    public func scorer(for node: ScoringNode) -> (any Scorer)? {
        guard node.scorer.isPlugin, let plugin = owners[node.scorer.name] else { return nil }
        return PluginScorer(host: self, plugin: plugin, scorerID: node.scorer.name, node: node)
    }

    public func prepare(_ candidates: [CandidateEvidence]) {
        guard !pluginNodes.isEmpty else { return }
        var byPlugin: [String: [(key: String, request: PluginRequest)]] = [:]
        for candidate in candidates {
            let targets = candidate.targets
            for (target, node) in pluginNodes where targets.contains(target) {
                guard let plugin = owners[node.scorer.name] else { continue }
                let source = node.parameter("source")?.trimmingCharacters(in: .whitespaces) ?? node.id
                let items = candidate.items.filter { $0.target == target && $0.node == source }
                let artifacts = candidate.artifacts.filter { $0.target == target && $0.node == source }
                if items.isEmpty && artifacts.isEmpty { continue }
                guard
                    case .success(let request) = PluginRequestBuilder.request(
                        scorer: node.scorer.name, node: node, max: Exact(node.max), min: node.min.map(Exact.init),
                        candidate: candidate.id, items: items, artifacts: artifacts)
                else { continue }
                byPlugin[plugin, default: []].append((request.body, request))
            }
        }
        var answers: [String: PluginReply] = [:]
        for plugin in byPlugin.keys.sorted() {
            let list = byPlugin[plugin]!
            let replies = workers[plugin]!.run(list.map(\.request))
            for (entry, reply) in zip(list, replies) { answers[entry.key] = reply }
        }
        lock.lock()
        prepared = answers
        lock.unlock()
    }

    // MARK: - Asking

    /// The answer to one request: prepared, or asked now.
    public func reply(to request: PluginRequest) -> PluginReply {
        let key = request.body
        lock.lock()
        let ready = prepared.removeValue(forKey: key)
        lock.unlock()
        if let ready { return ready }
        return run([request])[0]
    }

    /// Answers requests (grouped by plugin, each plugin's in order, several in flight).
    public func run(_ requests: [PluginRequest]) -> [PluginReply] {
        var results = [PluginReply?](repeating: nil, count: requests.count)
        var groups: [String: [Int]] = [:]
        for (i, r) in requests.enumerated() {
            if let plugin = owners[r.scorer] {
                groups[plugin, default: []].append(i)
            } else {
                results[i] = .failed("no installed plugin offers the scorer '\(r.scorer)'")
            }
        }
        for plugin in groups.keys.sorted() {
            let indices = groups[plugin]!
            let replies = workers[plugin]!.run(indices.map { requests[$0] })
            for (i, reply) in zip(indices, replies) { results[i] = reply }
        }
        return results.map { $0! }
    }

    /// The worker of a plugin (tests and `assay plugins check` look at its process).
    func worker(named name: String) -> PluginWorker? { workers[name] }

    /// What the plugins said on stderr and how they failed, plugin by plugin (sorted by name), in order.
    public var diagnostics: [String] {
        workers.keys.sorted().flatMap { workers[$0]!.diagnostics }
    }

    /// Stops every worker: a shutdown message, then the process group is killed and reaped whatever the
    /// plugin did, so nothing it started outlives the run. Further requests fail. Idempotent.
    public func shutdown() {
        lock.lock()
        let already = stopped
        stopped = true
        lock.unlock()
        if already { return }
        for name in workers.keys.sorted() { workers[name]!.shutdown() }
    }
}
