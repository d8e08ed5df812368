import AssayModel
import Foundation

/// Scores candidates' evidence against a program: every course, competition and certificate a candidate has
/// evidence for gets an ``Outcome`` with its node tree and, on request, the words that explain every number.
///
/// Rules the engine applies around the scorers:
/// - A leaf with nothing recorded follows its node's `missing` policy: `incomplete` (default) makes the
///   outcome incomplete with the reason, `zero` scores 0 and says so, `skip` leaves the node out of its parent.
/// - An inner node with an incomplete child is incomplete (never a partial sum passed off as a total).
/// - A node's score is rounded where the rubric says, before its parent uses it.
/// - A course passes when its score reaches the pass mark and every `must-reach` gate is met; a certificate
///   when every exam component reaches its pass mark.
public struct Engine: Sendable {
    public let program: Program
    private let targets: [String: CompiledTarget]

    /// Plugin scorers by scorer id (supplied by the plugin host); built-ins need nothing.
    public init(program: Program, pluginScorers: [String: any Scorer] = [:]) {
        self.program = program
        var targets: [String: CompiledTarget] = [:]
        for c in program.courses where targets[c.id] == nil {
            targets[c.id] = CompiledTarget(kind: .course, root: c.assessment, pass: c.pass, plugins: pluginScorers)
        }
        for c in program.competitions where targets[c.id] == nil {
            targets[c.id] = CompiledTarget(kind: .competition, root: c.root, pass: nil, plugins: pluginScorers)
        }
        for c in program.certificates where targets[c.id] == nil {
            targets[c.id] = CompiledTarget(kind: .certificate, root: Self.certificateTree(c), pass: nil, plugins: pluginScorers)
        }
        self.targets = targets
    }

    /// A certificate's exam as a tree: the sum of its components, each a recorded grade that must reach its pass.
    static func certificateTree(_ c: Certificate) -> ScoringNode {
        ScoringNode(
            id: c.id, title: c.title, scorer: ScorerReference(parsing: "sum"),
            max: c.components.reduce(Decimal(0)) { $0 + $1.max },
            children: c.components.map {
                ScoringNode(
                    id: $0.id, title: $0.title, scorer: ScorerReference(parsing: "value"), max: $0.max, mustReach: $0.pass,
                    origin: $0.origin)
            }, origin: c.origin)
    }

    /// Scores one candidate: one outcome per target the candidate has evidence (or an evidence problem) for,
    /// in the order the targets first appear in the evidence. `only` restricts to one target.
    public func score(_ candidate: CandidateEvidence, only: String? = nil, explain: Bool = false) -> [Outcome] {
        var byTarget: [String: [EvidenceItem]] = [:]
        for item in candidate.items { byTarget[item.target, default: []].append(item) }
        var problemsByTarget: [String: [EvidenceProblem]] = [:]
        for p in candidate.problems { problemsByTarget[p.target, default: []].append(p) }
        var outcomes: [Outcome] = []
        for target in candidate.targets where only == nil || only == target {
            let items = byTarget[target] ?? []
            let problems = problemsByTarget[target] ?? []
            guard let compiled = targets[target] else {
                let origins = (items.map(\.origin) + problems.map(\.origin)).map(\.description)
                outcomes.append(
                    Outcome(
                        candidate: candidate.id, target: target, kind: .unknown, score: nil, max: 0, passed: nil,
                        status: .incomplete(["the program has no course, competition or certificate '\(target)' (\(origins.joined(separator: ", ")))"])))
                continue
            }
            outcomes.append(compiled.score(candidate: candidate.id, target: target, items: items, problems: problems, explain: explain))
        }
        return outcomes
    }

    /// The kind of a target id, if the program has it.
    public func kind(of target: String) -> Outcome.TargetKind? { targets[target]?.kind }
}

/// One target's scoring tree, with a scorer object per node.
struct CompiledTarget: Sendable {
    let kind: Outcome.TargetKind
    let root: ScoringNode
    let pass: Decimal?
    /// Scorer per node id.
    let scorers: [String: any Scorer]
    let nodeIDs: Set<String>

    init(kind: Outcome.TargetKind, root: ScoringNode, pass: Decimal?, plugins: [String: any Scorer]) {
        self.kind = kind
        self.root = root
        self.pass = pass
        var scorers: [String: any Scorer] = [:]
        var ids = Set<String>()
        root.forEachNode { node in
            ids.insert(node.id)
            let s: (any Scorer)? = node.scorer.isPlugin ? plugins[node.scorer.name] : BuiltinScorerFactory.make(for: node)
            if let s, scorers[node.id] == nil { scorers[node.id] = s }
        }
        self.scorers = scorers
        self.nodeIDs = ids
    }

    func score(candidate: String, target: String, items: [EvidenceItem], problems: [EvidenceProblem], explain: Bool) -> Outcome {
        var itemsByNode: [String: [EvidenceItem]] = [:]
        var reasons = problems.map { "\($0.message) (\($0.origin))" }
        for item in items {
            if nodeIDs.contains(item.node) {
                itemsByNode[item.node, default: []].append(item)
            } else {
                reasons.append("\(item.kind.rawValue) for node '\(item.node)', which \(target) does not have (\(item.origin))")
            }
        }
        var flags: [String] = []
        var gates: [String] = []
        let rootOutcome = evaluate(root, itemsByNode: itemsByNode, explain: explain, flags: &flags, failedGates: &gates)
        reasons += leafReasons(rootOutcome)
        if rootOutcome.skipped { reasons.append("\(root.id): nothing recorded") }
        let status: OutcomeStatus = reasons.isEmpty ? .complete : .incomplete(reasons)
        let score = status.isComplete ? rootOutcome.score : nil
        var passed: Bool?
        if let score, kind != .competition {
            passed = gates.isEmpty && (pass.map { score >= $0 } ?? true)
        }
        return Outcome(
            candidate: candidate, target: target, kind: kind, score: score, max: root.max, passed: passed, status: status,
            flags: flags + gates.map { "gate not met: \($0)" }, root: rootOutcome)
    }

    /// Reasons from the nodes where they arose (not repeated by every ancestor).
    private func leafReasons(_ n: NodeOutcome) -> [String] {
        let childReasons = n.children.flatMap(leafReasons)
        if !childReasons.isEmpty { return childReasons }
        return n.status.reasons
    }

    private func evaluate(
        _ node: ScoringNode, itemsByNode: [String: [EvidenceItem]], explain: Bool, flags: inout [String], failedGates: inout [String]
    ) -> NodeOutcome {
        let scorerName = node.scorer.description
        guard let scorer = scorers[node.id] else {
            return NodeOutcome(
                node: node.id, title: node.title, scorer: scorerName, score: nil, max: node.max, weight: node.weight,
                status: .incomplete(["\(node.id): the scorer \(scorerName) is not available"]), explanation: "")
        }
        var children: [NodeOutcome] = []
        children.reserveCapacity(node.children.count)
        for child in node.children {
            children.append(evaluate(child, itemsByNode: itemsByNode, explain: explain, flags: &flags, failedGates: &failedGates))
        }
        let sourceID = node.parameter("source")?.trimmingCharacters(in: .whitespaces) ?? node.id
        let items = itemsByNode[sourceID] ?? []
        let sources = items.map(\.origin)

        func finish(_ score: Decimal?, _ status: OutcomeStatus, _ explanation: String, skipped: Bool = false, nodeFlags: [String] = [])
            -> NodeOutcome
        {
            NodeOutcome(
                node: node.id, title: node.title, scorer: scorerName, score: score, max: node.max, weight: node.weight,
                decimals: node.rounding?.decimals, status: status, skipped: skipped, explanation: explanation, flags: nodeFlags, sources: sources, children: children)
        }

        // Nothing to score: no evidence at a leaf, or every child skipped.
        let present = children.filter { !$0.skipped }
        let nothing = scorer.readsEvidence ? items.isEmpty : (present.isEmpty && items.isEmpty)
        if nothing {
            switch node.missing {
            case .incomplete: return finish(nil, .incomplete(["\(node.id): nothing recorded"]), "nothing recorded")
            case .zero: return finish(0, .complete, "nothing recorded; counts as 0 (missing=\"zero\")")
            case .skip: return finish(nil, .complete, "nothing recorded; left out (missing=\"skip\")", skipped: true)
            }
        }
        if !scorer.readsEvidence, present.contains(where: { !$0.status.isComplete }) {
            return finish(nil, .incomplete([]), "incomplete: a part below is incomplete")
        }
        let result = scorer.score(ScorerInput(node: node, items: items, children: present, explain: explain))
        flags += result.flags
        guard var score = result.score, result.problems.isEmpty else {
            return finish(nil, .incomplete(result.problems.map { "\(node.id): \($0)" }), result.explanation, nodeFlags: result.flags)
        }
        var explanation = result.explanation
        if let rounding = node.rounding {
            let rounded = score.rounded(rounding)
            if explain && rounded != score {
                explanation += "; rounded \(rounding.mode.rawValue) to \(rounding.decimals) decimals: \(rounded.shown)"
            }
            score = rounded
        }
        var nodeFlags = result.flags
        if score > node.max {
            nodeFlags.append("\(node.id): \(score.shown) is above the node's max of \(node.max.shown)")
            flags.append(nodeFlags.last!)
        }
        if let gate = node.mustReach, score < gate {
            failedGates.append("\(node.id) scored \(score.shown), below the \(gate.shown) it must reach")
            if explain { explanation += "; below the \(gate.shown) it must reach" }
        }
        return finish(score, .complete, explanation, nodeFlags: nodeFlags)
    }
}
