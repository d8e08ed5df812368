import AssayModel
import Foundation

/// The children's scores (those with one; skipped children are not passed in).
private func scores(_ input: ScorerInput) -> [Exact] { input.children.compactMap(\.value) }

private func list(_ input: ScorerInput) -> String {
    input.children.map { "\($0.node) \(($0.value ?? 0).text())" }.joined(separator: " + ")
}

/// `sum`: the children's scores added up.
struct SumScorer: Scorer {
    var readsEvidence: Bool { false }
    func score(_ input: ScorerInput) -> ScorerResult {
        var s = Exact.zero
        for c in input.children { if let v = c.value { s += v } }
        return ScorerResult(score: s, explanation: input.explain ? "\(list(input)) = \(s.text())" : "")
    }
}

/// `mean`: each child as a fraction of its max, averaged, times this node's max.
struct MeanScorer: Scorer {
    var readsEvidence: Bool { false }
    func score(_ input: ScorerInput) -> ScorerResult {
        let kids = input.children.filter { $0.value != nil }
        guard !kids.isEmpty else { return .incomplete("no child has a score") }
        var total = Exact.zero
        for k in kids { total += k.value! / k.maxValue }
        let s = total / Exact(kids.count) * input.max
        guard input.explain else { return ScorerResult(score: s) }
        let parts = kids.map { "\($0.node) \($0.value!.text())/\($0.maxValue.text())" }.joined(separator: ", ")
        return ScorerResult(score: s, explanation: "mean of (\(parts)) as fractions × \(input.max.text()) = \(s.text())")
    }
}

/// `weighted-mean`: Σ weight × score/max ÷ Σ weight × this node's max (skipped children's weight is left out).
struct WeightedMeanScorer: Scorer {
    var readsEvidence: Bool { false }
    func score(_ input: ScorerInput) -> ScorerResult {
        var totalWeight = Exact.zero
        var weighted = Exact.zero
        for k in input.children {
            guard let v = k.value, let w = k.weightValue else { continue }
            totalWeight += w
            weighted += w * v / k.maxValue
        }
        // Compared below: an overflowed total weight is refused, never taken for a positive one.
        if totalWeight.isTooLarge || weighted.isTooLarge { return .incomplete(Exact.tooLargeProblem) }
        guard totalWeight > 0 else { return .incomplete("no weighted child has a score") }
        let s = weighted / totalWeight * input.max
        guard input.explain else { return ScorerResult(score: s) }
        let kids = input.children.filter { $0.value != nil }
        let parts = kids.map { "\($0.weightValue?.text() ?? "0") % × \($0.value!.text())/\($0.maxValue.text())" }.joined(separator: " + ")
        let renormalised = totalWeight != 100 ? " (weights present: \(totalWeight.text()))" : ""
        return ScorerResult(score: s, explanation: "\(parts) of \(input.max.text())\(renormalised) = \(s.text())")
    }
}

/// `min` / `max`: the lowest / highest child score.
struct ExtremeScorer: Scorer {
    let highest: Bool
    var readsEvidence: Bool { false }
    func score(_ input: ScorerInput) -> ScorerResult {
        guard let s = highest ? scores(input).max() : scores(input).min() else { return .incomplete("no child has a score") }
        return ScorerResult(score: s, explanation: input.explain ? "\(highest ? "highest" : "lowest") of \(list(input)) = \(s.text())" : "")
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
        let total = best.reduce(Exact.zero, +)
        let s = mean ? total / Exact(n) : total
        return ScorerResult(
            score: s,
            explanation: input.explain
                ? "best \(n) of \(all.map { $0.text() }.joined(separator: ", ")): \(best.map { $0.text() }.joined(separator: ", ")) → \(mean ? "mean" : "sum") \(s.text())" : "")
    }
}

/// `product`: the children's scores multiplied, times factor.
struct ProductScorer: Scorer {
    let factor: Exact
    var readsEvidence: Bool { false }
    func score(_ input: ScorerInput) -> ScorerResult {
        let s = scores(input).reduce(Exact.one, *) * factor
        let parts = input.children.map { ($0.value ?? 0).text() }.joined(separator: " × ")
        return ScorerResult(score: s, explanation: input.explain ? "\(parts)\(factor != 1 ? " × \(factor.text())" : "") = \(s.text())" : "")
    }
}

/// `deduction`: the children's sum minus the deductions recorded at this node, never below floor.
struct DeductionScorer: Scorer {
    let floor: Exact?
    var readsEvidence: Bool { false }
    func score(_ input: ScorerInput) -> ScorerResult {
        var problems: [String] = []
        var deducted = Exact.zero
        var notes: [String] = []
        // Other items recorded here are reported by the engine (they belong at a leaf).
        for item in input.items where item.kind == .deduction {
            guard let v = item.number, v >= 0 else {
                problems.append("deduction '\(item.value)' is not a number of 0 or more (\(item.origin))")
                continue
            }
            deducted += v
            notes.append("−\(v.text())\(item.reason.map { " (\($0))" } ?? "")")
        }
        if !problems.isEmpty { return ScorerResult(score: nil, problems: problems) }
        let gross = scores(input).reduce(Exact.zero, +)
        let lowest = floor ?? input.nodeMin ?? 0
        // Compared with the floor below, an overflowed net (below −9223372036854775807, or above) would be
        // floored to a score: refuse it instead.
        if (gross - deducted).isTooLarge || lowest.isTooLarge { return .incomplete(Exact.tooLargeProblem) }
        let s = Swift.max(gross - deducted, lowest)
        let floorNote = gross - deducted < lowest ? " (not below \(lowest.text()))" : ""
        return ScorerResult(
            score: s,
            explanation: input.explain
                ? "\(list(input)) = \(gross.text())\(notes.isEmpty ? "; no deductions" : " " + notes.joined(separator: " "))\(floorNote) = \(s.text())" : "")
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
    let ranges: [String: (min: Exact, max: Exact)]
    var readsEvidence: Bool { false }

    func score(_ input: ScorerInput) -> ScorerResult {
        let kids = input.children
        let current = kids.compactMap(\.value).reduce(Exact.zero, +)
        let minPossible = kids.reduce(Exact.zero) { $0 + (ranges[$1.node]?.min ?? 0) }
        let maxPossible = kids.reduce(Exact.zero) { $0 + (ranges[$1.node]?.max ?? 0) }
        let maxGrade = input.max
        // Compared below, an overflowed sum would pick the wrong formula branch: refuse it instead.
        if current.isTooLarge || minPossible.isTooLarge || maxPossible.isTooLarge { return .incomplete(Exact.tooLargeProblem) }
        let s: Exact
        let how: String
        if lockZeroPoints {
            guard maxPossible > 0 else { return .incomplete("the criteria's highest levels add up to \(maxPossible.text())") }
            let grade = current / maxPossible * maxGrade
            // Compared with 0 below, an overflowed grade (of either sign) is refused, never floored to 0.
            if grade.isTooLarge { return .incomplete(Exact.tooLargeProblem) }
            s = Swift.max(0, grade)
            how = "lock zero points: max(0, \(current.text()) ÷ \(maxPossible.text()) × \(maxGrade.text()))"
        } else {
            guard maxPossible > minPossible else { return .incomplete("the criteria's levels do not span a range") }
            s = (current - minPossible) / (maxPossible - minPossible) * maxGrade
            how = "(\(current.text()) − \(minPossible.text())) ÷ (\(maxPossible.text()) − \(minPossible.text())) × \(maxGrade.text())"
        }
        return ScorerResult(score: s, explanation: input.explain ? "levels \(list(input)) = \(current.text()); \(how) = \(s.text())" : "")
    }
}

/// `threshold`: pass/fail — full marks when the value (leaf) or the children's sum (inner) is at least the line.
struct ThresholdScorer: Scorer {
    let atLeast: Exact
    let below: Exact
    let leaf: Bool
    var readsEvidence: Bool { leaf }

    func score(_ input: ScorerInput) -> ScorerResult {
        let v: Exact
        let source: String
        if leaf {
            switch SingleValue.read(input) {
            case .problem(let p): return .incomplete(p)
            case .label: return .incomplete("unreachable")
            case .number(let n, let origin):
                v = n
                source = "recorded \(n.text()) (\(origin))"
            }
        } else {
            v = scores(input).reduce(Exact.zero, +)
            source = "\(list(input)) = \(v.text())"
        }
        // Compared below, an overflowed sum would pass the line: refuse it instead. (The engine never makes
        // this scorer with a line out of range; refused here too, whatever its sign, should one get through.)
        if v.isTooLarge || atLeast.isTooLarge || below.isTooLarge { return .incomplete(Exact.tooLargeProblem) }
        let met = v >= atLeast
        let s = met ? input.max : below
        return ScorerResult(
            score: s, explanation: input.explain ? "\(source); \(met ? "at least" : "below") \(atLeast.text()) → \(s.text())" : "")
    }
}
