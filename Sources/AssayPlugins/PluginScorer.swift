import AssayEngine
import AssayModel

/// The scorer the engine uses for one `plugin:ID` node: it turns the node's evidence into a request, gets
/// the answer from the plugin host (prepared ahead for the batch, or asked now) and checks it.
///
/// Every way a plugin can let a candidate down ends as an incomplete node with the reason, never a zero:
/// `plugin NAME failed: …` (crash, hang, garbage, too much output, cannot start, a score out of range) or
/// `plugin NAME: …` (the plugin refused the input, with its message).
struct PluginScorer: Scorer {
    let host: PluginHost
    let plugin: String
    let scorerID: String
    let node: ScoringNode

    var readsEvidence: Bool { true }

    func score(_ input: ScorerInput) -> ScorerResult {
        if let ready = host.preparedReply(candidate: input.candidate, node: node.id, items: input.items, artifacts: input.artifacts) {
            return Self.result(ready, plugin: plugin, max: input.max, floor: input.floor)
        }
        let built = PluginRequestBuilder.request(
            scorer: scorerID, node: node, max: input.max, min: input.nodeMin, candidate: input.candidate, items: input.items,
            artifacts: input.artifacts)
        switch built {
        case .failure(let problem):
            return .incomplete(problem.message)
        case .success(let request):
            return Self.result(host.reply(to: request), plugin: plugin, max: input.max, floor: input.floor)
        }
    }

    /// What a reply means for the node.
    static func result(_ reply: PluginReply, plugin: String, max: Exact, floor: Exact) -> ScorerResult {
        switch reply {
        case .failed(let reason):
            return .incomplete("plugin \(plugin) failed: \(reason)")
        case .refused(let message):
            return .incomplete("plugin \(plugin): \(message)")
        case .score(let value, let explanation):
            if value > max {
                return .incomplete("plugin \(plugin) failed: it gave \(value.text()), above the node's max of \(max.text())")
            }
            if value < floor {
                return .incomplete("plugin \(plugin) failed: it gave \(value.text()), below the node's lowest score \(floor.text())")
            }
            return ScorerResult(score: value, explanation: "plugin \(plugin): " + (explanation.isEmpty ? value.text() : explanation))
        }
    }
}
