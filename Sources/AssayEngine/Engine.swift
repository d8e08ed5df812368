public import AssayModel
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
    private let plugins: (any ScorerProvider)?

    /// `plugins` makes the scorers for `plugin:ID` nodes (the plugin host); built-ins need nothing. A plugin
    /// node without a scorer makes its outcomes incomplete ("the scorer … is not available").
    public init(program: Program, plugins: (any ScorerProvider)? = nil) {
        let pluginScorers = plugins
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
        self.plugins = plugins
    }

    /// Lets the plugin provider work ahead on a batch of candidates about to be scored (see
    /// ``ScorerProvider/prepare(_:)``). Optional: ``score(_:only:explain:tree:)`` gives the same outcomes
    /// without it, only slower when plugins are used.
    public func prepare(_ candidates: [CandidateEvidence]) {
        plugins?.prepare(candidates)
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
    /// `tree: false` computes totals, statuses and flags only (no node tree): what CSV and text output need.
    public func score(_ candidate: CandidateEvidence, only: String? = nil, explain: Bool = false, tree: Bool = true) -> [Outcome] {
        var outcomes: [Outcome] = []
        // `candidate.targets`, without copying each item to read its target.
        var candidateTargets: [String] = []
        for i in candidate.items.indices where !candidateTargets.contains(candidate.items[i].target) {
            candidateTargets.append(candidate.items[i].target)
        }
        for i in candidate.problems.indices where !candidateTargets.contains(candidate.problems[i].target) {
            candidateTargets.append(candidate.problems[i].target)
        }
        for target in candidateTargets where only == nil || only == target {
            // Candidates usually have one or a few targets: filtering beats hashing here.
            let items = candidateTargets.count == 1 ? candidate.items : candidate.items.filter { $0.target == target }
            let problems = candidate.problems.isEmpty ? [] : candidate.problems.filter { $0.target == target }
            guard let compiled = targets[target] else {
                // Problems that name no known target keep their own words and places.
                var reasons = problems.map { "\($0.message) (\($0.origin))" }
                if target != "*" {
                    let origins = items.map(\.origin.description)
                    reasons.insert(
                        "the program has no course, competition or certificate '\(target)'"
                            + (origins.isEmpty ? "" : " (\(origins.joined(separator: ", ")))"), at: 0)
                }
                outcomes.append(
                    Outcome(
                        candidate: candidate.id, target: target, kind: .unknown, value: nil, max: 0, passed: nil,
                        status: .incomplete(reasons)))
                continue
            }
            let artifacts = candidate.artifacts.filter { $0.target == target }
            outcomes.append(
                compiled.score(
                    candidate: candidate.id, target: target, items: items, artifacts: artifacts, problems: problems,
                    explain: explain, tree: tree))
        }
        return outcomes
    }

    /// The kind of a target id, if the program has it.
    public func kind(of target: String) -> Outcome.TargetKind? { targets[target]?.kind }
}

/// One node, ready to score: its scorer object and its numbers as exact fractions.
final class CompiledNode: Sendable {
    let node: ScoringNode
    let scorer: (any Scorer)?
    let max: Exact
    let min: Exact?
    let weight: Exact?
    let mustReach: Exact?
    /// Why the node cannot be scored at all: a number of the rubric (max, min, weight, must-reach, a built-in
    /// scorer's parameter) outside the range ``Exact`` holds. Such a node is never scored nor compared with.
    let numberProblem: String?
    /// Where its evidence is recorded (its own id, or the `source` parameter's node).
    let source: String
    /// Leaves and deduction nodes read items; other inner nodes only combine children.
    let readsItems: Bool
    /// Where `source` stands in its target's ``CompiledTarget/sources`` (-1 when the node reads no items).
    let sourceIndex: Int
    let children: [CompiledNode]

    /// Compiles `node` and its children; `sources` gathers the distinct sources of the nodes that read items.
    init(_ node: ScoringNode, plugins: (any ScorerProvider)?, sources: inout [String]) {
        self.node = node
        self.scorer = node.scorer.isPlugin ? plugins?.scorer(for: node) : BuiltinScorerFactory.make(for: node)
        self.max = Exact(node.max)
        self.min = node.min.map(Exact.init)
        self.weight = node.weight.map(Exact.init)
        self.mustReach = node.mustReach.map(Exact.init)
        self.numberProblem = Self.numberProblem(of: node)
        self.source = node.parameter("source")?.trimmingCharacters(in: .whitespaces) ?? node.id
        self.children = node.children.map { CompiledNode($0, plugins: plugins, sources: &sources) }
        self.readsItems = node.children.isEmpty || node.scorer.name == "deduction" || (scorer?.readsEvidence ?? true)
        if readsItems {
            if let i = sources.firstIndex(of: source) {
                sourceIndex = i
            } else {
                sourceIndex = sources.count
                sources.append(source)
            }
        } else {
            sourceIndex = -1
        }
    }
}

extension CompiledNode {
    /// What ``numberProblem`` says: the first of the node's numbers outside ±9223372036854775807, as written.
    /// `assay validate` refuses these (number-too-large); a program scored without that check still gets
    /// no score from them, of either sign.
    static func numberProblem(of node: ScoringNode) -> String? {
        let range = "outside ±9223372036854775807, the range of numbers Assay scores with; correct the rubric (assay validate shows where)"
        let attributes: [(String, Decimal?)] = [("max", node.max), ("min", node.min), ("weight", node.weight), ("must-reach", node.mustReach)]
        for case (let attribute, let value?) in attributes where Exact(value).isTooLarge {
            return "number too large: \(attribute)=\"\(value.plainText)\" is \(range)"
        }
        guard !node.scorer.isPlugin, let signature = BuiltinScorers.signature(node.scorer.name) else { return nil }
        for p in node.parameters {
            guard let type = signature.parameter(p.name)?.type, let beyond = type.numbersOutOfRange(in: p.value).first else { continue }
            return "number too large: parameter '\(p.name)' \(type == .decimal ? "is" : "has") \(beyond), \(range)"
        }
        return nil
    }
}

/// One target's scoring tree, compiled (a class: looked up for every candidate, never copied).
final class CompiledTarget: Sendable {
    let kind: Outcome.TargetKind
    let root: CompiledNode
    let pass: Exact?
    /// Why no outcome of this target can pass or fail: its pass mark is outside the range ``Exact`` holds.
    let passProblem: String?
    let nodeIDs: Set<String>
    /// Nodes whose evidence is read (leaves, and the sources they name).
    let readingIDs: Set<String>
    /// Nodes scored by `deduction`, where deduction items belong.
    let deductionIDs: Set<String>
    /// The distinct nodes whose items some node reads (its `source`): a candidate's items are sorted into one
    /// bucket per source once, rather than filtered again at every node.
    let sources: [String]
    /// For each source: is an item recorded there fine as it is (a mark, measure or grade at a node that
    /// reads evidence; a deduction at a deduction node)? Items elsewhere get the full checks.
    private let plainAt: [(Bool, Bool)]
    /// Source → index, for trees with many sources (a short list is searched instead).
    private let sourceIndexes: [String: Int]?

    init(kind: Outcome.TargetKind, root: ScoringNode, pass: Decimal?, plugins: (any ScorerProvider)?) {
        self.kind = kind
        var sources: [String] = []
        let compiled = CompiledNode(root, plugins: plugins, sources: &sources)
        self.root = compiled
        self.sources = sources
        self.pass = pass.map(Exact.init)
        self.passProblem = pass.flatMap { p in
            Exact(p).isTooLarge
                ? "number too large: pass=\"\(p.plainText)\" is outside ±9223372036854775807, the range of numbers Assay scores with; correct the rubric (assay validate shows where)"
                : nil
        }
        var ids = Set<String>()
        root.forEachNode { ids.insert($0.id) }
        self.nodeIDs = ids
        var reading = Set<String>()
        var deductions = Set<String>()
        func walk(_ c: CompiledNode) {
            if c.node.children.isEmpty || (c.scorer?.readsEvidence ?? false) { reading.insert(c.source) }
            if !c.node.scorer.isPlugin && c.node.scorer.name == "deduction" { deductions.insert(c.node.id) }
            c.children.forEach(walk)
        }
        walk(compiled)
        self.readingIDs = reading
        self.deductionIDs = deductions
        self.plainAt = sources.map { (ids.contains($0) && reading.contains($0), deductions.contains($0)) }
        self.sourceIndexes = sources.count > 8 ? Dictionary(sources.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a }) : nil
    }

    /// The index of `node` in ``sources``, if some node reads items recorded there.
    @inline(__always)
    private func sourceIndex(of node: String) -> Int? {
        if let sourceIndexes { return sourceIndexes[node] }
        for i in sources.indices where sources[i] == node { return i }
        return nil
    }

    /// Why an item recorded where it is cannot be used as it is, if it cannot.
    private func check(_ item: EvidenceItem, target: String, into reasons: inout [String]) {
        if !nodeIDs.contains(item.node) {
            reasons.append("\(item.kind.rawValue) for node '\(item.node)', which \(target) does not have (\(item.origin))")
        } else if item.kind == .deduction {
            if !deductionIDs.contains(item.node) {
                reasons.append(
                    "deduction recorded at '\(item.node)', which is not a deduction node; record it at the node scored by deduction (\(item.origin))")
            }
        } else if !readingIDs.contains(item.node) {
            reasons.append(
                "\(item.kind.rawValue) recorded at '\(item.node)', which combines other nodes; record it at one of the nodes below it (\(item.origin))")
        }
    }

    func score(
        candidate: String, target: String, items: [EvidenceItem], artifacts: [Artifact] = [], problems: [EvidenceProblem],
        explain: Bool, tree: Bool
    ) -> Outcome {
        var reasons = problems.map { "\($0.message) (\($0.origin))" }
        // Each item into the bucket of its node (in order, each bucket allocated once), checked on the way.
        var buckets = [[EvidenceItem]](repeating: [], count: sources.count)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: items.count + sources.count) { scratch in
            let counts = UnsafeMutableBufferPointer(rebasing: scratch[items.count...])
            counts.initialize(repeating: 0)
            for i in items.indices {
                let source = sourceIndex(of: items[i].node) ?? -1
                scratch[i] = source
                if source >= 0 {
                    counts[source] += 1
                    let (reading, deduction) = plainAt[source]
                    if items[i].kind == .deduction ? deduction : reading { continue }
                }
                check(items[i], target: target, into: &reasons)
            }
            for j in counts.indices where counts[j] > 0 { buckets[j].reserveCapacity(counts[j]) }
            for i in items.indices where scratch[i] >= 0 { buckets[scratch[i]].append(items[i]) }
        }
        var context = Context(candidate: candidate, buckets: buckets, artifacts: artifacts, explain: explain, tree: tree || explain)
        let result = evaluate(root, &context)
        reasons += context.reasons
        if let passProblem { reasons.append(passProblem) }
        if result.skipped { reasons.append("\(root.node.id): nothing recorded") }
        let status: OutcomeStatus = reasons.isEmpty ? .complete : .incomplete(reasons)
        let score = status.isComplete ? result.child.value : nil
        var passed: Bool?
        if let score, kind != .competition {
            passed = context.failedGates.isEmpty && (pass.map { score >= $0 } ?? true)
        }
        var outcome = Outcome(
            candidate: candidate, target: target, kind: kind, value: score, max: root.max, passed: passed, status: status,
            flags: context.flags + context.failedGates.map { "gate not met: \($0)" }, root: result.tree)
        outcome.decimals = root.node.rounding?.decimals
        return outcome
    }

    /// What one evaluation gathers as it walks the tree.
    private struct Context {
        let candidate: String
        /// The candidate's items for this target by source (see ``CompiledTarget/sources``).
        let buckets: [[EvidenceItem]]
        let artifacts: [Artifact]
        let explain: Bool
        /// Whether to build the NodeOutcome tree (JSON, XML, --explain) or only the totals.
        let tree: Bool
        var flags: [String] = []
        var failedGates: [String] = []
        /// Reasons an outcome is incomplete, from the nodes where they arose.
        var reasons: [String] = []
    }

    private struct Evaluated {
        var child: ChildScore
        var complete: Bool
        var skipped: Bool
        var tree: NodeOutcome?
    }

    private func evaluate(_ c: CompiledNode, _ context: inout Context) -> Evaluated {
        let node = c.node
        var children: [Evaluated] = []
        children.reserveCapacity(c.children.count)
        for child in c.children { children.append(evaluate(child, &context)) }
        let items = c.readsItems ? context.buckets[c.sourceIndex] : []

        func finish(
            _ score: Exact?, _ problems: [String]?, _ explanation: @autoclosure () -> String, skipped: Bool = false,
            nodeFlags: [String] = []
        ) -> Evaluated {
            // problems == nil: complete; [] : incomplete because of a child; else this node's own problems.
            if let problems, !problems.isEmpty { context.reasons += problems }
            var tree: NodeOutcome?
            if context.tree {
                tree = NodeOutcome(
                    node: node.id, title: node.title, scorer: node.scorer.description, value: score, max: c.max, weight: c.weight,
                    decimals: node.rounding?.decimals, status: problems == nil ? .complete : .incomplete(problems!),
                    skipped: skipped, explanation: context.explain ? explanation() : "", flags: nodeFlags,
                    sources: context.explain ? items.map(\.origin) : [], children: children.compactMap(\.tree))
            }
            return Evaluated(
                child: ChildScore(node: node.id, value: score, maxValue: c.max, weightValue: c.weight),
                complete: problems == nil, skipped: skipped, tree: tree)
        }

        // A number out of range is never compared with nor scored with (either sign), whatever was recorded.
        if let problem = c.numberProblem { return finish(nil, ["\(node.id): \(problem)"], problem) }
        guard let scorer = c.scorer else {
            return finish(nil, ["\(node.id): the scorer \(node.scorer) is not available"], "")
        }
        let present = children.allSatisfy({ !$0.skipped }) ? children : children.filter { !$0.skipped }
        // Nothing to score: no evidence at a leaf, or every child skipped.
        let hasArtifacts = !context.artifacts.isEmpty && context.artifacts.contains { $0.node == c.source }
        let nothing = scorer.readsEvidence ? (items.isEmpty && !hasArtifacts) : (present.isEmpty && items.isEmpty)
        if nothing {
            switch node.missing {
            case .incomplete: return finish(nil, ["\(node.id): nothing recorded"], "nothing recorded")
            case .zero: return finish(.zero, nil, "nothing recorded; counts as 0 (missing=\"zero\")")
            case .skip: return finish(nil, nil, "nothing recorded; left out (missing=\"skip\")", skipped: true)
            }
        }
        if !scorer.readsEvidence, present.contains(where: { !$0.complete }) {
            return finish(nil, [], "incomplete: a part below is incomplete")
        }
        let result = scorer.score(
            ScorerInput(
                nodeID: node.id, max: c.max, min: c.min, items: items,
                artifacts: context.artifacts.isEmpty ? [] : context.artifacts.filter { $0.node == c.source },
                candidate: context.candidate, children: present.map(\.child), explain: context.explain))
        if !result.flags.isEmpty { context.flags += result.flags }
        guard var score = result.score, result.problems.isEmpty else {
            return finish(nil, result.problems.map { "\(node.id): \($0)" }, result.explanation, nodeFlags: result.flags)
        }
        var explanation = result.explanation
        if let rounding = node.rounding {
            let rounded = score.rounded(rounding)
            if context.explain && rounded != score {
                explanation += "; rounded \(rounding.mode.rawValue) to \(rounding.decimals) decimal place\(rounding.decimals == 1 ? "" : "s"): \(rounded.text(decimals: rounding.decimals))"
            }
            score = rounded
        }
        // An overflow anywhere in the scorer's arithmetic (or its rounding) is never a score.
        if score.isTooLarge {
            let problem = "\(node.id): \(Exact.tooLargeProblem)"
            return finish(nil, [problem], explanation.isEmpty ? Exact.tooLargeProblem : explanation, nodeFlags: result.flags)
        }
        var nodeFlags = result.flags
        if score > c.max {
            nodeFlags.append("\(node.id): \(score.text()) is above the node's max of \(c.max.text())")
            context.flags.append(nodeFlags.last!)
        }
        if let gate = c.mustReach, score < gate {
            context.failedGates.append("\(node.id) scored \(score.text()), below the \(gate.text()) it must reach")
            if context.explain { explanation += "; below the \(gate.text()) it must reach" }
        }
        return finish(score, nil, explanation, nodeFlags: nodeFlags)
    }
}
