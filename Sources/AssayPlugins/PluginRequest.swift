public import AssayModel
import Foundation

/// One score request, as sent to a plugin: the scorer, the node (id, max, min, parameters), the candidate
/// and the candidate's evidence for that node. Artifact paths are absolute and their SHA-256 was checked
/// before the request was made (``PluginRequestBuilder``).
public struct PluginRequest: Sendable, Hashable {
    /// One evidence item: kind, judge (marks), the value as written.
    public struct Item: Sendable, Hashable {
        public var kind: String
        public var judge: String?
        public var value: String

        public init(kind: String, judge: String?, value: String) {
            self.kind = kind
            self.judge = judge
            self.value = value
        }
    }

    /// One artifact file: the absolute path the plugin opens, the path as the evidence wrote it, and its
    /// SHA-256 (hex), already checked.
    public struct File: Sendable, Hashable {
        public var path: String
        public var written: String
        public var sha256: String

        public init(path: String, written: String, sha256: String) {
            self.path = path
            self.written = written
            self.sha256 = sha256
        }
    }

    /// The scorer id, without `plugin:`.
    public let scorer: String
    public let node: String
    public let candidate: String
    public let max: Exact
    public let min: Exact?
    /// The node's parameters, in the rubric's order.
    public let parameters: [(name: String, value: String)]
    public let items: [Item]
    public let artifacts: [File]

    public init(
        scorer: String, node: String, candidate: String, max: Exact, min: Exact?, parameters: [(name: String, value: String)],
        items: [Item], artifacts: [File]
    ) {
        self.scorer = scorer
        self.node = node
        self.candidate = candidate
        self.max = max
        self.min = min
        self.parameters = parameters
        self.items = items
        self.artifacts = artifacts
        self.body = Self.body(scorer, node, candidate, max, min, parameters, items, artifacts)
    }

    public static func == (a: PluginRequest, b: PluginRequest) -> Bool { a.body == b.body }
    public func hash(into hasher: inout Hasher) { hasher.combine(body) }

    /// The request's JSON members after `"id":N,` (the same request always gives the same text, which is
    /// also how prepared answers are found again).
    let body: String

    private static func number(_ x: Exact) -> String { x.isInteger ? String(x.numerator) : x.text(maxDecimals: 9) }

    private static func body(
        _ scorer: String, _ node: String, _ candidate: String, _ max: Exact, _ min: Exact?,
        _ parameters: [(name: String, value: String)], _ items: [Item], _ artifacts: [File]
    ) -> String {
        let q = JSONText.quoted
        var s = ""
        s.reserveCapacity(160 + 40 * items.count + 160 * artifacts.count)
        s += "\"scorer\":" + q(scorer) + ",\"node\":" + q(node) + ",\"candidate\":" + q(candidate)
        s += ",\"max\":\"" + number(max) + "\",\"min\":\"" + number(min ?? .zero) + "\",\"params\":{"
        s += parameters.map { q($0.name) + ":" + q($0.value) }.joined(separator: ",")
        s += "},\"items\":["
        s += items.map { i in
            "{\"kind\":" + q(i.kind) + (i.judge.map { ",\"judge\":" + q($0) } ?? "") + ",\"value\":" + q(i.value) + "}"
        }.joined(separator: ",")
        s += "],\"artifacts\":["
        s += artifacts.map { "{\"path\":" + q($0.path) + ",\"name\":" + q($0.written) + ",\"sha256\":" + q($0.sha256) + "}" }
            .joined(separator: ",")
        return s + "]"
    }

    /// The line sent to the plugin.
    func line(id: Int) -> String { "{\"type\":\"score\",\"id\":\(id)," + body + "}\n" }
}
