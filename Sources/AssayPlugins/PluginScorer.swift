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
            return Self.result(ready, plugin: plugin, candidate: input.candidate, node: node.id, max: input.max, floor: input.floor)
        }
        let built = PluginRequestBuilder.request(
            scorer: scorerID, node: node, max: input.max, min: input.nodeMin, candidate: input.candidate, items: input.items,
            artifacts: input.artifacts)
        switch built {
        case .failure(let problem):
            return .incomplete(problem.message)
        case .success(let request):
            return Self.result(
                host.reply(to: request), plugin: plugin, candidate: input.candidate, node: node.id, max: input.max, floor: input.floor)
        }
    }

    /// What a reply means for the node.
    static func result(_ reply: PluginReply, plugin: String, candidate: String, node: String, max: Exact, floor: Exact) -> ScorerResult {
        switch reply {
        case .failed(let reason):
            return .incomplete("plugin \(plugin) failed: \(reason)")
        case .refused(let message):
            return .incomplete("plugin \(plugin): \(message)")
        case .score(let value, let explanation):
            if let why = tooPrecise(value) {
                return .incomplete("plugin \(plugin) failed: it answered candidate \(candidate)'s request for \(node) with \(why)")
            }
            if value > max {
                return .incomplete("plugin \(plugin) failed: it gave \(value.text()), above the node's max of \(max.text())")
            }
            if value < floor {
                return .incomplete("plugin \(plugin) failed: it gave \(value.text()), below the node's lowest score \(floor.text())")
            }
            return ScorerResult(score: value, explanation: "plugin \(plugin): " + (explanation.isEmpty ? value.text() : explanation))
        }
    }

    /// The most decimal places a plugin's score may have: Assay shows an unrounded score to at most 6 decimals
    /// (rubrics/README.md), so a score with more would be published shorter than the plugin wrote it.
    static let maxDecimalPlaces = 6

    /// Why `value` cannot be taken as written (`the score 3.3333000000000001, which has 16 decimal places; …`),
    /// or nil when it can. The words fit after "with".
    static func tooPrecise(_ value: Exact) -> String? {
        // A decimal's lowest-terms denominator is 2^a·5^b; it has max(a, b) decimal places.
        var twos = 0
        var fives = 0
        var d = value.denominator
        while d % 2 == 0 { d /= 2; twos += 1 }
        while d % 5 == 0 { d /= 5; fives += 1 }
        let places = d == 1 ? Swift.max(twos, fives) : Int.max
        guard places > maxDecimalPlaces else { return nil }
        let written = d == 1 ? value.text(maxDecimals: places) : value.text(maxDecimals: 18) + "…"
        return "the score \(written), which has \(d == 1 ? "\(places)" : "endless") decimal places; Assay takes a plugin's score "
            + "as written and shows at most \(maxDecimalPlaces), so it would be shortened: round it in the plugin and write it as a "
            + "string (\"\(value.text(maxDecimals: maxDecimalPlaces))\")"
    }
}
