import AssayModel
import Foundation

/// The children's scores (those with one; skipped children are not passed in).
private func scores(_ input: ScorerInput) -> [Decimal] { input.children.compactMap(\.score) }

private func list(_ input: ScorerInput) -> String {
    input.children.map { "\($0.node) \(($0.score ?? 0).shown)" }.joined(separator: " + ")
}

/// `sum`: the children's scores added up.
struct SumScorer: Scorer {
    var readsEvidence: Bool { false }
    func score(_ input: ScorerInput) -> ScorerResult {
        let s = scores(input).reduce(Decimal(0), +)
        return ScorerResult(score: s, explanation: input.explain ? "\(list(input)) = \(s.shown)" : "")
    }
}

/// `mean`: each child as a fraction of its max, averaged, times this node's max.
struct MeanScorer: Scorer {
    var readsEvidence: Bool { false }
    func score(_ input: ScorerInput) -> ScorerResult {
        let kids = input.children.filter { $0.score != nil }
        guard !kids.isEmpty else { return .incomplete("no child has a score") }
        let fractions = kids.map { $0.score! / $0.max }
        let s = fractions.reduce(Decimal(0), +) / Decimal(kids.count) * input.node.max
        let parts = kids.map { "\($0.node) \($0.score!.shown)/\($0.max.shown)" }.joined(separator: ", ")
        return ScorerResult(
            score: s, explanation: input.explain ? "mean of (\(parts)) as fractions × \(input.node.max.shown) = \(s.shown)" : "")
    }
}

/// `weighted-mean`: Σ weight × score/max ÷ Σ weight × this node's max (skipped children's weight is left out).
struct WeightedMeanScorer: Scorer {
    var readsEvidence: Bool { false }
    func score(_ input: ScorerInput) -> ScorerResult {
        let kids = input.children.filter { $0.score != nil }
        let totalWeight = kids.reduce(Decimal(0)) { $0 + ($1.weight ?? 0) }
        guard totalWeight > 0 else { return .incomplete("no weighted child has a score") }
        let weighted = kids.reduce(Decimal(0)) { $0 + ($1.weight ?? 0) * $1.score! / $1.max }
        let s = weighted / totalWeight * input.node.max
        let parts = kids.map { "\($0.weight?.shown ?? "0") % × \($0.score!.shown)/\($0.max.shown)" }.joined(separator: " + ")
        let renormalised = totalWeight != 100 ? " (weights present: \(totalWeight.shown))" : ""
        return ScorerResult(
            score: s, explanation: input.explain ? "\(parts) of \(input.node.max.shown)\(renormalised) = \(s.shown)" : "")
    }
}

/// `min` / `max`: the lowest / highest child score.
struct ExtremeScorer: Scorer {
    let highest: Bool
    var readsEvidence: Bool { false }
    func score(_ input: ScorerInput) -> ScorerResult {
        guard let s = highest ? scores(input).max() : scores(input).min() else { return .incomplete("no child has a score") }
        return ScorerResult(score: s, explanation: input.explain ? "\(highest ? "highest" : "lowest") of \(list(input)) = \(s.shown)" : "")
    }
}

/// `best-of-n`: the n best child scores, summed or averaged.
struct BestOfScorer: Scorer {
    let n: Int
    let mean: Bool
    var readsEvidence: Bool { false }
    func score(_ input: ScorerInput) -> ScorerResult {
        let all = scores(input)
        guard all.count >= n else { return .incomplete("\(all.count) scored, but the best \(n) are needed") }
        let best = Array(all.sorted(by: >).prefix(n))
        let total = best.reduce(Decimal(0), +)
        let s = mean ? total / Decimal(n) : total
        return ScorerResult(
            score: s,
            explanation: input.explain
                ? "best \(n) of \(all.map(\.shown).joined(separator: ", ")): \(best.map(\.shown).joined(separator: ", ")) → \(mean ? "mean" : "sum") \(s.shown)" : "")
    }
}

/// `product`: the children's scores multiplied, times factor.
struct ProductScorer: Scorer {
    let factor: Decimal
    var readsEvidence: Bool { false }
    func score(_ input: ScorerInput) -> ScorerResult {
        let s = scores(input).reduce(Decimal(1), *) * factor
        let parts = input.children.map { ($0.score ?? 0).shown }.joined(separator: " × ")
        return ScorerResult(score: s, explanation: input.explain ? "\(parts)\(factor != 1 ? " × \(factor.shown)" : "") = \(s.shown)" : "")
    }
}

/// `deduction`: the children's sum minus the deductions recorded at this node, never below floor.
struct DeductionScorer: Scorer {
    let floor: Decimal?
    var readsEvidence: Bool { false }
    func score(_ input: ScorerInput) -> ScorerResult {
        var problems: [String] = []
        var deducted = Decimal(0)
        var notes: [String] = []
        for item in input.items {
            guard item.kind == .deduction else {
                problems.append("a \(item.kind.rawValue) was recorded at a deduction node (\(item.origin)); record it at a leaf")
                continue
            }
            guard let v = item.number, v >= 0 else {
                problems.append("deduction '\(item.value)' is not a number of 0 or more (\(item.origin))")
                continue
            }
            deducted += v
            notes.append("−\(v.shown)\(item.reason.map { " (\($0))" } ?? "")")
        }
        if !problems.isEmpty { return ScorerResult(score: nil, problems: problems) }
        let gross = scores(input).reduce(Decimal(0), +)
        let lowest = floor ?? input.node.min ?? 0
        let s = Swift.max(gross - deducted, lowest)
        let floorNote = gross - deducted < lowest ? " (not below \(lowest.shown))" : ""
        return ScorerResult(
            score: s,
            explanation: input.explain
                ? "\(list(input)) = \(gross.shown)\(notes.isEmpty ? "; no deductions" : " " + notes.joined(separator: " "))\(floorNote) = \(s.shown)" : "")
    }
}

/// `rubric-levels`: Moodle's analytic rubric grade over lookup criteria.
///
/// Moodle (grade/grading/form/rubric, `get_grade`): with *lock zero points*, grade = max(0, sum ÷ max possible
/// × max grade); otherwise grade = (sum − min possible) ÷ (max possible − min possible) × max grade, where the
/// min and max possible are the sums of each criterion's lowest and highest level.
struct RubricLevelsScorer: Scorer {
    let lockZeroPoints: Bool
    /// Each criterion's lowest and highest level points, by child node id.
    let ranges: [String: (min: Decimal, max: Decimal)]
    var readsEvidence: Bool { false }

    func score(_ input: ScorerInput) -> ScorerResult {
        let kids = input.children
        let current = kids.compactMap(\.score).reduce(Decimal(0), +)
        let minPossible = kids.reduce(Decimal(0)) { $0 + (ranges[$1.node]?.min ?? 0) }
        let maxPossible = kids.reduce(Decimal(0)) { $0 + (ranges[$1.node]?.max ?? 0) }
        let maxGrade = input.node.max
        let s: Decimal
        let how: String
        if lockZeroPoints {
            guard maxPossible > 0 else { return .incomplete("the criteria's highest levels add up to \(maxPossible.shown)") }
            s = Swift.max(0, current / maxPossible * maxGrade)
            how = "lock zero points: max(0, \(current.shown) ÷ \(maxPossible.shown) × \(maxGrade.shown))"
        } else {
            guard maxPossible > minPossible else { return .incomplete("the criteria's levels do not span a range") }
            s = (current - minPossible) / (maxPossible - minPossible) * maxGrade
            how = "(\(current.shown) − \(minPossible.shown)) ÷ (\(maxPossible.shown) − \(minPossible.shown)) × \(maxGrade.shown)"
        }
        return ScorerResult(score: s, explanation: input.explain ? "levels \(list(input)) = \(current.shown); \(how) = \(s.shown)" : "")
    }
}

/// `threshold`: pass/fail — full marks when the value (leaf) or the children's sum (inner) is at least the line.
struct ThresholdScorer: Scorer {
    let atLeast: Decimal
    let below: Decimal
    let leaf: Bool
    var readsEvidence: Bool { leaf }

    func score(_ input: ScorerInput) -> ScorerResult {
        let v: Decimal
        let source: String
        if leaf {
            switch SingleValue.read(input) {
            case .problem(let p): return .incomplete(p)
            case .label: return .incomplete("unreachable")
            case .number(let n, let origin):
                v = n
                source = "recorded \(n.shown) (\(origin))"
            }
        } else {
            v = scores(input).reduce(Decimal(0), +)
            source = "\(list(input)) = \(v.shown)"
        }
        let met = v >= atLeast
        let s = met ? input.node.max : below
        return ScorerResult(
            score: s, explanation: input.explain ? "\(source); \(met ? "at least" : "below") \(atLeast.shown) → \(s.shown)" : "")
    }
}
