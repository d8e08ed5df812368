import AssayEngine
public import AssayModel
import Foundation

/// Decides, for one candidate at a time, what each of the program's recognition rules grants: one
/// ``RecognitionDecision`` per rule, in rubric document order.
///
/// The semantics (rubrics/README.md, "Recognition rules", is the registrar's version of this):
///
/// - **Decision date.** Every date is compared with `asOf`, the decision date given (never the clock): a
///   certificate issued, or an award won, after it does not count.
/// - **Windows.** "Within N years" holds when the decision date is on or before the N-th anniversary of the
///   issue (award) date — the anniversary day itself is inside. An anniversary of 29 February in a year
///   without one is 28 February. A certificate past its own `valid-years` (counted the same way) does not
///   count, whatever the rule says.
/// - **Certificates.** Level "at least L" compares level ranks. Of several certificates that satisfy a
///   condition, the highest level counts, then the latest issued, then the first in the evidence. With
///   `component`, the candidate's score in that exam subject (as the Engine scores the certificate) must
///   reach `min-score`, or without `min-score` the subject's pass mark.
/// - **Awards.** "At least A" follows the competition's award scheme, best first. Of several awards that
///   satisfy a condition, the best counts, then the latest.
/// - **Courses.** The course outcome's score must reach `min-score`, or without it the course must be
///   passed. An incomplete outcome never satisfies a condition; the refusal says so and is marked
///   ``RecognitionDecision/awaitingEvidence``.
/// - **Grades.** A transfer's grade is the first `map` line met — `award`: the candidate won exactly that
///   award in a competition an `<award>` condition of the rule names and satisfied; `level`: holds exactly that
///   level of a certificate a `<certificate>` condition names and satisfied; `min-score`: the score in the first
///   course a satisfied `<course>` condition names reaches it — else the rule's `grade`. With neither, the rule is
///   refused.
/// - **Conflicts.** Rules that grant the same thing (credit for the same course, whether exemption or
///   transfer; or the same certificate component) and whose conditions hold: the higher `priority` wins, then
///   the better grade (a grade beats none), then the rule earlier in the rubric. The others are
///   ``RecognitionDecision/Verdict/superseded(byRule:)``.
/// - **Cap.** The winners' course credits are added up in rubric document order; a grant that would take the
///   total above `max-credits` is ``RecognitionDecision/Verdict/capped`` and the next ones are still tried (a
///   smaller grant may fit). Certificate-component exemptions carry no credits and are never capped.
/// - **A course already passed.** Credit is still recognised (a competition grade may replace the course's own
///   grade); the reason says that the course was already passed, with its score. Likewise an exam subject
///   already passed is still exempted, and the reason says so.
/// - **Evidence recognition cannot count** (a certificate, level, competition or award the program does not
///   have; a date that is not one) is named, with the candidate and the item's file and line, in the refusal
///   of every condition about that kind of item, and listed by ``evidenceProblems(_:)``.
public struct Recognizer: Sendable {
    /// The program whose recognition rules are decided.
    public let program: Program
    /// The decision date as given, `YYYY-MM-DD`.
    public let asOf: String
    private let date: CalendarDate?
    private let engine: Engine

    /// `asOf` is the decision date, `YYYY-MM-DD`. If it is not a date, every rule is refused and says so.
    public init(program: Program, asOf: String) {
        self.program = program
        self.asOf = asOf
        self.date = CalendarDate(asOf)
        self.engine = Engine(program: program)
    }

    /// One decision per recognition rule of the program, in rubric document order, for `candidate`.
    /// `outcomes` are the candidate's course (and certificate) outcomes from the Engine; outcomes of other
    /// candidates are ignored. Certificate exam subjects are scored here if `outcomes` carry no node tree.
    public func decide(_ candidate: CandidateEvidence, outcomes: [Outcome]) -> [RecognitionDecision] {
        guard let recognition = program.recognition else { return [] }
        guard let date else {
            return recognition.rules.map {
                RecognitionDecision(
                    candidate: candidate.id, ruleID: $0.id, ruleTitle: $0.title, grant: $0.grant, verdict: .refused,
                    reason: "the decision date '\(asOf)' is not a date in the form YYYY-MM-DD")
            }
        }
        let facts = CandidateFacts(candidate: candidate, program: program, outcomes: outcomes, engine: engine)
        let evaluator = ConditionEvaluator(facts: facts, asOf: date)

        // 1. Each rule on its own.
        var pending: [Pending] = []
        for (index, rule) in recognition.rules.enumerated() {
            pending.append(decideAlone(rule, index: index, evaluator: evaluator, facts: facts))
        }

        // 2. Conflicts: one winner per thing granted.
        var winners: [String: Int] = [:]
        for p in pending where p.eligible {
            if let w = winners[p.key] {
                if Self.beats(p, pending[w]) { winners[p.key] = p.index }
            } else {
                winners[p.key] = p.index
            }
        }
        for i in pending.indices where pending[i].eligible {
            let w = winners[pending[i].key]!
            if w != i {
                let winner = pending[w]
                pending[i].verdict = .superseded(byRule: winner.rule.id)
                pending[i].reason =
                    "the conditions hold (\(pending[i].reason)), but rule \(winner.rule.id) also grants "
                    + "\(pending[i].rule.grant.label) and wins: \(Self.why(winner, over: pending[i]))"
            }
        }

        // 3. The cap, in document order.
        var total = Decimal(0)
        for i in pending.indices where pending[i].verdict == .granted {
            guard let credits = pending[i].credits else { continue }
            if let cap = recognition.maxCredits, total + credits > cap {
                pending[i].verdict = .capped
                pending[i].reason =
                    "the conditions hold (\(pending[i].reason)), but its \(credits.plainText) credits would bring "
                    + "\(candidate.id)'s recognised credits to \((total + credits).plainText), above the program's cap of "
                    + "\(cap.plainText) (\(total.plainText) already recognised)"
            } else {
                total += credits
            }
        }

        return pending.map { p in
            let granted = p.verdict == .granted
            return RecognitionDecision(
                candidate: candidate.id, ruleID: p.rule.id, ruleTitle: p.rule.title, grant: p.rule.grant, verdict: p.verdict,
                credits: granted ? p.credits : nil, grade: granted ? p.grade : nil, evidence: p.evidence,
                reason: granted ? p.reason + p.note : p.reason, awaitingEvidence: p.awaitingEvidence)
        }
    }

    /// Evidence items recognition cannot count, one line each naming the candidate and the item's place: a
    /// certificate, level, competition or award the program does not have, or a date that is not one.
    public func evidenceProblems(_ candidate: CandidateEvidence) -> [String] {
        CandidateFacts(candidate: candidate, program: program, outcomes: [], engine: nil).problems.map(\.text)
    }

    // MARK: - One rule

    /// A rule's decision before conflicts and the cap are applied.
    private struct Pending {
        var rule: RecognitionRule
        var index: Int
        var verdict: RecognitionDecision.Verdict
        var credits: Decimal?
        var grade: Decimal?
        var evidence: [EvidenceUse]
        var reason: String
        /// Said only when granted (a course or exam subject already passed).
        var note = ""
        var awaitingEvidence = false
        /// What it grants, for conflicts: `course|ID` or `component|CERT|COMPONENT`.
        var key: String
        /// The condition holds and a grant can be made (before conflicts and the cap).
        var eligible: Bool { verdict == .granted }
    }

    private func decideAlone(
        _ rule: RecognitionRule, index: Int, evaluator: ConditionEvaluator, facts: CandidateFacts
    ) -> Pending {
        let key: String
        switch rule.grant {
        case .exemptCourse(let ref, _), .transferCredit(let ref, _, _, _): key = "course|" + ref
        case .exemptComponent(let cert, let component, _): key = "component|\(cert)|\(component)"
        }
        let e = evaluator.evaluate(rule.condition)
        var p = Pending(
            rule: rule, index: index, verdict: .refused, evidence: e.evidence, reason: e.text,
            awaitingEvidence: e.awaitingEvidence, key: key)
        guard e.holds else { return p }

        var credits: Decimal?
        if let ref = rule.grant.course {
            guard let course = program.course(ref) else {
                p.reason = "the conditions hold (\(e.text)), but the program has no course '\(ref)'"
                return p
            }
            credits = course.credits
            if let own = facts.outcome(ref), own.status.isComplete, own.passed == true, let v = own.value {
                p.note = "; \(ref) was already passed on the candidate's own result (\(own.shownScore ?? v.text()))"
            }
        } else if case .exemptComponent(let cert, let component, _) = rule.grant {
            guard let subject = program.certificate(cert)?.component(component) else {
                p.reason = "the conditions hold (\(e.text)), but the program's certificate '\(cert)' has no component '\(component)'"
                return p
            }
            if facts.candidate.items.contains(where: { $0.target == cert && $0.node == component }),
                let node = facts.certificateExam(cert)?.root?.children.first(where: { $0.node == component }),
                let v = node.value, v >= Exact(subject.pass)
            {
                p.note = "; the candidate already passed the \(cert) \(component) exam subject (\(node.shownScore ?? v.text()))"
            }
        }

        var reason = e.text
        if case .transferCredit(_, let fixed, let map, _) = rule.grant {
            if let (entry, use) = Self.mapLine(map, e.matches) {
                p.grade = entry.grade
                reason += "; grade \(entry.grade.plainText) by the grade map line for \(Self.describe(entry))"
                if let use, !p.evidence.contains(where: { $0.canonical == use.canonical }) { p.evidence.append(use) }
            } else if let fixed {
                p.grade = fixed
                reason += map.isEmpty ? "; grade \(fixed.plainText)" : "; grade \(fixed.plainText) (no line of the grade map applies)"
            } else {
                p.reason = "the conditions hold (\(e.text)), but no line of the grade map applies and the rule gives no fixed grade"
                return p
            }
        }
        p.credits = credits
        p.reason = reason
        p.verdict = .granted
        return p
    }

    /// The first grade-map line the matched evidence meets, with the evidence it rests on.
    private static func mapLine(_ map: [GradeMapEntry], _ matches: [Evaluation.Match]) -> (GradeMapEntry, EvidenceUse?)? {
        for entry in map {
            var use: EvidenceUse?
            if let award = entry.award {
                let hit = matches.lazy.compactMap { m -> CandidateFacts.WonItem? in
                    if case .award(let w) = m, w.won.award == award { return w } else { return nil }
                }.first
                guard let hit else { continue }
                use = .award(hit.won, in: hit.competition)
            }
            if let level = entry.level {
                let hit = matches.lazy.compactMap { m -> CandidateFacts.HeldItem? in
                    if case .certificate(let h) = m, h.held.level == level { return h } else { return nil }
                }.first
                guard let hit else { continue }
                use = use ?? .certificate(hit.held, in: hit.certificate)
            }
            if let minScore = entry.minScore {
                let first = matches.lazy.compactMap { m -> Exact? in
                    if case .course(_, let v) = m { return v } else { return nil }
                }.first
                guard let first, first >= Exact(minScore) else { continue }
            }
            return (entry, use)
        }
        return nil
    }

    private static func describe(_ entry: GradeMapEntry) -> String {
        var parts: [String] = []
        if let a = entry.award { parts.append("award \(a)") }
        if let l = entry.level { parts.append("level \(l)") }
        if let s = entry.minScore { parts.append("a score of \(s.plainText) or more") }
        return parts.joined(separator: " and ")
    }

    // MARK: - Conflicts

    /// Whether `a` beats `b` for the same grant: higher priority, then better grade (a grade beats none), then
    /// earlier in the rubric.
    private static func beats(_ a: Pending, _ b: Pending) -> Bool {
        if a.rule.priority != b.rule.priority { return a.rule.priority > b.rule.priority }
        switch (a.grade, b.grade) {
        case (let x?, let y?) where x != y: return x > y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a.index < b.index
        }
    }

    private static func why(_ w: Pending, over l: Pending) -> String {
        if w.rule.priority != l.rule.priority {
            return "a higher priority (\(w.rule.priority) over \(l.rule.priority))"
        }
        switch (w.grade, l.grade) {
        case (let x?, let y?) where x != y:
            return "the same priority (\(w.rule.priority)) and a better grade (\(x.plainText) over \(y.plainText))"
        case (let x?, nil):
            return "the same priority (\(w.rule.priority)) and a grade (\(x.plainText)) where this rule gives none"
        default:
            return "the same priority (\(w.rule.priority)) and grade, and it comes first in the rubric"
        }
    }
}
