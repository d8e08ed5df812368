import AssayModel
import Foundation

/// Makes the scorer object for a node that names a built-in scorer, from its (already checked) parameters.
enum BuiltinScorerFactory {
    static func make(for node: ScoringNode) -> (any Scorer)? {
        // Through Decimal: a value with more digits than Exact holds is rounded, or ``Exact/tooLarge`` (which
        // makes the outcomes incomplete), never dropped as if the parameter were not given.
        func decimal(_ name: String) -> Exact? {
            node.parameter(name).flatMap { text in Exact(plainText: text) ?? Decimal(plainText: text).map(Exact.init) }
        }
        func int(_ name: String) -> Int? { node.parameter(name).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        switch node.scorer.name {
        case "value": return ValueScorer(scaleFrom: decimal("scale-from"))
        case "sum": return SumScorer()
        case "mean": return MeanScorer()
        case "weighted-mean": return WeightedMeanScorer()
        case "min": return ExtremeScorer(highest: false)
        case "max": return ExtremeScorer(highest: true)
        case "best-of-n": return BestOfScorer(n: int("n") ?? 1, mean: node.parameter("combine") == "mean")
        case "product": return ProductScorer(factor: decimal("factor") ?? 1)
        case "threshold":
            return ThresholdScorer(atLeast: decimal("at-least") ?? 0, below: decimal("below") ?? 0, leaf: node.children.isEmpty)
        case "tolerance":
            return ToleranceScorer(
                target: decimal("target") ?? 0, tolerance: decimal("tolerance") ?? 0, partialBand: decimal("partial-band"),
                partialPoints: decimal("partial-points") ?? 0)
        case "checklist": return ChecklistScorer(items: int("items") ?? 1, allOrNothing: node.parameter("mode") == "all-or-nothing")
        case "lookup":
            return LookupScorer(
                table: table(node.parameter("table") ?? ""), fallback: decimal("default"), clamp: node.parameter("clamp") == "true")
        case "rubric-levels":
            var ranges: [String: (min: Exact, max: Exact)] = [:]
            for child in node.children {
                let t = table(child.parameter("table") ?? "").map(\.1)
                ranges[child.id] = (t.min() ?? 0, t.max() ?? 0)
            }
            return RubricLevelsScorer(lockZeroPoints: node.parameter("formula") == "lock-zero-points", ranges: ranges)
        case "deduction": return DeductionScorer(floor: decimal("floor"))
        case "judgement-panel":
            return JudgementPanelScorer(
                judges: int("judges"), maxSpread: decimal("max-spread"), scale: int("scale") ?? 3,
                scaleGiven: node.parameter("scale") != nil, drop: int("drop") ?? 0,
                step: decimal("mark-step"))
        case "trimmed-mean":
            var byPanel: [Int: Int] = [:]
            for (k, v) in table(node.parameter("drop-by-panel") ?? "") {
                if let size = Int(k), v.isInteger { byPanel[size] = Int(v.numerator) }
            }
            return TrimmedMeanScorer(
                drop: int("drop"), dropByPanel: byPanel, sum: node.parameter("combine") == "sum", judges: int("judges"),
                markMin: decimal("mark-min"), markMax: decimal("mark-max"), maxSpread: decimal("max-spread"),
                step: decimal("mark-step"))
        default: return nil
        }
    }

    /// `A:5, B:4` → [("A", 5), ("B", 4)].
    static func table(_ text: String) -> [(String, Exact)] {
        text.split(separator: ",").compactMap { entry in
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            // Points with more digits than Exact holds are rounded, or too large (the outcome says so), not dropped.
            guard parts.count == 2, let v = Exact(plainText: parts[1]) ?? Decimal(plainText: parts[1]).map(Exact.init) else {
                return nil
            }
            return (parts[0], v)
        }
    }
}
