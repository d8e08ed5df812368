public import AssayEngine
public import AssayModel
import AssayRecognition
import AssayResults
import Foundation

/// What a rubric change does to real people: scores the same candidates' evidence under two versions of a
/// program and collects everything that changes for someone.
///
/// Which changes can explain what is decided by their ``RubricChange/element`` and ``RubricChange/aspect``,
/// never by their words:
///
/// - **Outcomes**: a course's, competition's or certificate's score (as published, with the rubric's
///   rounding), pass/fail and complete/incomplete. Why: the course, competition or certificate added or
///   removed; when a score in its tree moved, the scoring changes (nodes, weights, scorers, rounding…) at a
///   node whose score changed for this candidate, or at a child of one (a weight lives on the child but
///   changes the parent's score), or, when none is that close, every scoring change in it; when pass and
///   fail swapped, its pass-mark and must-reach changes. `covers`, `tests`, `attests`, credits and award
///   schemes never change a score.
/// - **Standings**: each competition's rank and award per entrant, from the full result sheet of each version
///   (tie-break order, award quotas). Why: the entrant's own total, when it moved, and its outcome's reasons;
///   or, when the entrant's total did not move, that other entrants' totals did; then, when the rank moved,
///   the tie-break changes, and when the award changed, the award scheme's and standardisation changes. With
///   none of these, the competition's scoring changes (they can move a tie-break node's score).
/// - **Recognition**: each rule's decision (granted, refused, superseded, capped; grade and credits), as
///   ``Recognizer`` decides it on the date `asOf`. Why: changes to the rule itself, to a rule that supersedes
///   it, to the credit cap and (when capped) the credits of the courses granted; to what it grants (the course's credits; the certificate component); to what its
///   condition names (a course's changed outcome and that outcome's reasons; a certificate's levels,
///   validity, and for a component condition the component and the certificate's changed outcome; a
///   competition's awards and their order); then the new decision's own reason (`the new decision: …`).
///
/// Candidates are added one at a time (the evidence is streamed); only the competition result sheets keep one
/// light outcome per entrant.
public struct WhatIf {
    public let old: Program
    public let new: Program
    /// The decision date for recognition, `YYYY-MM-DD`.
    public let asOf: String
    public let comparer: RubricComparer
    private let oldEngine: Engine
    private let newEngine: Engine
    private let oldRecognizer: Recognizer
    private let newRecognizer: Recognizer
    private var oldResults: [String: ResultsBuilder] = [:]
    private var newResults: [String: ResultsBuilder] = [:]
    private var outcomeImpacts: [Impact] = []
    private var recognitionImpacts: [Impact] = []
    /// Per competition and candidate, the outcome's reasons (for standings' why).
    private var outcomeWhy: [String: [String]] = [:]
    private var candidateCount = 0

    /// Compares `old` with `new`; `oldScorers`/`newScorers` make plugin scorers for each version's engine.
    public init(
        old: Program, new: Program, asOf: String, oldScorers: (any ScorerProvider)? = nil,
        newScorers: (any ScorerProvider)? = nil
    ) {
        self.old = old
        self.new = new
        self.asOf = asOf
        comparer = RubricComparer(old: old, new: new)
        oldEngine = Engine(program: old, plugins: oldScorers)
        newEngine = Engine(program: new, plugins: newScorers)
        oldRecognizer = Recognizer(program: old, asOf: asOf)
        newRecognizer = Recognizer(program: new, asOf: asOf)
        for c in old.competitions { oldResults[c.id] = ResultsBuilder(program: old, competition: c) }
        for c in new.competitions { newResults[c.id] = ResultsBuilder(program: new, competition: c) }
    }

    /// Lets plugin scorers of both versions start on a batch of candidates before they are added one by one.
    public func prepare(_ candidates: [CandidateEvidence]) {
        oldEngine.prepare(candidates)
        newEngine.prepare(candidates)
    }

    /// Scores one candidate under both versions and keeps what changes.
    public mutating func add(_ candidate: CandidateEvidence) {
        candidateCount += 1
        let before = oldEngine.score(candidate, tree: true)
        let after = newEngine.score(candidate, tree: true)
        let beforeByTarget = Dictionary(before.map { ($0.target, $0) }, uniquingKeysWith: { a, _ in a })
        let afterByTarget = Dictionary(after.map { ($0.target, $0) }, uniquingKeysWith: { a, _ in a })
        var targets = before.map(\.target)
        for o in after where beforeByTarget[o.target] == nil { targets.append(o.target) }
        // The standings take the candidate as `results` does (a repeated candidate is unranked in every
        // competition, even one its repeat has nothing for).
        for key in oldResults.keys { oldResults[key]?.add(candidate, outcomes: before) }
        for key in newResults.keys { newResults[key]?.add(candidate, outcomes: after) }
        var changedOutcomes: [String: ChangedOutcome] = [:]
        for target in targets {
            let a = beforeByTarget[target], b = afterByTarget[target]
            let from = Self.words(a, program: old), to = Self.words(b, program: new)
            guard from != to else { continue }
            let why = reasons(target: target, before: a, after: b)
            changedOutcomes[target] = ChangedOutcome(kind: b?.kind ?? a?.kind ?? .unknown, from: from, to: to, why: why)
            outcomeWhy["\(target)\u{1F}\(candidate.id)"] = why
            outcomeImpacts.append(
                Impact(kind: .outcome, candidate: candidate.id, subject: target, from: from, to: to, why: why))
        }
        compareRecognition(candidate, before: before, after: after, changedOutcomes: changedOutcomes)
    }

    /// Everything that changes, and the rubric changes, in a fixed order: outcomes and recognition in
    /// evidence order (candidates as read, targets as the evidence first names them, rules in rubric order),
    /// standings by competition (rubric order) and by the old rank, then entrants who had no rank.
    public func report() -> DiffReport {
        DiffReport(
            oldProgram: old.id, oldVersion: old.version, newProgram: new.id, newVersion: new.version, asOf: asOf,
            candidates: candidateCount, changes: comparer.changes, wordingChanges: comparer.wordingChanges,
            outcomes: outcomeImpacts, standings: standingImpacts(), recognitions: recognitionImpacts)
    }

    // MARK: - Outcomes

    /// `81.2 pass`, `83.74`, `incomplete (reason; reason)`, `not in the program`.
    static func words(_ o: Outcome?, program: Program) -> String {
        guard let o else { return "no outcome" }
        if o.kind == .unknown { return "not in the program" }
        guard o.status.isComplete, let score = o.shownScore else {
            return "incomplete (" + o.status.reasons.joined(separator: "; ") + ")"
        }
        return score + (o.passed.map { $0 ? " pass" : " fail" } ?? "")
    }

    /// The changes in `target` that explain a changed outcome (see the type's overview).
    private func reasons(target: String, before: Outcome?, after: Outcome?) -> [String] {
        let kinds = [before?.kind, after?.kind].compactMap { $0 }.filter { $0 != .unknown }
        let inTarget = comparer.changes.filter { c in kinds.contains { c.isIn($0, target) } }
        guard !inTarget.isEmpty else { return [] }
        var oldValues: [String: String] = [:], newValues: [String: String] = [:]
        func collect(_ n: NodeOutcome?, into values: inout [String: String]) {
            guard let n else { return }
            values[n.node] = n.shownScore ?? n.status.word
            for c in n.children { collect(c, into: &values) }
        }
        collect(before?.root, into: &oldValues)
        collect(after?.root, into: &newValues)
        let moved = Set(oldValues.keys).union(newValues.keys).filter { oldValues[$0] != newValues[$0] }
        var causes = Set(inTarget.filter { $0.aspect == .whole })
        if !moved.isEmpty {
            let scoring = inTarget.filter { $0.aspect == .scoring }
            let parents = parentMap(target)
            let close = scoring.filter { change in
                guard let node = change.node else { return true }
                return moved.contains(node) || parents[node].map { $0.contains { moved.contains($0) } } == true
            }
            causes.formUnion(close.isEmpty ? scoring : close)
        }
        if let p = before?.passed, let q = after?.passed, p != q {
            causes.formUnion(inTarget.filter { $0.aspect == .passMark })
        }
        return inTarget.filter(causes.contains).map(\.words)
    }

    /// For each node id of `target` in either version, its parent's id in either version.
    private func parentMap(_ target: String) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        func walk(_ n: ScoringNode) {
            for c in n.children {
                out[c.id, default: []].insert(n.id)
                walk(c)
            }
        }
        for program in [old, new] {
            if let c = program.course(target) { walk(c.assessment) }
            if let c = program.competition(target) { walk(c.root) }
        }
        return out
    }

    // MARK: - Standings

    private func standingImpacts() -> [Impact] {
        var impacts: [Impact] = []
        var ids = old.competitions.map(\.id)
        for c in new.competitions where !ids.contains(c.id) { ids.append(c.id) }
        for id in ids {
            // The standings only: no tie notes (diff never shows them; they cost O(entrants × tie-break nodes)).
            let a = oldResults[id]?.sheet(inputs: [], tieNotes: false), b = newResults[id]?.sheet(inputs: [], tieNotes: false)
            func places(_ s: ResultSheet?) -> [String: (words: String, rank: Int, award: String?, total: String)] {
                var out: [String: (String, Int, String?, String)] = [:]
                for st in s?.standings ?? [] {
                    out[st.candidate] = ("rank \(st.rank), " + (st.award ?? "no award"), st.rank, st.award, st.shownTotal)
                }
                for u in s?.unranked ?? [] { out[u.candidate] = ("no rank (incomplete)", Int.max, nil, "—") }
                return out
            }
            let before = places(a), after = places(b)
            let inCompetition = comparer.changes.filter { $0.isIn(.competition, id) }
            let tieBreak = inCompetition.filter { $0.aspect == .tieBreak }.map(\.words)
            let scheme = inCompetition.filter { [.awards, .awardRules, .standardisation].contains($0.aspect) }.map(\.words)
            let scoring = inCompetition.filter { $0.aspect == .scoring || $0.aspect == .whole }.map(\.words)
            let candidates = Set(before.keys).union(after.keys).sorted { x, y in
                let rx = before[x]?.rank ?? Int.max, ry = before[y]?.rank ?? Int.max
                return rx != ry ? rx < ry : x < y
            }
            let othersMoved = outcomeImpacts.contains { $0.subject == id }
            for candidate in candidates {
                let from = before[candidate]?.words ?? "not entered"
                let to = after[candidate]?.words ?? "not entered"
                guard from != to else { continue }
                var why: [String] = []
                if let own = outcomeWhy["\(id)\u{1F}\(candidate)"] {
                    why.append("total \(before[candidate]?.total ?? "—") → \(after[candidate]?.total ?? "—")")
                    why += own
                } else if othersMoved {
                    why.append("total unchanged (\(after[candidate]?.total ?? "—")); other entrants' totals changed")
                }
                func add(_ words: [String]) { why += words.filter { !why.contains($0) } }
                if before[candidate]?.rank != after[candidate]?.rank { add(tieBreak) }
                if before[candidate]?.award != after[candidate]?.award { add(scheme) }
                if why.isEmpty { add(scoring) }
                impacts.append(Impact(kind: .standing, candidate: candidate, subject: id, from: from, to: to, why: why))
            }
        }
        return impacts
    }

    // MARK: - Recognition

    private mutating func compareRecognition(
        _ candidate: CandidateEvidence, before: [Outcome], after: [Outcome],
        changedOutcomes: [String: ChangedOutcome]
    ) {
        let a = oldRecognizer.decide(candidate, outcomes: before)
        let b = newRecognizer.decide(candidate, outcomes: after)
        let aByRule = Dictionary(a.map { ($0.ruleID, $0) }, uniquingKeysWith: { x, _ in x })
        let bByRule = Dictionary(b.map { ($0.ruleID, $0) }, uniquingKeysWith: { x, _ in x })
        var rules = a.map(\.ruleID)
        for d in b where aByRule[d.ruleID] == nil { rules.append(d.ruleID) }
        for rule in rules {
            let x = aByRule[rule], y = bByRule[rule]
            let from = x.map(Self.words) ?? "no such rule", to = y.map(Self.words) ?? "no such rule"
            guard from != to else { continue }
            var why: [String] = []
            func say(_ words: [String]) { why += words.filter { !why.contains($0) } }
            func sayChanges(_ changes: (RubricChange) -> Bool) { say(comparer.changes.filter(changes).map(\.words)) }
            sayChanges { $0.element == .recognition && $0.rule == rule }
            for d in [x, y] {
                if case .superseded(let other)? = d?.verdict { sayChanges { $0.element == .recognition && $0.rule == other } }
                if d?.verdict == .capped { sayChanges { $0.aspect == .creditCap } }
            }
            if x?.verdict == .capped || y?.verdict == .capped {
                // The credits of the courses granted before it count towards the cap.
                let granted = Set((a + b).filter { $0.verdict == .granted }.compactMap(\.grant.course))
                sayChanges { c in c.element == .course && c.aspect == .credits && granted.contains { c.target == $0 } }
            }
            let versions = [old, new].compactMap { $0.recognition?.rules.first { $0.id == rule } }
            for r in versions {
                switch r.grant {
                case .exemptCourse(let ref, _), .transferCredit(let ref, _, _, _):
                    sayChanges { $0.isIn(.course, ref) && ($0.aspect == .credits || $0.aspect == .whole) }
                case .exemptComponent(let cert, let component, _):
                    sayChanges { $0.isIn(.certificate, cert) && ($0.aspect == .whole || $0.node == component) }
                }
            }
            func changedOutcome(_ kind: Outcome.TargetKind, _ ref: String) {
                guard let c = changedOutcomes[ref], c.kind == kind else { return }
                say(["\(kind.rawValue) \(ref): \(c.from) → \(c.to)"] + c.why)
            }
            for condition in versions.flatMap(\.condition.flattened) {
                switch condition {
                case .course(let ref, _, _):
                    changedOutcome(.course, ref)
                case .certificate(let ref, _, _, let component, _, _):
                    sayChanges { c in
                        c.isIn(.certificate, ref)
                            && ([.whole, .levels, .validity].contains(c.aspect) || (component != nil && c.node == component))
                    }
                    if component != nil { changedOutcome(.certificate, ref) }
                case .award(let competition, _, _, _):
                    sayChanges { $0.isIn(.competition, competition) && ($0.aspect == .whole || $0.aspect == .awards) }
                case .all, .any:
                    break
                }
            }
            if let y { why.append("the new decision: " + y.reason) }
            recognitionImpacts.append(
                Impact(kind: .recognition, candidate: candidate.id, subject: rule, from: from, to: to, why: why))
        }
    }

    /// A target's outcome that changed for the candidate being added, and why.
    struct ChangedOutcome {
        var kind: Outcome.TargetKind
        var from: String
        var to: String
        var why: [String]
    }

    /// `granted (4 credits, grade 88)`, `refused`, `superseded by rule X`, `capped`.
    static func words(_ d: RecognitionDecision) -> String {
        switch d.verdict {
        case .granted:
            var parts: [String] = []
            if let c = d.credits { parts.append("\(c.plainText) credits") }
            if let g = d.grade { parts.append("grade \(g.plainText)") }
            return parts.isEmpty ? "granted" : "granted (" + parts.joined(separator: ", ") + ")"
        case .refused: return "refused"
        case .superseded(let rule): return "superseded by rule \(rule)"
        case .capped: return "capped"
        }
    }
}
