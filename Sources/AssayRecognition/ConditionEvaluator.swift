import AssayModel
import Foundation

/// How one condition came out for one candidate.
struct Evaluation {
    /// A fact that satisfied a leaf condition, for the grade map.
    enum Match {
        case certificate(CandidateFacts.HeldItem)
        case award(CandidateFacts.WonItem)
        case course(ref: String, value: Exact)
    }

    var holds: Bool
    /// Failed because a result it needed is incomplete (the decision may change once the evidence is corrected).
    var awaitingEvidence = false
    /// For a condition that holds, what was met; else the condition that failed and what was found instead.
    var text: String
    var evidence: [EvidenceUse] = []
    /// Everything that satisfied a leaf (only when `holds`).
    var matches: [Match] = []
}

/// Evaluates recognition conditions against one candidate's facts on the decision date.
///
/// Leaves (`certificate`, `award`, `course`) are checked as rubrics/README.md ("Recognition rules") says;
/// `all` fails at its first failing condition in document order, `any` holds when one of its conditions does
/// and otherwise reports every alternative.
struct ConditionEvaluator {
    let facts: CandidateFacts
    let asOf: CalendarDate

    func evaluate(_ condition: Condition) -> Evaluation {
        switch condition {
        case .certificate(let ref, let atLeast, let withinYears, let component, let minScore, _):
            return certificate(ref: ref, atLeast: atLeast, withinYears: withinYears, component: component, minScore: minScore)
        case .award(let competition, let atLeast, let withinYears, _):
            return award(competition: competition, atLeast: atLeast, withinYears: withinYears)
        case .course(let ref, let minScore, _):
            return course(ref: ref, minScore: minScore)
        case .all(let conditions, _):
            var met: [Evaluation] = []
            for c in conditions {
                let e = evaluate(c)
                guard e.holds else { return e }
                met.append(e)
            }
            return Evaluation(
                holds: true, text: met.map(\.text).joined(separator: "; "), evidence: Self.unique(met.flatMap(\.evidence)),
                matches: met.flatMap(\.matches))
        case .any(let conditions, _):
            let all = conditions.map(evaluate)
            let met = all.filter(\.holds)
            if !met.isEmpty {
                return Evaluation(
                    holds: true, text: met.map(\.text).joined(separator: "; "), evidence: Self.unique(met.flatMap(\.evidence)),
                    matches: met.flatMap(\.matches))
            }
            if all.count == 1 { return all[0] }
            return Evaluation(
                holds: false, awaitingEvidence: all.contains(where: \.awaitingEvidence),
                text: "no alternative holds: " + all.map(\.text).joined(separator: "; or "),
                evidence: Self.unique(all.flatMap(\.evidence)))
        }
    }

    static func unique(_ uses: [EvidenceUse]) -> [EvidenceUse] {
        var seen: Set<String> = []
        return uses.filter { seen.insert($0.canonical).inserted }
    }

    // MARK: - Certificates

    /// "rad-tech at junior (serial RT-2025-031827)".
    static func named(_ h: CandidateFacts.HeldItem) -> String {
        "\(h.certificate.id) at \(h.held.level)" + (h.held.serial.map { " (serial \($0))" } ?? "")
    }

    private func withNotes(_ text: String, _ notes: [String]) -> String {
        notes.isEmpty ? text : text + " (not counted: " + notes.joined(separator: "; ") + ")"
    }

    private func certificate(
        ref: String, atLeast: String?, withinYears: Int?, component: String?, minScore: Decimal?
    ) -> Evaluation {
        guard let cert = facts.program.certificate(ref) else {
            return Evaluation(holds: false, text: "the program has no certificate '\(ref)'")
        }
        var needRank = Int.min
        if let atLeast {
            guard let level = cert.level(atLeast) else {
                return Evaluation(holds: false, text: "certificate \(ref) has no level '\(atLeast)'")
            }
            needRank = level.rank
        }
        let notes = facts.certificateProblems(ref)
        let held = facts.certificates[ref] ?? []
        guard !held.isEmpty else {
            return Evaluation(holds: false, text: withNotes("holds no \(ref) certificate", notes))
        }
        let atLevel = held.filter { $0.rank >= needRank }
        guard !atLevel.isEmpty else {
            let best = held.sorted { ($0.rank, $0.issued, -$0.index) > ($1.rank, $1.issued, -$1.index) }[0]
            return Evaluation(
                holds: false,
                text: withNotes(
                    "holds \(Self.named(best)), issued \(best.held.issued); the rule needs \(atLeast ?? "") or higher", notes),
                evidence: [.certificate(best.held, in: cert)])
        }
        /// Why a certificate at the right level does not count on the decision date, if it does not.
        func dateFailure(_ h: CandidateFacts.HeldItem) -> String? {
            if h.issued > asOf {
                return "holds \(Self.named(h)), but it was issued on \(h.held.issued), after the decision date \(asOf)"
            }
            if let valid = cert.validYears, asOf > h.issued.adding(years: valid) {
                return "holds \(Self.named(h)), issued \(h.held.issued), but it is valid for \(valid) years, until "
                    + "\(h.issued.adding(years: valid)), before the decision date \(asOf)"
            }
            if let n = withinYears, asOf > h.issued.adding(years: n) {
                return "holds \(Self.named(h)), issued \(h.held.issued); the rule needs it issued within \(n) years of the "
                    + "decision date \(asOf) (that window ended on \(h.issued.adding(years: n)))"
            }
            return nil
        }
        let qualifying = atLevel.filter { dateFailure($0) == nil }
            .sorted { ($0.rank, $0.issued, -$0.index) > ($1.rank, $1.issued, -$1.index) }
        guard let best = qualifying.first else {
            let latest = atLevel.sorted { ($0.issued, $0.rank, -$0.index) > ($1.issued, $1.rank, -$1.index) }[0]
            return Evaluation(
                holds: false, text: withNotes(dateFailure(latest)!, notes), evidence: [.certificate(latest.held, in: cert)])
        }
        var met = "holds \(Self.named(best)), issued \(best.held.issued)"
        if let n = withinYears { met += ", within \(n) years of \(asOf)" }
        guard let component else {
            return Evaluation(
                holds: true, text: met, evidence: [.certificate(best.held, in: cert)], matches: qualifying.map { .certificate($0) })
        }
        // An exam subject's score: "at least min-score", or without min-score its pass mark.
        let need = minScore ?? cert.component(component)?.pass ?? 0
        let subject = "the \(ref) \(component) exam subject"
        let recorded = facts.candidate.items.contains { $0.target == ref && $0.node == component }
        guard recorded, let exam = facts.certificateExam(ref),
            let node = exam.root?.children.first(where: { $0.node == component }), !node.skipped
        else {
            return Evaluation(
                holds: false, text: "\(met), but has no result in \(subject)", evidence: [.certificate(best.held, in: cert)])
        }
        guard let value = node.value else {
            let why = node.status.reasons.joined(separator: "; ")
            return Evaluation(
                holds: false, awaitingEvidence: true,
                text: "\(met), but the result in \(subject) is incomplete (\(why)), and an incomplete result satisfies no condition",
                evidence: [.certificate(best.held, in: cert)])
        }
        let score = node.shownScore ?? value.text()
        let use = EvidenceUse.certificate(best.held, in: cert, component: (component, score, node.maxValue.text()))
        guard value >= Exact(need) else {
            return Evaluation(
                holds: false, text: "\(met), but scored \(score) in \(subject); the rule needs \(need.plainText) or more",
                evidence: [use])
        }
        return Evaluation(
            holds: true, text: "\(met), and scored \(score) in \(subject) (\(need.plainText) or more needed)", evidence: [use],
            matches: qualifying.map { .certificate($0) })
    }

    // MARK: - Awards

    private func award(competition: String, atLeast: String, withinYears: Int?) -> Evaluation {
        guard let comp = facts.program.competition(competition) else {
            return Evaluation(holds: false, text: "the program has no competition '\(competition)'")
        }
        guard let needRank = comp.awards?.rank(of: atLeast) else {
            return Evaluation(holds: false, text: "competition \(competition) has no award '\(atLeast)'")
        }
        let notes = facts.awardProblems(competition)
        let won = facts.awards[competition] ?? []
        guard !won.isEmpty else {
            return Evaluation(holds: false, text: withNotes("won no award in \(competition)", notes))
        }
        let good = won.filter { $0.rank <= needRank }
        guard !good.isEmpty else {
            let best = won.sorted { ($0.rank, $1.date, $0.index) < ($1.rank, $0.date, $1.index) }[0]
            return Evaluation(
                holds: false,
                text: withNotes(
                    "won \(best.won.award) in \(competition) on \(best.won.date); the rule needs \(atLeast) or better", notes),
                evidence: [.award(best.won, in: comp)])
        }
        func dateFailure(_ w: CandidateFacts.WonItem) -> String? {
            if w.date > asOf {
                return "won \(w.won.award) in \(competition) on \(w.won.date), after the decision date \(asOf)"
            }
            if let n = withinYears, asOf > w.date.adding(years: n) {
                return "won \(w.won.award) in \(competition) on \(w.won.date); the rule needs it won within \(n) years of the "
                    + "decision date \(asOf) (that window ended on \(w.date.adding(years: n)))"
            }
            return nil
        }
        let qualifying = good.filter { dateFailure($0) == nil }
            .sorted { ($0.rank, $1.date, $0.index) < ($1.rank, $0.date, $1.index) }
        guard let best = qualifying.first else {
            let latest = good.sorted { ($1.date, $0.rank, $0.index) < ($0.date, $1.rank, $1.index) }[0]
            return Evaluation(holds: false, text: withNotes(dateFailure(latest)!, notes), evidence: [.award(latest.won, in: comp)])
        }
        var met = "won \(best.won.award) in \(competition) on \(best.won.date)"
        if let n = withinYears { met += ", within \(n) years of \(asOf)" }
        return Evaluation(holds: true, text: met, evidence: [.award(best.won, in: comp)], matches: qualifying.map { .award($0) })
    }

    // MARK: - Courses

    private func course(ref: String, minScore: Decimal?) -> Evaluation {
        guard let course = facts.program.course(ref) else {
            return Evaluation(holds: false, text: "the program has no course '\(ref)'")
        }
        guard let outcome = facts.outcome(ref) else {
            return Evaluation(holds: false, text: "has no result in \(ref) (no evidence for it)")
        }
        guard outcome.status.isComplete, let value = outcome.value else {
            return Evaluation(
                holds: false, awaitingEvidence: true,
                text: "the \(ref) result is incomplete (\(outcome.status.reasons.joined(separator: "; "))), and an incomplete "
                    + "result satisfies no condition")
        }
        let score = outcome.shownScore ?? value.text()
        let use = EvidenceUse.courseResult(outcome, score: score, in: course)
        if let minScore {
            guard value >= Exact(minScore) else {
                return Evaluation(
                    holds: false, text: "scored \(score) in \(ref); the rule needs \(minScore.plainText) or more", evidence: [use])
            }
            return Evaluation(
                holds: true, text: "scored \(score) in \(ref) (\(minScore.plainText) or more needed)", evidence: [use],
                matches: [.course(ref: ref, value: value)])
        }
        guard outcome.passed == true else {
            let flags = outcome.flags.isEmpty ? "" : "; " + outcome.flags.joined(separator: "; ")
            return Evaluation(
                holds: false, text: "did not pass \(ref) (\(score), pass mark \(course.pass.plainText)\(flags))", evidence: [use])
        }
        return Evaluation(
            holds: true, text: "passed \(ref) (\(score), pass mark \(course.pass.plainText))", evidence: [use],
            matches: [.course(ref: ref, value: value)])
    }
}
