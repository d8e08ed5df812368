/// The scorers built into Assay, with the parameters each takes. The scoring engine implements exactly
/// these; rubrics name them in `scorer="…"`. Plugin scorers are named `plugin:ID` and described by their
/// plugin's manifest.
public enum BuiltinScorers {
    public static let all: [ScorerSignature] = [
        ScorerSignature(
            id: "value", summary: "The value recorded for this node (a grade or a measured value), checked against min and max.",
            placement: .leaf,
            parameters: [
                ParameterSpec("source", .node, "read the value recorded under another node id (e.g. a base value used twice)"),
                ParameterSpec("scale-from", .decimal, "the value is recorded out of this and rescaled to the node's max"),
            ]),
        ScorerSignature(id: "sum", summary: "Sum of the children's scores.", placement: .inner),
        ScorerSignature(
            id: "mean", summary: "Mean of the children's scores, each taken as a fraction of its max, times this node's max.",
            placement: .inner),
        ScorerSignature(
            id: "weighted-mean",
            summary: "Children weighted by their weight attribute (percent, summing to 100), each as a fraction of its max, times this node's max.",
            placement: .inner),
        ScorerSignature(id: "min", summary: "The lowest child score.", placement: .inner),
        ScorerSignature(id: "max", summary: "The highest child score.", placement: .inner),
        ScorerSignature(
            id: "best-of-n", summary: "The n best child scores (e.g. best two of three attempts), summed or averaged.",
            placement: .inner,
            parameters: [
                ParameterSpec("n", .integer(min: 1), required: true, "how many of the best children count"),
                ParameterSpec("combine", .choice(["sum", "mean"]), "sum (default) or mean of the n best"),
            ]),
        ScorerSignature(
            id: "product", summary: "Product of the children's scores, times factor (e.g. judges' sum × degree of difficulty).",
            placement: .inner,
            parameters: [ParameterSpec("factor", .decimal, "a constant multiplier (default 1)")]),
        ScorerSignature(
            id: "threshold", summary: "Pass/fail: full marks when the value (leaf) or the children's sum (inner) is at least at-least, else below.",
            placement: .either,
            parameters: [
                ParameterSpec("at-least", .decimal, required: true, "the pass line"),
                ParameterSpec("below", .decimal, "points when under the line (default 0)"),
            ]),
        ScorerSignature(
            id: "tolerance", summary: "Measurement: full marks within ± tolerance of target; partial-points within the wider partial-band; else 0.",
            placement: .leaf,
            parameters: [
                ParameterSpec("target", .decimal, required: true, "the reference value"),
                ParameterSpec("tolerance", .decimal, required: true, "largest deviation that earns full marks"),
                ParameterSpec("partial-band", .decimal, "largest deviation that earns partial-points"),
                ParameterSpec("partial-points", .decimal, "points inside the partial band"),
            ]),
        ScorerSignature(
            id: "checklist", summary: "Items achieved out of items: proportional marks, or all-or-nothing.",
            placement: .leaf,
            parameters: [
                ParameterSpec("items", .integer(min: 1), required: true, "how many items the checklist has"),
                ParameterSpec("mode", .choice(["proportional", "all-or-nothing"]), "proportional (default) or all-or-nothing"),
            ]),
        ScorerSignature(
            id: "rubric-levels",
            summary: "Moodle analytic rubric: each child is a criterion (a lookup of level points); the grade uses Moodle's lock-zero-points or min-offset formula.",
            placement: .inner,
            parameters: [
                ParameterSpec("formula", .choice(["lock-zero-points", "min-offset"]), required: true,
                    "lock-zero-points: sum ÷ max possible × max; min-offset: (sum − min possible) ÷ (max − min possible) × max"),
            ]),
        ScorerSignature(
            id: "lookup", summary: "Maps the recorded value to points: a label by exact match, a number by the highest key not above it.",
            placement: .leaf,
            parameters: [
                ParameterSpec("table", .table, required: true, "key:points pairs"),
                ParameterSpec("default", .decimal, "points when no key matches (else the node is incomplete)"),
                ParameterSpec("clamp", .boolean, "numbers below the lowest key take the lowest key's points"),
            ]),
        ScorerSignature(
            id: "deduction", summary: "Sum of the children minus the deductions recorded for this node, never below floor.",
            placement: .inner,
            parameters: [ParameterSpec("floor", .decimal, "lowest possible result (default the node's min, else 0)")]),
        ScorerSignature(
            id: "judgement-panel",
            summary: "WorldSkills judgement aspect: each judge scores 0 to scale; mark = mean ÷ scale × max; a spread above max-spread is flagged.",
            placement: .leaf,
            parameters: [
                ParameterSpec("judges", .integer(min: 1), "how many judges must mark (fewer is incomplete)"),
                ParameterSpec("max-spread", .decimal, "largest allowed gap between the highest and lowest mark"),
                ParameterSpec("scale", .integer(min: 1), "top of each judge's scale (default 3)"),
                ParameterSpec("drop", .integer(min: 0), "marks dropped at each end before the mean (default 0)"),
                ParameterSpec("mark-step", .decimal, "marks must be multiples of this (e.g. 0.5); others are refused"),
            ]),
        ScorerSignature(
            id: "trimmed-mean",
            summary: "Drops the k highest and k lowest judges' marks and averages (or sums) the rest, as in diving and figure skating.",
            placement: .leaf,
            parameters: [
                ParameterSpec("drop", .integer(min: 0), "k: marks dropped at each end"),
                ParameterSpec("drop-by-panel", .panelTable, "k by panel size, e.g. 5:1, 7:2"),
                ParameterSpec("combine", .choice(["mean", "sum"]), "mean (default) or sum of the remaining marks"),
                ParameterSpec("judges", .integer(min: 1), "how many judges must mark (fewer is incomplete)"),
                ParameterSpec("mark-min", .decimal, "lowest mark a judge may give (default 0)"),
                ParameterSpec("mark-max", .decimal, "highest mark a judge may give (default the node's max)"),
                ParameterSpec("max-spread", .decimal, "largest allowed gap between the highest and lowest mark before trimming"),
                ParameterSpec("mark-step", .decimal, "marks must be multiples of this (e.g. 0.5 in diving, 1 for GOE); others are refused"),
            ],
            exclusive: [["drop", "drop-by-panel"]]),
    ]

    /// The signature for a built-in scorer id.
    public static func signature(_ id: String) -> ScorerSignature? { byID[id] }

    private static let byID: [String: ScorerSignature] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
}
