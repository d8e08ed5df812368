public import AssayEngine
public import AssayModel
import Foundation

/// Runs the plugins of one run: one persistent worker per plugin (started at its first request, stopped by
/// ``shutdown()``), and the ``ScorerProvider`` the engine asks for `plugin:ID` nodes.
///
/// Given the program, the host works ahead: ``prepare(_:)`` (called by the engine for each batch of
/// candidates, possibly on another thread and batches ahead) builds every plugin request of the batch and
/// sends them to the workers several at a time; the scorers then find their answers waiting. Without a program, or for a request that was not prepared,
/// a scorer asks its worker there and then. Either way the outcomes are the same.
public final class PluginHost: ScorerProvider, @unchecked Sendable {
    /// The installed plugins.
    public let manifests: [PluginManifest]
    private let workers: [String: PluginWorker]
    /// Scorer id → plugin name.
    private let owners: [String: String]
    /// Plugin nodes of the program, with what a request for each needs.
    private let pluginNodes: [PluginNode]

    /// A `plugin:ID` node of the program, ready to make requests for.
    private struct PluginNode {
        let target: String
        let node: ScoringNode
        let plugin: String
        /// Where its evidence is recorded (its `source` parameter, else its own id), as the engine reads it.
        let source: String
        let max: Exact
        let min: Exact?
    }
    // Guarded by `feed`: prepared answers, requests on their way, the feeder's queue.
    private let feed = NSCondition()
    private var prepared: [PreparedKey: PluginReply] = [:]
    private var inFlight = Set<PreparedKey>()
    private var queue: [[String: [(key: PreparedKey, request: PluginRequest)]]] = []

    /// What identifies a prepared answer: the candidate, the node and the very evidence items and artifacts
    /// the request was made from (items carry their target and their file and line, so two targets never
    /// share a key). Cheaper to hash than the request line, and the scorer needs no request to look it up.
    struct PreparedKey: Hashable, Sendable {
        let candidate: String
        let node: String
        let items: [EvidenceItem]
        let artifacts: [Artifact]
    }
    private var feederStarted = false
    private var feederDone = false
    private var stopped = false
    private var shuttingDown = false

    /// A host for `manifests`. `program` lets ``prepare(_:)`` work ahead, for the targets in `only` (all when
    /// nil: pass the one a command scores, so that no request goes out for outcomes nobody asked for);
    /// `window` is how many requests may be in flight to one plugin at once.
    public init(manifests: [PluginManifest], program: Program? = nil, only: Set<String>? = nil, window: Int = 1024) {
        self.manifests = manifests
        var workers: [String: PluginWorker] = [:]
        var owners: [String: String] = [:]
        for m in manifests where workers[m.name] == nil {
            workers[m.name] = PluginWorker(manifest: m, window: window)
            for s in m.scorers where owners[s.id] == nil { owners[s.id] = m.name }
        }
        self.workers = workers
        self.owners = owners
        var nodes: [PluginNode] = []
        if let program {
            func walk(_ target: String, _ n: ScoringNode) {
                if n.scorer.isPlugin && n.children.isEmpty, let plugin = owners[n.scorer.name] {
                    nodes.append(
                        PluginNode(
                            target: target, node: n, plugin: plugin,
                            source: n.parameter("source")?.trimmingCharacters(in: .whitespaces) ?? n.id, max: Exact(n.max),
                            min: n.min.map(Exact.init)))
                }
                for c in n.children { walk(target, c) }
            }
            for c in program.courses where only?.contains(c.id) ?? true { walk(c.id, c.assessment) }
            for c in program.competitions where only?.contains(c.id) ?? true { walk(c.id, c.root) }
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
        var byPlugin: [String: [(key: PreparedKey, request: PluginRequest)]] = [:]
        for candidate in candidates {
            let targets = candidate.targets
            for p in pluginNodes where targets.contains(p.target) {
                let items = candidate.items.filter { $0.target == p.target && $0.node == p.source }
                let artifacts = candidate.artifacts.isEmpty ? [] : candidate.artifacts.filter { $0.target == p.target && $0.node == p.source }
                if items.isEmpty && artifacts.isEmpty { continue }
                guard
                    case .success(let request) = PluginRequestBuilder.request(
                        scorer: p.node.scorer.name, node: p.node, max: p.max, min: p.min, candidate: candidate.id, items: items,
                        artifacts: artifacts)
                else { continue }
                let key = PreparedKey(candidate: candidate.id, node: p.node.id, items: items, artifacts: artifacts)
                byPlugin[p.plugin, default: []].append((key, request))
            }
        }
        if byPlugin.isEmpty { return }
        // Hand the batch to the feeder thread and return: the reader goes on with the next batch while the
        // plugins work on this one. At most a few batches wait (memory stays bounded).
        feed.lock()
        while queue.count >= 4 && !stopped { feed.wait() }
        if stopped {
            feed.unlock()
            return
        }
        for list in byPlugin.values { for entry in list { inFlight.insert(entry.key) } }
        queue.append(byPlugin)
        if !feederStarted {
            feederStarted = true
            let thread = Thread { [self] in feedLoop() }
            thread.stackSize = 1 << 20
            thread.start()
        }
        feed.broadcast()
        feed.unlock()
    }

    /// The feeder thread: sends waiting batches to the workers, plugin by plugin in name order, each batch
    /// after the one before (so requests reach a plugin in reading order), and files the answers.
    private func feedLoop() {
        while true {
            feed.lock()
            while queue.isEmpty && !stopped { feed.wait() }
            if queue.isEmpty {
                feederDone = true
                feed.broadcast()
                feed.unlock()
                return
            }
            // Everything waiting goes out together: more requests in flight, fewer round trips.
            var merged: [String: [(key: PreparedKey, request: PluginRequest)]] = [:]
            for batch in queue { for (plugin, list) in batch { merged[plugin, default: []] += list } }
            queue.removeAll()
            feed.broadcast()
            feed.unlock()
            var answers: [PreparedKey: PluginReply] = [:]
            for plugin in merged.keys.sorted() {
                let list = merged[plugin]!
                let replies = workers[plugin]!.run(list.map(\.request))
                for (entry, reply) in zip(list, replies) { answers[entry.key] = reply }
            }
            feed.lock()
            // Answers nobody looks up cannot pile up without bound.
            if prepared.count > 100_000 { prepared.removeAll() }
            prepared.merge(answers) { _, new in new }
            for key in answers.keys { inFlight.remove(key) }
            feed.broadcast()
            feed.unlock()
        }
    }

    // MARK: - Asking

    /// The prepared answer for this candidate's evidence at this node (waiting for it if it is on its way),
    /// or nil when it was not prepared.
    func preparedReply(candidate: String, node: String, items: [EvidenceItem], artifacts: [Artifact]) -> PluginReply? {
        let key = PreparedKey(candidate: candidate, node: node, items: items, artifacts: artifacts)
        feed.lock()
        defer { feed.unlock() }
        if prepared.isEmpty && inFlight.isEmpty { return nil }
        while prepared[key] == nil && inFlight.contains(key) { feed.wait() }
        return prepared.removeValue(forKey: key)
    }

    /// The answer to one request, asked now.
    public func reply(to request: PluginRequest) -> PluginReply {
        run([request])[0]
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

    /// Stops every worker: a shutdown message, then the plugin and all it started are killed and reaped
    /// whatever the plugin did, so nothing it started outlives the run. Further requests fail. Idempotent.
    public func shutdown() {
        feed.lock()
        let already = shuttingDown
        shuttingDown = true
        // The feeder finishes what is queued, then stops.
        stopped = true
        feed.broadcast()
        while feederStarted && !feederDone { feed.wait() }
        feed.unlock()
        if already { return }
        for name in workers.keys.sorted() { workers[name]!.shutdown() }
    }
}
