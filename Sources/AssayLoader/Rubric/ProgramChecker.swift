import AssayModel
import Foundation

/// Checks the meaning of a schema-valid program: identities, references, scorers and their parameters,
/// numbers, award schemes, certificate levels and recognition rules. Reports every problem it finds, each at
/// the element or attribute at fault, with a stable code and a hint.
///
/// Codes (stable): ``Code``, the one list of them; each is documented in rubrics/README.md's table of
/// checks (a test keeps the two the same). Errors stop a rubric from scoring; warnings (max-mismatch,
/// product-above-max, scale-mismatch, recognition-cycle, tests-in-course, and some weight-ignored,
/// kind-mismatch and levels-out-of-order) do not.
struct ProgramChecker {

    /// Every code the checker reports: the one list (tests and rubrics/README.md's table are checked against
    /// it), so a diagnostic cannot carry a code that is not here.
    enum Code: String, CaseIterable, Sendable {
        case awardBasis = "award-basis"
        case awardUnreachable = "award-unreachable"
        case badParameter = "bad-parameter"
        case conflictingParameters = "conflicting-parameters"
        case creditsNotPositive = "credits-not-positive"
        case criterionNotLookup = "criterion-not-lookup"
        case duplicateID = "duplicate-id"
        case duplicateParameter = "duplicate-parameter"
        case duplicateRank = "duplicate-rank"
        case duplicateSmallField = "duplicate-small-field"
        case gradeAboveMax = "grade-above-max"
        case kindMismatch = "kind-mismatch"
        case levelsOutOfOrder = "levels-out-of-order"
        case maxMismatch = "max-mismatch"
        case maxNotPositive = "max-not-positive"
        case minNotBelowMax = "min-not-below-max"
        case minScoreWithoutComponent = "min-score-without-component"
        case missingParameter = "missing-parameter"
        case negativeValue = "negative-value"
        case numberTooLarge = "number-too-large"
        case passAboveMax = "pass-above-max"
        case productAboveMax = "product-above-max"
        case quotasExceed100 = "quotas-exceed-100"
        case recognitionCycle = "recognition-cycle"
        case requirementReused = "requirement-reused"
        case ruleNeverFires = "rule-never-fires"
        case scaleMismatch = "scale-mismatch"
        case scorerNeedsChildren = "scorer-needs-children"
        case scorerTakesNoChildren = "scorer-takes-no-children"
        case smallFieldTooMany = "small-field-too-many"
        case sourceCycle = "source-cycle"
        case standardisationMissing = "standardisation-missing"
        case testsInCourse = "tests-in-course"
        case transferWithoutGrade = "transfer-without-grade"
        case unknownAward = "unknown-award"
        case unknownCertificate = "unknown-certificate"
        case unknownCompetition = "unknown-competition"
        case unknownComponent = "unknown-component"
        case unknownCourse = "unknown-course"
        case unknownLevel = "unknown-level"
        case unknownNode = "unknown-node"
        case unknownParameter = "unknown-parameter"
        case unknownRequirement = "unknown-requirement"
        case unknownScorer = "unknown-scorer"
        case weightIgnored = "weight-ignored"
        case weightMissing = "weight-missing"
        case weightsSum = "weights-sum"
    }
    let program: Program
    /// Plugin scorers by id, with the plugin that offers each.
    let pluginScorers: [String: (plugin: String, signature: ScorerSignature)]
    private(set) var diagnostics: [Diagnostic] = []
    private let courses: [String: Course]
    private let competitions: [String: Competition]
    private let certificates: [String: Certificate]

    init(program: Program, plugins: [PluginManifest]) {
        self.program = program
        // First definition wins, as duplicates are reported separately.
        self.courses = Dictionary(program.courses.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.competitions = Dictionary(program.competitions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.certificates = Dictionary(program.certificates.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var scorers: [String: (String, ScorerSignature)] = [:]
        for manifest in plugins {
            for s in manifest.scorers where scorers[s.id] == nil { scorers[s.id] = (manifest.name, s) }
        }
        self.pluginScorers = scorers
    }

    mutating func run() -> [Diagnostic] {
        checkIdentities()
        checkRequirementReferences()
        for course in program.courses { checkCourse(course) }
        for competition in program.competitions { checkCompetition(competition) }
        for certificate in program.certificates { checkCertificate(certificate) }
        if let recognition = program.recognition { checkRecognition(recognition) }
        return diagnostics
    }

    private mutating func error(_ code: Code, _ message: String, hint: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.error, code.rawValue, message, hint: hint, at: location))
    }

    private mutating func warning(_ code: Code, _ message: String, hint: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.warning, code.rawValue, message, hint: hint, at: location))
    }

    // MARK: - Identities

    private mutating func checkIdentities() {
        var seen: [String: (what: String, location: SourceLocation)] = [:]
        var requirementPost: [String: (post: String, location: SourceLocation)] = [:]
        func register(_ id: String, _ what: String, _ origin: Origin, into diagnostics: inout [Diagnostic]) {
            guard !id.isEmpty else { return }
            if let first = seen[id] {
                diagnostics.append(
                    Diagnostic(
                        .error, Code.duplicateID.rawValue, "the id '\(id)' of this \(what) is already used by the \(first.what) on line \(first.location.line)",
                        hint: "ids of posts, requirements, courses, competitions, certificates and rules must be unique in the program; rename one",
                        at: origin.at("id")))
            } else {
                seen[id] = (what, origin.at("id"))
            }
        }
        for post in program.posts {
            register(post.id, "post", post.origin, into: &diagnostics)
            for r in post.requirements {
                if let first = requirementPost[r.id], first.post != post.id {
                    error(
                        .requirementReused,
                        "requirement '\(r.id)' is already a requirement of post '\(first.post)' (line \(first.location.line))",
                        hint: "a requirement belongs to one post; give this one its own id, or map both posts' courses to the existing one",
                        at: r.origin.at("id"))
                    continue
                }
                requirementPost[r.id] = (post.id, r.origin.at("id"))
                register(r.id, "requirement", r.origin, into: &diagnostics)
            }
        }
        for c in program.courses { register(c.id, "course", c.origin, into: &diagnostics) }
        for c in program.competitions { register(c.id, "competition", c.origin, into: &diagnostics) }
        for c in program.certificates { register(c.id, "certificate", c.origin, into: &diagnostics) }
        for r in program.recognition?.rules ?? [] { register(r.id, "rule", r.origin, into: &diagnostics) }
    }

    private mutating func checkRequirementReferences() {
        let known = Set(program.requirements.map(\.id))
        var refs: [RequirementRef] = []
        for c in program.courses {
            refs += c.covers
            c.assessment.forEachNode { refs += $0.tests }
        }
        for c in program.competitions { c.root.forEachNode { refs += $0.tests } }
        for c in program.certificates { refs += c.attests + c.components.flatMap(\.attests) }
        for ref in refs where !known.contains(ref.requirement) {
            error(
                .unknownRequirement, "no post has a requirement '\(ref.requirement)'",
                hint: Suggest.hint(for: ref.requirement, among: known, otherwise: "add it to a <post>, or fix the id"),
                at: ref.origin.at("requirement"))
        }
    }

    // MARK: - Courses and scoring trees

    private mutating func checkCourse(_ course: Course) {
        if course.credits <= 0 {
            error(
                .creditsNotPositive, "course '\(course.id)' has \(course.credits.plainText) credits",
                hint: "credits must be greater than 0", at: course.origin.at("credits"))
        }
        if course.pass < 0 {
            error(
                .negativeValue, "course '\(course.id)' has a negative pass mark (\(course.pass.plainText))",
                hint: "a pass mark is 0 or more, on the scale of the assessment", at: course.origin.at("pass"))
        }
        checkTree(course.assessment, owner: "course '\(course.id)'", inCompetition: false)
        let max = course.assessment.max
        if max > 0, course.pass > max {
            error(
                .passAboveMax,
                "course '\(course.id)' has pass mark \(course.pass.plainText) but its assessment '\(course.assessment.id)' scores at most \(max.plainText)",
                hint: "the pass mark is on the scale of the assessment's top node; lower it or raise that node's max",
                at: course.origin.at("pass"))
        }
    }

    private mutating func checkTree(_ root: ScoringNode, owner: String, inCompetition: Bool) {
        var firstLine: [String: Int] = [:]
        var duplicates: [Diagnostic] = []
        root.forEachNode { node in
            guard !node.id.isEmpty else { return }
            if let line = firstLine[node.id] {
                duplicates.append(
                    Diagnostic(
                        .error, Code.duplicateID.rawValue, "node id '\(node.id)' is used twice in \(owner) (first on line \(line))",
                        hint: "evidence names nodes by id, so node ids must be unique within a course or competition",
                        at: node.origin.at("id")))
            } else {
                firstLine[node.id] = node.origin.element.line
            }
        }
        diagnostics += duplicates
        let ids = Set(firstLine.keys)
        checkNode(root, parent: nil, owner: owner, ids: ids, inCompetition: inCompetition)
    }

    private mutating func checkNode(
        _ node: ScoringNode, parent: ScoringNode?, owner: String, ids: Set<String>, inCompetition: Bool
    ) {
        let label = "node '\(node.id)'"
        if node.max <= 0 {
            error(
                .maxNotPositive, "\(label) has max=\"\(node.max.plainText)\"",
                hint: "a node's max is the most it can score and must be greater than 0", at: node.origin.at("max"))
        }
        if let min = node.min, node.max > 0, min >= node.max {
            error(
                .minNotBelowMax, "\(label) has min=\"\(min.plainText)\", not below its max of \(node.max.plainText)",
                hint: "min is the lowest score the node can give; it must be below max", at: node.origin.at("min"))
        }
        if let gate = node.mustReach, node.max > 0, gate > node.max {
            error(
                .passAboveMax, "\(label) must reach \(gate.plainText), but scores at most \(node.max.plainText)",
                hint: "lower must-reach or raise max", at: node.origin.at("must-reach"))
        }
        if !node.scorer.isPlugin, node.scorer.name == "sum", !node.children.isEmpty, node.max > 0 {
            let total = node.children.reduce(Decimal(0)) { $0 + $1.max }
            if total != node.max {
                warning(
                    .maxMismatch,
                    "\(label) sums children whose maxima add up to \(total.plainText), but its own max is \(node.max.plainText)",
                    hint: total > node.max
                        ? "a candidate could score above the max; set max=\"\(total.plainText)\" or lower the children's"
                        : "full marks on every child would still fall short of the max; set max=\"\(total.plainText)\"",
                    at: node.origin.at("max"))
            }
        }
        for (attribute, value) in [("max", node.max), ("min", node.min), ("weight", node.weight), ("must-reach", node.mustReach)] {
            guard let value, Exact(value).isTooLarge else { continue }
            error(
                .numberTooLarge, "\(label) has \(attribute)=\"\(value.plainText)\", outside ±9223372036854775807, the range of numbers Assay scores with",
                hint: "use a smaller unit (thousands, or a percentage) so that scores stay below 9223372036854775807",
                at: node.origin.at(attribute))
        }
        if !node.scorer.isPlugin, node.scorer.name == "product", !node.children.isEmpty, node.max > 0 {
            let factor = node.parameter("factor").flatMap { Decimal(plainText: $0) } ?? 1
            let highest = node.children.reduce(factor) { $0 * $1.max }
            if highest > node.max {
                let parts = node.children.map { "\($0.id) \($0.max.plainText)" }.joined(separator: " × ")
                    + (factor != 1 ? " × factor \(factor.plainText)" : "")
                let beyond = Exact(highest).isTooLarge
                warning(
                    .productAboveMax,
                    "\(label) multiplies children whose maxima give up to \(highest.plainText) (\(parts)), above its own max of \(node.max.plainText)",
                    hint: beyond
                        ? "a candidate could score above the max, and a product beyond 9223372036854775807 makes the outcome incomplete (number too large); lower the children's max or the factor"
                        : "a candidate could score above the max; set max=\"\(highest.plainText)\" or lower the children's max or the factor",
                    at: node.origin.at("max"))
            }
        }
        if !node.scorer.isPlugin, node.scorer.name == "judgement-panel", node.parameter("scale") == nil, node.max > 3 {
            let max = node.max.plainText
            warning(
                .scaleMismatch,
                "\(label) is a judges' panel scored out of \(max), but gives no scale, so each judge marks from 0 to 3 (the default) and any higher mark is refused",
                hint: "if judges mark out of \(max), add <param name=\"scale\" value=\"\(max)\"/>; if they mark 0 to 3, add <param name=\"scale\" value=\"3\"/> to say so",
                at: node.origin.at("max"))
        }
        if !inCompetition {
            for ref in node.tests {
                warning(
                    .testsInCourse,
                    "node '\(node.id)' of \(owner) says it tests requirement '\(ref.requirement)', but only a competition's <tests> count in the integration matrix",
                    hint: "a course names what it teaches with <covers requirement=\"\(ref.requirement)\"/> on the course itself; move it there, or delete this <tests>",
                    at: ref.origin.element)
            }
        }
        checkWeight(node, parent: parent)
        checkScorer(node, ids: ids)
        if let kind = node.kind {
            let panelScorer = !node.scorer.isPlugin && ["judgement-panel", "trimmed-mean"].contains(node.scorer.name)
            if kind == .measurement && panelScorer {
                warning(
                    .kindMismatch, "\(label) is a measurement aspect but is scored by \(node.scorer.name), a judges' panel",
                    hint: "write kind=\"judgement\" for aspects a panel of judges marks", at: node.origin.at("kind"))
            } else if kind == .judgement && !node.scorer.isPlugin && node.scorer.name == "tolerance" {
                warning(
                    .kindMismatch, "\(label) is a judgement aspect but is scored by tolerance, a measurement",
                    hint: "write kind=\"measurement\" for aspects measured against a reference", at: node.origin.at("kind"))
            }
        }
        for child in node.children {
            checkNode(child, parent: node, owner: owner, ids: ids, inCompetition: inCompetition)
        }
    }

    private mutating func checkWeight(_ node: ScoringNode, parent: ScoringNode?) {
        let weighted = parent.map { !$0.scorer.isPlugin && $0.scorer.name == "weighted-mean" } ?? false
        if weighted {
            if let w = node.weight, w <= 0 {
                error(
                    .weightsSum, "node '\(node.id)' has weight \(w.plainText)",
                    hint: "weights are percentages greater than 0", at: node.origin.at("weight"))
            }
        } else if node.weight != nil, parent.map({ $0.scorer.isPlugin || BuiltinScorers.signature($0.scorer.name) != nil }) ?? true {
            // (Under an unknown scorer the weights may well be meant: that scorer is reported instead.)
            let why = parent.map { "its parent '\($0.id)' is scored by \($0.scorer), which does not use weights" }
                ?? "it is the top node"
            warning(.weightIgnored, "the weight of node '\(node.id)' is ignored: \(why)",
                hint: "remove the weight, or score the parent with weighted-mean", at: node.origin.at("weight"))
        }
        // The parent checks the sum once, when it is itself checked.
        guard !node.scorer.isPlugin, node.scorer.name == "weighted-mean", !node.children.isEmpty else { return }
        let unweighted = node.children.filter { $0.weight == nil }
        for child in unweighted {
            error(
                .weightMissing, "node '\(child.id)' has no weight, but its parent '\(node.id)' is a weighted mean",
                hint: "give every child of '\(node.id)' a weight (percent; together 100)", at: child.origin.element)
        }
        if unweighted.isEmpty {
            let total = node.children.reduce(Decimal(0)) { $0 + ($1.weight ?? 0) }
            if total != 100 {
                let parts = node.children.map { "\($0.id) \(($0.weight ?? 0).plainText)" }.joined(separator: " + ")
                error(
                    .weightsSum, "the weights under node '\(node.id)' add up to \(total.plainText), not 100 (\(parts))",
                    hint: total < 100
                        ? "the weights are \((100 - total).plainText) short of 100; adjust them so that they total 100"
                        : "the weights are \((total - 100).plainText) over 100; adjust them so that they total 100",
                    at: node.origin.at("scorer"))
            }
        }
    }

    private mutating func checkScorer(_ node: ScoringNode, ids: Set<String>) {
        let label = "node '\(node.id)'"
        let signature: ScorerSignature
        if node.scorer.isPlugin {
            guard let found = pluginScorers[node.scorer.name] else {
                let offered = Set(pluginScorers.keys)
                error(
                    .unknownScorer, "no installed plugin offers the scorer '\(node.scorer.name)' named by \(label)",
                    hint: Suggest.hint(
                        for: node.scorer.name, among: offered,
                        otherwise: offered.isEmpty
                            ? "no plugins were found; install the plugin under plugins/ or pass --plugins DIR"
                            : "installed plugins offer: " + offered.sorted().joined(separator: ", ")),
                    at: node.origin.at("scorer"))
                return
            }
            signature = found.signature
            if !node.children.isEmpty {
                error(
                    .scorerTakesNoChildren,
                    "\(label) is scored by plugin:\(node.scorer.name), which reads evidence and cannot combine child nodes",
                    hint: "move the children under a node scored by an aggregating scorer (sum, weighted-mean, …)",
                    at: node.origin.at("scorer"))
            }
        } else {
            guard let found = BuiltinScorers.signature(node.scorer.name) else {
                error(
                    .unknownScorer, "\(label) names the scorer '\(node.scorer.name)', which Assay does not have",
                    hint: Suggest.hint(
                        for: node.scorer.name, among: Set(BuiltinScorers.all.map(\.id)),
                        otherwise: "built-in scorers: " + BuiltinScorers.all.map(\.id).joined(separator: ", ")
                            + "; a plugin scorer is written plugin:NAME"),
                    at: node.origin.at("scorer"))
                return
            }
            signature = found
            switch signature.placement {
            case .leaf where !node.children.isEmpty:
                error(
                    .scorerTakesNoChildren,
                    "\(label) has child nodes, but \(signature.id) reads evidence and does not combine children",
                    hint: "score '\(node.id)' with an aggregating scorer (sum, weighted-mean, …) or remove its children",
                    at: node.origin.at("scorer"))
            case .inner where node.children.isEmpty:
                error(
                    .scorerNeedsChildren, "\(label) is scored by \(signature.id), which combines child nodes, but it has none",
                    hint: "add the child nodes it combines, or use a scorer that reads evidence (value, judgement-panel, …)",
                    at: node.origin.at("scorer"))
            default: break
            }
            if signature.id == "rubric-levels" {
                for child in node.children where child.scorer.isPlugin || child.scorer.name != "lookup" {
                    error(
                        .criterionNotLookup,
                        "criterion '\(child.id)' of rubric '\(node.id)' is scored by \(child.scorer), not lookup",
                        hint: "each rubric criterion is a lookup node whose table gives the points of each level",
                        at: child.origin.at("scorer"))
                }
            }
        }
        checkParameters(node, signature: signature, ids: ids)
    }

    private mutating func checkParameters(_ node: ScoringNode, signature: ScorerSignature, ids: Set<String>) {
        let scorerName = node.scorer.description
        var given: [String: Parameter] = [:]
        for p in node.parameters {
            if given[p.name] != nil {
                error(
                    .duplicateParameter, "parameter '\(p.name)' is given twice for node '\(node.id)'",
                    hint: "keep one <param name=\"\(p.name)\"/>", at: p.origin.at("name"))
                continue
            }
            given[p.name] = p
            guard let spec = signature.parameter(p.name) else {
                let takes = signature.parameters.map(\.name)
                error(
                    .unknownParameter, "\(scorerName) does not take a parameter '\(p.name)' (node '\(node.id)')",
                    hint: Suggest.hint(
                        for: p.name, among: Set(takes),
                        otherwise: takes.isEmpty
                            ? "\(scorerName) takes no parameters" : "\(scorerName) takes: " + takes.joined(separator: ", ")),
                    at: p.origin.at("name"))
                continue
            }
            if let problem = spec.type.problem(with: p.value) {
                error(
                    .badParameter, "parameter '\(p.name)' of node '\(node.id)': \(problem)",
                    hint: "\(p.name) is \(spec.type.description)", at: p.origin.at("value"))
            } else if let beyond = spec.type.numbersOutOfRange(in: p.value).first {
                // The engine would refuse every outcome of this node; a rubric with it never scores.
                let what = spec.type == .decimal ? "is \(beyond)" : "has \(beyond)"
                error(
                    .numberTooLarge,
                    "parameter '\(p.name)' of node '\(node.id)' \(what), outside ±9223372036854775807, the range of numbers Assay scores with",
                    hint: "use a smaller unit (thousands, or a percentage) so that every number stays within ±9223372036854775807",
                    at: p.origin.at("value"))
            } else if !node.scorer.isPlugin, node.scorer.name == "value", p.name == "scale-from",
                let v = Decimal(plainText: p.value), v <= 0
            {
                // The value is divided by it.
                error(
                    .badParameter, "parameter 'scale-from' of node '\(node.id)' is \(v.plainText); values are rescaled from 0…scale-from, so it must be greater than 0",
                    hint: "give the top of the scale the value is recorded on (e.g. 150)", at: p.origin.at("value"))
            } else if case .node = spec.type, p.value.trimmingCharacters(in: .whitespaces) == node.id {
                error(
                    .sourceCycle, "parameter '\(p.name)' of node '\(node.id)' names the node itself",
                    hint: "name the node whose recorded value this one reuses", at: p.origin.at("value"))
            } else if case .node = spec.type, !ids.contains(p.value.trimmingCharacters(in: .whitespaces)) {
                error(
                    .unknownNode, "parameter '\(p.name)' of node '\(node.id)' names node '\(p.value)', which is not in this scoring tree",
                    hint: Suggest.hint(for: p.value, among: ids, otherwise: "name a node of the same course or competition"),
                    at: p.origin.at("value"))
            }
        }
        for spec in signature.parameters where spec.required && given[spec.name] == nil {
            error(
                .missingParameter, "node '\(node.id)' is scored by \(scorerName), which needs the parameter '\(spec.name)'",
                hint: "add <param name=\"\(spec.name)\" value=\"…\"/>: \(spec.summary) (\(spec.type.description))",
                at: node.origin.at("scorer"))
        }
        for group in signature.exclusive {
            let present = group.filter { given[$0] != nil }
            if present.count > 1, let second = given[present[1]] {
                error(
                    .conflictingParameters, "node '\(node.id)' gives both \(present.joined(separator: " and ")); \(scorerName) takes one of them",
                    hint: "keep only one of: \(group.joined(separator: ", "))", at: second.origin.at("name"))
            }
        }
    }

    // MARK: - Competitions

    private mutating func checkCompetition(_ competition: Competition) {
        checkTree(competition.root, owner: "competition '\(competition.id)'", inCompetition: true)
        var ids = Set<String>()
        competition.root.forEachNode { ids.insert($0.id) }
        for by in competition.tieBreak where !ids.contains(by.node) {
            error(
                .unknownNode, "the tie-break names node '\(by.node)', which competition '\(competition.id)' does not have",
                hint: Suggest.hint(for: by.node, among: ids, otherwise: "name a node of this competition's scoring tree"),
                at: by.origin.at("node"))
        }
        guard let scheme = competition.awards else { return }
        var awardLines: [String: Int] = [:]
        var quotaTotal = Decimal(0)
        for award in scheme.awards {
            if let line = awardLines[award.id] {
                error(
                    .duplicateID, "award '\(award.id)' is defined twice in competition '\(competition.id)' (first on line \(line))",
                    hint: "rename one of them", at: award.origin.at("id"))
            } else {
                awardLines[award.id] = award.origin.element.line
            }
            let bases = [award.quotaPercent, award.minScore, award.minStandardised].compactMap { $0 }.count
                + (award.place == nil ? 0 : 1)
            if bases != 1 {
                error(
                    .awardBasis,
                    bases == 0
                        ? "award '\(award.id)' says neither a place, a quota nor a threshold"
                        : "award '\(award.id)' gives \(bases) ways of awarding it; give exactly one",
                    hint: "use one of place (rank that earns it), quota-percent (share of entrants with a result), min-score or min-standardised",
                    at: award.origin.at("id"))
            }
            if let q = award.quotaPercent { quotaTotal += q }
            if award.minStandardised != nil, competition.standardisation == nil {
                error(
                    .standardisationMissing,
                    "award '\(award.id)' has a min-standardised threshold but competition '\(competition.id)' has no <standardise>",
                    hint: "add <standardise method=\"median-centred\" centre=\"700\" spread=\"100\"/> after <awards>, or use min-score",
                    at: award.origin.at("min-standardised"))
            }
            if let m = award.minScore, competition.root.max > 0, m > competition.root.max {
                error(
                    .awardUnreachable,
                    "award '\(award.id)' needs a score of \(m.plainText), above the competition's maximum of \(competition.root.max.plainText)",
                    hint: "lower min-score to at most \(competition.root.max.plainText)", at: award.origin.at("min-score"))
            }
        }
        if quotaTotal > 100 {
            error(
                .quotasExceed100, "the award quotas of competition '\(competition.id)' add up to \(quotaTotal.plainText) %",
                hint: "quota percentages share one field of entrants and may total at most 100", at: scheme.origin.element)
        }
        var fieldLines: [Int: Int] = [:]
        for field in scheme.smallFields {
            if let line = fieldLines[field.maxEntrants] {
                error(
                    .duplicateSmallField, "another small-field rule is for fields of up to \(field.maxEntrants) entrants (first on line \(line))",
                    hint: "keep one rule per field size", at: field.origin.at("max-entrants"))
            } else {
                fieldLines[field.maxEntrants] = field.origin.element.line
            }
            var total = 0
            for grant in field.grants {
                total += grant.count
                if scheme.rank(of: grant.award) == nil {
                    error(
                        .unknownAward, "the small-field rule grants award '\(grant.award)', which competition '\(competition.id)' does not have",
                        hint: Suggest.hint(for: grant.award, among: Set(scheme.awards.map(\.id)), otherwise: "name one of its awards"),
                        at: grant.origin.at("award"))
                }
            }
            if total > field.maxEntrants {
                error(
                    .smallFieldTooMany, "the small-field rule for up to \(field.maxEntrants) entrants grants \(total) awards",
                    hint: "grant at most as many awards as there are entrants", at: field.origin.element)
            }
        }
    }

    // MARK: - Certificates

    private mutating func checkCertificate(_ certificate: Certificate) {
        // The exam is scored as the sum of its components: that sum must fit too.
        let examMax = certificate.components.reduce(Decimal(0)) { $0 + $1.max }
        if Exact(examMax).isTooLarge, certificate.components.allSatisfy({ !Exact($0.max).isTooLarge }) {
            error(
                .numberTooLarge,
                "the components of certificate '\(certificate.id)' add up to \(examMax.plainText), outside ±9223372036854775807, the range of numbers Assay scores with",
                hint: "use a smaller unit (thousands, or a percentage) so that scores stay below 9223372036854775807",
                at: certificate.origin.element)
        }
        var levelLines: [String: Int] = [:]
        var rankLines: [Int: Int] = [:]
        var previousRank = Int.min
        for level in certificate.levels {
            if let line = levelLines[level.id] {
                error(
                    .duplicateID, "level '\(level.id)' appears again in certificate '\(certificate.id)' (first on line \(line))",
                    hint: "rename one of them", at: level.origin.at("id"))
            } else {
                levelLines[level.id] = level.origin.element.line
            }
            if let line = rankLines[level.rank] {
                error(
                    .duplicateRank, "level '\(level.id)' has rank \(level.rank), like the level on line \(line) of certificate '\(certificate.id)'",
                    hint: "levels are ordered by rank (junior 1, intermediate 2, senior 3); give each its own rank",
                    at: level.origin.at("rank"))
            } else if level.rank < previousRank {
                warning(
                    .levelsOutOfOrder, "level '\(level.id)' (rank \(level.rank)) is listed after a higher level",
                    hint: "list levels from lowest to highest rank so the file reads in order", at: level.origin.at("rank"))
            }
            rankLines[level.rank] = rankLines[level.rank] ?? level.origin.element.line
            previousRank = Swift.max(previousRank, level.rank)
        }
        var componentLines: [String: Int] = [:]
        for component in certificate.components {
            if let line = componentLines[component.id] {
                error(
                    .duplicateID, "component '\(component.id)' appears again in certificate '\(certificate.id)' (first on line \(line))",
                    hint: "rename one of them", at: component.origin.at("id"))
            } else {
                componentLines[component.id] = component.origin.element.line
            }
            if Exact(component.max).isTooLarge {
                error(
                    .numberTooLarge,
                    "component '\(component.id)' has max=\"\(component.max.plainText)\", outside ±9223372036854775807, the range of numbers Assay scores with",
                    hint: "use a smaller unit (thousands, or a percentage) so that scores stay below 9223372036854775807",
                    at: component.origin.at("max"))
            } else if component.max <= 0 {
                error(
                    .maxNotPositive, "component '\(component.id)' has max=\"\(component.max.plainText)\"",
                    hint: "a component's max must be greater than 0", at: component.origin.at("max"))
            } else if component.pass < 0 {
                error(
                    .negativeValue, "component '\(component.id)' has a negative pass mark (\(component.pass.plainText))",
                    hint: "a pass mark is 0 or more", at: component.origin.at("pass"))
            } else if component.pass > component.max {
                error(
                    .passAboveMax,
                    "component '\(component.id)' has pass mark \(component.pass.plainText) above its max of \(component.max.plainText)",
                    hint: "lower the pass mark or raise max", at: component.origin.at("pass"))
            }
        }
    }

    // MARK: - Recognition

    private mutating func checkRecognition(_ recognition: Recognition) {
        if let cap = recognition.maxCredits, cap <= 0 {
            error(
                .creditsNotPositive, "max-credits is \(cap.plainText)", hint: "the cap must be greater than 0, or leave it out",
                at: recognition.origin.at("max-credits"))
        }
        var grantsFrom: [String: Set<String>] = [:]  // course required → courses granted
        for rule in recognition.rules {
            for condition in rule.condition.flattened { checkCondition(condition, rule: rule) }
            checkGrant(rule)
            if let granted = rule.grant.course {
                // Only conditions the rule always needs (not one alternative of an <any>).
                for case .course(let ref, _, let origin) in rule.condition.required {
                    if ref == granted {
                        error(
                            .ruleNeverFires,
                            "rule '\(rule.id)' grants credit for course '\(granted)' only to candidates who already have a result in it",
                            hint: "a rule cannot require the course it grants; base it on a certificate, an award or another course",
                            at: origin.at("ref"))
                    } else {
                        grantsFrom[ref, default: []].insert(granted)
                    }
                }
            }
        }
        checkRecognitionCycles(grantsFrom, rules: recognition.rules)
    }

    private mutating func checkCondition(_ condition: Condition, rule: RecognitionRule) {
        switch condition {
        case .certificate(let ref, let atLeast, _, let componentID, let minScore, let origin):
            guard let certificate = certificates[ref] else {
                error(
                    .unknownCertificate, "rule '\(rule.id)' names certificate '\(ref)', which the program does not define",
                    hint: Suggest.hint(for: ref, among: Set(program.certificates.map(\.id)), otherwise: "define it with <certificate>"),
                    at: origin.at("ref"))
                return
            }
            if let atLeast, certificate.level(atLeast) == nil {
                error(
                    .unknownLevel, "certificate '\(ref)' has no level '\(atLeast)' (rule '\(rule.id)')",
                    hint: Suggest.hint(for: atLeast, among: Set(certificate.levels.map(\.id)),
                        otherwise: "its levels: " + certificate.levels.map(\.id).joined(separator: ", ")),
                    at: origin.at("at-least"))
            }
            if let componentID {
                if let component = certificate.component(componentID) {
                    if let minScore, minScore > component.max {
                        error(
                            .ruleNeverFires,
                            "rule '\(rule.id)' needs \(minScore.plainText) in component '\(componentID)', which scores at most \(component.max.plainText)",
                            hint: "lower min-score to at most \(component.max.plainText)", at: origin.at("min-score"))
                    }
                } else {
                    error(
                        .unknownComponent, "certificate '\(ref)' has no component '\(componentID)' (rule '\(rule.id)')",
                        hint: Suggest.hint(for: componentID, among: Set(certificate.components.map(\.id)),
                            otherwise: "its components: " + certificate.components.map(\.id).joined(separator: ", ")),
                        at: origin.at("component"))
                }
            } else if minScore != nil {
                error(
                    .minScoreWithoutComponent, "rule '\(rule.id)' gives min-score for certificate '\(ref)' without saying which component",
                    hint: "add component=\"…\" to say which exam component's score counts", at: origin.at("min-score"))
            }
        case .award(let competitionID, let atLeast, _, let origin):
            guard let competition = competitions[competitionID] else {
                error(
                    .unknownCompetition, "rule '\(rule.id)' names competition '\(competitionID)', which the program does not define",
                    hint: Suggest.hint(for: competitionID, among: Set(program.competitions.map(\.id)), otherwise: "define it with <competition>"),
                    at: origin.at("competition"))
                return
            }
            guard let scheme = competition.awards, !scheme.awards.isEmpty else {
                error(
                    .ruleNeverFires, "rule '\(rule.id)' needs an award in competition '\(competitionID)', which gives no awards",
                    hint: "add an <awards> scheme to the competition, or change the condition", at: origin.at("competition"))
                return
            }
            if scheme.rank(of: atLeast) == nil {
                error(
                    .unknownAward, "competition '\(competitionID)' has no award '\(atLeast)' (rule '\(rule.id)')",
                    hint: Suggest.hint(for: atLeast, among: Set(scheme.awards.map(\.id)),
                        otherwise: "its awards: " + scheme.awards.map(\.id).joined(separator: ", ")),
                    at: origin.at("at-least"))
            }
        case .course(let ref, let minScore, let origin):
            guard let course = courses[ref] else {
                error(
                    .unknownCourse, "rule '\(rule.id)' names course '\(ref)', which the program does not define",
                    hint: Suggest.hint(for: ref, among: Set(program.courses.map(\.id)), otherwise: "define it with <course>"),
                    at: origin.at("ref"))
                return
            }
            if let minScore, course.assessment.max > 0, minScore > course.assessment.max {
                error(
                    .ruleNeverFires,
                    "rule '\(rule.id)' needs \(minScore.plainText) in course '\(ref)', which scores at most \(course.assessment.max.plainText)",
                    hint: "lower min-score to at most \(course.assessment.max.plainText)", at: origin.at("min-score"))
            }
        case .all, .any:
            break
        }
    }

    private mutating func checkGrant(_ rule: RecognitionRule) {
        switch rule.grant {
        case .exemptCourse(let ref, let origin):
            if courses[ref] == nil {
                error(
                    .unknownCourse, "rule '\(rule.id)' exempts course '\(ref)', which the program does not define",
                    hint: Suggest.hint(for: ref, among: Set(program.courses.map(\.id)), otherwise: "define it with <course>"),
                    at: origin.at("ref"))
            }
        case .transferCredit(let courseID, let grade, let map, let origin):
            guard let course = courses[courseID] else {
                error(
                    .unknownCourse, "rule '\(rule.id)' transfers credit to course '\(courseID)', which the program does not define",
                    hint: Suggest.hint(for: courseID, among: Set(program.courses.map(\.id)), otherwise: "define it with <course>"),
                    at: origin.at("course"))
                return
            }
            if grade == nil && map.isEmpty {
                error(
                    .transferWithoutGrade, "rule '\(rule.id)' transfers credit to '\(courseID)' but says no grade",
                    hint: "add grade=\"…\" or <map … grade=\"…\"/> entries", at: origin.element)
            }
            let top = course.assessment.max
            for (g, at) in [(grade, origin.at("grade"))] + map.map({ ($0.grade, $0.origin.at("grade")) }) {
                if let g, g < 0 {
                    error(
                        .negativeValue, "rule '\(rule.id)' grants a negative grade (\(g.plainText)) in '\(courseID)'",
                        hint: "grades are 0 or more, on the scale of the course's assessment", at: at)
                }
            }
            for g in [grade].compactMap({ $0 }) where top > 0 && g > top {
                error(
                    .gradeAboveMax, "rule '\(rule.id)' grants grade \(g.plainText) in '\(courseID)', whose maximum is \(top.plainText)",
                    hint: "grades are on the scale of the course's assessment", at: origin.at("grade"))
            }
            let conditions = rule.condition.flattened
            let ruleCompetitions = conditions.compactMap { c -> Competition? in
                if case .award(let id, _, _, _) = c { return competitions[id] } else { return nil }
            }
            let ruleCertificates = conditions.compactMap { c -> Certificate? in
                if case .certificate(let id, _, _, _, _, _) = c { return certificates[id] } else { return nil }
            }
            for entry in map {
                if top > 0 && entry.grade > top {
                    error(
                        .gradeAboveMax, "rule '\(rule.id)' maps to grade \(entry.grade.plainText) in '\(courseID)', whose maximum is \(top.plainText)",
                        hint: "grades are on the scale of the course's assessment", at: entry.origin.at("grade"))
                }
                if let award = entry.award {
                    let known = Set(ruleCompetitions.flatMap { $0.awards?.awards.map(\.id) ?? [] })
                    if !known.contains(award) {
                        error(
                            .unknownAward, "the grade map names award '\(award)', which no competition in rule '\(rule.id)' gives",
                            hint: Suggest.hint(for: award, among: known, otherwise: "map awards of the competition the rule's <award> condition names"),
                            at: entry.origin.at("award"))
                    }
                }
                if let level = entry.level {
                    let known = Set(ruleCertificates.flatMap { $0.levels.map(\.id) })
                    if !known.contains(level) {
                        error(
                            .unknownLevel, "the grade map names level '\(level)', which no certificate in rule '\(rule.id)' has",
                            hint: Suggest.hint(for: level, among: known, otherwise: "map levels of the certificate the rule's <certificate> condition names"),
                            at: entry.origin.at("level"))
                    }
                }
            }
        case .exemptComponent(let certificateID, let componentID, let origin):
            guard let certificate = certificates[certificateID] else {
                error(
                    .unknownCertificate, "rule '\(rule.id)' exempts a component of certificate '\(certificateID)', which the program does not define",
                    hint: Suggest.hint(for: certificateID, among: Set(program.certificates.map(\.id)), otherwise: "define it with <certificate>"),
                    at: origin.at("certificate"))
                return
            }
            if certificate.component(componentID) == nil {
                error(
                    .unknownComponent, "certificate '\(certificateID)' has no component '\(componentID)' (rule '\(rule.id)')",
                    hint: Suggest.hint(for: componentID, among: Set(certificate.components.map(\.id)),
                        otherwise: "its components: " + certificate.components.map(\.id).joined(separator: ", ")),
                    at: origin.at("component"))
            }
        }
    }

    /// Course A's result grants course B and B's result grants A: neither can be the first to fire.
    private mutating func checkRecognitionCycles(_ edges: [String: Set<String>], rules: [RecognitionRule]) {
        var reported = Set<String>()
        for start in edges.keys.sorted() {
            // Depth-first search for a path back to `start`.
            var stack: [(String, [String])] = [(start, [start])]
            var visited = Set<String>()
            while let (current, path) = stack.popLast() {
                for next in (edges[current] ?? []).sorted() {
                    if next == start {
                        let cycle = path + [start]
                        let key = Set(cycle).sorted().joined(separator: ",")
                        guard reported.insert(key).inserted else { continue }
                        let rule = rules.first { $0.grant.course == start } ?? rules[0]
                        warning(
                            .recognitionCycle,
                            "recognition rules go round in a circle: " + cycle.joined(separator: " → "),
                            hint: "recognition does not chain: credit granted by one rule never satisfies another rule's course condition, so each rule needs a real result in its course; if that is what you mean, ignore this",
                            at: rule.origin.at("id"))
                    } else if visited.insert(next).inserted {
                        stack.append((next, path + [next]))
                    }
                }
            }
        }
    }
}
