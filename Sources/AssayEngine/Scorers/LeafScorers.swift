import AssayModel
import Foundation

// MARK: - Reading recorded values

/// The one recorded value a leaf reads, or the problem with it.
enum SingleValue {
    case number(Decimal, ItemOrigin)
    case label(String, ItemOrigin)
    case problem(String)

    static func read(_ input: ScorerInput, labels: Bool = false) -> SingleValue {
        let values = input.items.filter { $0.kind != .deduction }
        guard let item = values.first else { return .problem("nothing recorded") }
        if values.count > 1 {
            let where_ = values.map(\.origin.description).joined(separator: ", ")
            return .problem("\(values.count) values recorded where one is expected (\(where_))")
        }
        if let n = item.number { return .number(n, item.origin) }
        if labels { return .label(item.value, item.origin) }
        return .problem("'\(item.value)' is not a number (\(item.origin))")
    }
}

/// Checks that `value` lies in [low, high]; the message names the item.
func rangeProblem(_ value: Decimal, low: Decimal, high: Decimal, what: String, origin: ItemOrigin) -> String? {
    if value > high { return "\(what) \(value.shown) is above the maximum \(high.shown) (\(origin))" }
    if value < low { return "\(what) \(value.shown) is below the minimum \(low.shown) (\(origin))" }
    return nil
}

// MARK: - value

/// `value`: the recorded value itself, optionally rescaled from 0…scale-from to 0…max.
struct ValueScorer: Scorer {
    let scaleFrom: Decimal?
    var readsEvidence: Bool { true }

    func score(_ input: ScorerInput) -> ScorerResult {
        switch SingleValue.read(input) {
        case .problem(let p): return .incomplete(p)
        case .label: return .incomplete("unreachable")
        case .number(let v, let origin):
            if let scaleFrom {
                if let p = rangeProblem(v, low: 0, high: scaleFrom, what: "value", origin: origin) { return .incomplete(p) }
                let s = v / scaleFrom * input.node.max
                return ScorerResult(
                    score: s, explanation: input.explain ? "\(v.shown) out of \(scaleFrom.shown) × \(input.node.max.shown) = \(s.shown)" : "")
            }
            if let p = rangeProblem(v, low: input.floor, high: input.node.max, what: "value", origin: origin) {
                return .incomplete(p)
            }
            return ScorerResult(score: v, explanation: input.explain ? "recorded \(v.shown) (\(origin))" : "")
        }
    }
}

// MARK: - tolerance

/// `tolerance`: full marks within ± tolerance of target; partial-points within ± partial-band; else 0.
struct ToleranceScorer: Scorer {
    let target: Decimal
    let tolerance: Decimal
    let partialBand: Decimal?
    let partialPoints: Decimal
    var readsEvidence: Bool { true }

    func score(_ input: ScorerInput) -> ScorerResult {
        guard case .number(let v, let origin) = SingleValue.read(input) else {
            if case .problem(let p) = SingleValue.read(input) { return .incomplete(p) }
            return .incomplete("not a number")
        }
        let deviation = v > target ? v - target : target - v
        let s: Decimal
        let why: String
        if deviation <= tolerance {
            s = input.node.max
            why = "within ±\(tolerance.shown)"
        } else if let band = partialBand, deviation <= band {
            s = partialPoints
            why = "outside ±\(tolerance.shown) but within ±\(band.shown): partial"
        } else {
            s = 0
            why = "outside ±\((partialBand ?? tolerance).shown)"
        }
        return ScorerResult(
            score: s,
            explanation: input.explain
                ? "measured \(v.shown) (\(origin)), target \(target.shown), off by \(deviation.shown): \(why) → \(s.shown)" : "")
    }
}

// MARK: - checklist

/// `checklist`: items achieved out of `items`, proportional or all-or-nothing.
struct ChecklistScorer: Scorer {
    let items: Int
    let allOrNothing: Bool
    var readsEvidence: Bool { true }

    func score(_ input: ScorerInput) -> ScorerResult {
        switch SingleValue.read(input) {
        case .problem(let p): return .incomplete(p)
        case .label: return .incomplete("unreachable")
        case .number(let n, let origin):
            if let p = rangeProblem(n, low: 0, high: Decimal(items), what: "items achieved", origin: origin) { return .incomplete(p) }
            guard n.isMultiple(of: 1) else { return .incomplete("items achieved \(n.shown) is not a whole number (\(origin))") }
            let s = allOrNothing ? (n == Decimal(items) ? input.node.max : 0) : n / Decimal(items) * input.node.max
            let how = allOrNothing ? "all-or-nothing" : "\(n.shown) ÷ \(items) × \(input.node.max.shown)"
            return ScorerResult(score: s, explanation: input.explain ? "\(n.shown) of \(items) items (\(origin)); \(how) = \(s.shown)" : "")
        }
    }
}

// MARK: - lookup

/// `lookup`: a label by exact match; a number by the highest numeric key not above it.
struct LookupScorer: Scorer {
    /// Entries in the order written.
    let table: [(key: String, points: Decimal)]
    let numericKeys: [(key: Decimal, points: Decimal)]
    let fallback: Decimal?
    let clamp: Bool
    var readsEvidence: Bool { true }

    init(table: [(String, Decimal)], fallback: Decimal?, clamp: Bool) {
        self.table = table.map { (key: $0.0, points: $0.1) }
        self.numericKeys = table.compactMap { k, p in Decimal(plainText: k).map { (key: $0, points: p) } }.sorted { $0.key < $1.key }
        self.fallback = fallback
        self.clamp = clamp
    }

    /// Lowest and highest points the table gives (a rubric criterion's range).
    var range: (min: Decimal, max: Decimal) {
        let points = table.map(\.points)
        return (points.min() ?? 0, points.max() ?? 0)
    }

    func score(_ input: ScorerInput) -> ScorerResult {
        let read = SingleValue.read(input, labels: true)
        var text: String
        var origin: ItemOrigin
        var number: Decimal?
        switch read {
        case .problem(let p): return .incomplete(p)
        case .number(let n, let o): (text, origin, number) = (input.items.first { $0.kind != .deduction }?.value ?? n.shown, o, n)
        case .label(let l, let o): (text, origin, number) = (l, o, nil)
        }
        text = text.trimmingCharacters(in: .whitespaces)
        if let hit = table.first(where: { $0.key == text }) {
            return ScorerResult(score: hit.points, explanation: input.explain ? "'\(text)' (\(origin)) → \(hit.points.shown)" : "")
        }
        if let v = number, !numericKeys.isEmpty {
            if let hit = numericKeys.last(where: { $0.key <= v }) {
                return ScorerResult(
                    score: hit.points, explanation: input.explain ? "\(v.shown) (\(origin)) ≥ \(hit.key.shown) → \(hit.points.shown)" : "")
            }
            if clamp, let lowest = numericKeys.first {
                return ScorerResult(
                    score: lowest.points,
                    explanation: input.explain ? "\(v.shown) (\(origin)) is below every key; clamped to \(lowest.key.shown) → \(lowest.points.shown)" : "")
            }
        }
        if let fallback {
            return ScorerResult(score: fallback, explanation: input.explain ? "'\(text)' (\(origin)) matches no key; default \(fallback.shown)" : "")
        }
        return .incomplete("'\(text)' is not in the table (\(origin)); the table has \(table.map(\.key).joined(separator: ", "))")
    }
}

// MARK: - judges' panels

/// Judges' marks on a node: one per judge, each a number in range and on the step.
struct PanelMarks {
    var marks: [(judge: String, value: Decimal, origin: ItemOrigin)] = []
    var problems: [String] = []

    init(_ input: ScorerInput, low: Decimal, high: Decimal, step: Decimal?) {
        var seen: [String: ItemOrigin] = [:]
        for item in input.items where item.kind != .deduction {
            guard let judge = item.judge else {
                problems.append("a value without a judge where judges' marks are expected (\(item.origin))")
                continue
            }
            if let first = seen[judge] {
                problems.append("judge \(judge) marked twice (\(first) and \(item.origin))")
                continue
            }
            seen[judge] = item.origin
            guard let v = item.number else {
                problems.append("judge \(judge)'s mark '\(item.value)' is not a number (\(item.origin))")
                continue
            }
            if let p = rangeProblem(v, low: low, high: high, what: "judge \(judge)'s mark", origin: item.origin) {
                problems.append(p)
                continue
            }
            if let step, !(v - low).isMultiple(of: step) {
                problems.append("judge \(judge)'s mark \(v.shown) is not a multiple of \(step.shown) (\(item.origin))")
                continue
            }
            marks.append((judge, v, item.origin))
        }
        marks.sort { $0.judge < $1.judge }
    }

    /// A flag when the highest and lowest marks are further apart than `maxSpread`.
    func spreadFlag(node: String, maxSpread: Decimal?) -> [String] {
        guard let maxSpread, let hi = marks.max(by: { $0.value < $1.value }), let lo = marks.min(by: { $0.value < $1.value })
        else { return [] }
        let spread = hi.value - lo.value
        guard spread > maxSpread else { return [] }
        return [
            "\(node): judges \(lo.judge) (\(lo.value.shown)) and \(hi.judge) (\(hi.value.shown)) are \(spread.shown) apart, more than \(maxSpread.shown): re-mark"
        ]
    }

    var listed: String { marks.map { "\($0.judge) \($0.value.shown)" }.joined(separator: ", ") }
}

/// Drops `k` highest and `k` lowest values (ties broken by judge id, so the result is the same every run).
func trim(_ marks: [(judge: String, value: Decimal, origin: ItemOrigin)], k: Int) -> [Decimal] {
    let sorted = marks.sorted { $0.value != $1.value ? $0.value < $1.value : $0.judge < $1.judge }
    return Array(sorted.dropFirst(k).dropLast(k)).map(\.value)
}

/// `judgement-panel`: WorldSkills judgement — mean of the judges' 0…scale marks ÷ scale × max.
struct JudgementPanelScorer: Scorer {
    let judges: Int?
    let maxSpread: Decimal?
    let scale: Int
    let drop: Int
    let step: Decimal?
    var readsEvidence: Bool { true }

    func score(_ input: ScorerInput) -> ScorerResult {
        let panel = PanelMarks(input, low: 0, high: Decimal(scale), step: step)
        if !panel.problems.isEmpty { return ScorerResult(score: nil, problems: panel.problems) }
        if let judges, panel.marks.count < judges {
            return .incomplete("\(panel.marks.count) of \(judges) judges marked (\(panel.listed.isEmpty ? "none" : panel.listed))")
        }
        guard panel.marks.count > 2 * drop else {
            return .incomplete("\(panel.marks.count) marks are too few to drop \(drop) at each end")
        }
        let kept = trim(panel.marks, k: drop)
        let mean = kept.reduce(Decimal(0), +) / Decimal(kept.count)
        let s = mean / Decimal(scale) * input.node.max
        let dropped = drop > 0 ? "; dropping \(drop) highest and lowest" : ""
        return ScorerResult(
            score: s,
            explanation: input.explain
                ? "judges \(panel.listed)\(dropped); mean \(mean.shown) ÷ \(scale) × \(input.node.max.shown) = \(s.shown)" : "",
            flags: panel.spreadFlag(node: input.node.id, maxSpread: maxSpread))
    }
}

/// `trimmed-mean`: drop k highest and k lowest marks, then the mean (or sum) of the rest.
struct TrimmedMeanScorer: Scorer {
    let drop: Int?
    let dropByPanel: [Int: Int]
    let sum: Bool
    let judges: Int?
    let markMin: Decimal?
    let markMax: Decimal?
    let maxSpread: Decimal?
    let step: Decimal?
    var readsEvidence: Bool { true }

    func score(_ input: ScorerInput) -> ScorerResult {
        let panel = PanelMarks(input, low: markMin ?? 0, high: markMax ?? input.node.max, step: step)
        if !panel.problems.isEmpty { return ScorerResult(score: nil, problems: panel.problems) }
        let n = panel.marks.count
        if let judges, n < judges {
            return .incomplete("\(n) of \(judges) judges marked (\(panel.listed.isEmpty ? "none" : panel.listed))")
        }
        if n == 0 { return .incomplete("nothing recorded") }
        let k: Int
        if let drop {
            k = drop
        } else if !dropByPanel.isEmpty {
            guard let byPanel = dropByPanel[n] else {
                let sizes = dropByPanel.keys.sorted().map(String.init).joined(separator: ", ")
                return .incomplete("\(n) judges marked, but the rubric says how many to drop only for panels of \(sizes)")
            }
            k = byPanel
        } else {
            k = 0
        }
        guard n > 2 * k else { return .incomplete("\(n) marks are too few to drop \(k) at each end") }
        let kept = trim(panel.marks, k: k)
        let total = kept.reduce(Decimal(0), +)
        let s = sum ? total : total / Decimal(kept.count)
        let how = sum ? "sum of the rest \(s.shown)" : "mean of the rest \(total.shown) ÷ \(kept.count) = \(s.shown)"
        return ScorerResult(
            score: s,
            explanation: input.explain
                ? "judges \(panel.listed); dropping \(k) highest and \(k) lowest leaves \(kept.map(\.shown).joined(separator: ", ")); \(how)" : "",
            flags: panel.spreadFlag(node: input.node.id, maxSpread: maxSpread))
    }
}
