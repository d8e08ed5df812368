import AssayModel
import Foundation

// MARK: - Reading recorded values

/// The one recorded value a leaf reads, or the problem with it.
enum SingleValue {
    case number(Exact, ItemOrigin)
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
        return .problem(notANumber(item.value, item.origin))
    }
}

/// "'x' is not a number", or for a long run of digits, that it has too many.
func notANumber(_ value: String, _ origin: ItemOrigin) -> String {
    let plain = value.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }
    if plain && value.filter(\.isNumber).count > 18 {
        return "'\(value)' has more digits than Assay keeps (18); round it (\(origin))"
    }
    return "'\(value)' is not a number (\(origin))"
}

/// Checks that `value` lies in [low, high]; the message names the item. `top` says what `high` is, when
/// "the maximum N" would not tell the user which setting to look at (a judges' scale).
func rangeProblem(_ value: Exact, low: Exact, high: Exact, what: String, origin: ItemOrigin, top: String? = nil) -> String? {
    if value > high { return "\(what) \(value.text()) is above \(top ?? "the maximum \(high.text())") (\(origin))" }
    if value < low { return "\(what) \(value.text()) is below the minimum \(low.text()) (\(origin))" }
    return nil
}

// MARK: - value

/// `value`: the recorded value itself, optionally rescaled from 0…scale-from to 0…max.
struct ValueScorer: Scorer {
    let scaleFrom: Exact?
    var readsEvidence: Bool { true }

    func score(_ input: ScorerInput) -> ScorerResult {
        switch SingleValue.read(input) {
        case .problem(let p): return .incomplete(p)
        case .label: return .incomplete("unreachable")
        case .number(let v, let origin):
            if let scaleFrom {
                if let p = rangeProblem(v, low: 0, high: scaleFrom, what: "value", origin: origin) { return .incomplete(p) }
                let s = v / scaleFrom * input.max
                return ScorerResult(
                    score: s, explanation: input.explain ? "\(v.text()) out of \(scaleFrom.text()) × \(input.max.text()) = \(s.text())" : "")
            }
            if let p = rangeProblem(v, low: input.floor, high: input.max, what: "value", origin: origin) {
                return .incomplete(p)
            }
            return ScorerResult(score: v, explanation: input.explain ? "recorded \(v.text()) (\(origin))" : "")
        }
    }
}

// MARK: - tolerance

/// `tolerance`: full marks within ± tolerance of target; partial-points within ± partial-band; else 0.
struct ToleranceScorer: Scorer {
    let target: Exact
    let tolerance: Exact
    let partialBand: Exact?
    let partialPoints: Exact
    var readsEvidence: Bool { true }

    func score(_ input: ScorerInput) -> ScorerResult {
        guard case .number(let v, let origin) = SingleValue.read(input) else {
            if case .problem(let p) = SingleValue.read(input) { return .incomplete(p) }
            return .incomplete("not a number")
        }
        let deviation = v > target ? v - target : target - v
        // Compared below, an overflowed deviation would pass for "far off" and score 0: refuse it instead.
        if deviation.isTooLarge { return .incomplete(Exact.tooLargeProblem) }
        let s: Exact
        if deviation <= tolerance {
            s = input.max
        } else if let band = partialBand, deviation <= band {
            s = partialPoints
        } else {
            s = 0
        }
        guard input.explain else { return ScorerResult(score: s) }
        let why: String
        if deviation <= tolerance {
            why = "within ±\(tolerance.text())"
        } else if let band = partialBand, deviation <= band {
            why = "outside ±\(tolerance.text()) but within ±\(band.text()): partial"
        } else {
            why = "outside ±\((partialBand ?? tolerance).text())"
        }
        return ScorerResult(
            score: s,
            explanation: input.explain
                ? "measured \(v.text()) (\(origin)), target \(target.text()), off by \(deviation.text()): \(why) → \(s.text())" : "")
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
            if let p = rangeProblem(n, low: 0, high: Exact(items), what: "items achieved", origin: origin) { return .incomplete(p) }
            guard n.isMultiple(of: 1) else { return .incomplete("items achieved \(n.text()) is not a whole number (\(origin))") }
            let s = allOrNothing ? (n == Exact(items) ? input.max : 0) : n / Exact(items) * input.max
            let how = allOrNothing ? "all-or-nothing" : "\(n.text()) ÷ \(items) × \(input.max.text())"
            return ScorerResult(score: s, explanation: input.explain ? "\(n.text()) of \(items) items (\(origin)); \(how) = \(s.text())" : "")
        }
    }
}

// MARK: - lookup

/// `lookup`: a label by exact match; a number by the highest numeric key not above it.
struct LookupScorer: Scorer {
    /// Entries in the order written.
    let table: [(key: String, points: Exact)]
    let numericKeys: [(key: Exact, points: Exact)]
    let fallback: Exact?
    let clamp: Bool
    var readsEvidence: Bool { true }

    init(table: [(String, Exact)], fallback: Exact?, clamp: Bool) {
        self.table = table.map { (key: $0.0, points: $0.1) }
        self.numericKeys = table.compactMap { k, p in Exact(plainText: k).map { (key: $0, points: p) } }.sorted { $0.key < $1.key }
        self.fallback = fallback
        self.clamp = clamp
    }

    /// Lowest and highest points the table gives (a rubric criterion's range).
    var range: (min: Exact, max: Exact) {
        let points = table.map(\.points)
        return (points.min() ?? 0, points.max() ?? 0)
    }

    func score(_ input: ScorerInput) -> ScorerResult {
        let read = SingleValue.read(input, labels: true)
        var text: String
        var origin: ItemOrigin
        var number: Exact?
        switch read {
        case .problem(let p): return .incomplete(p)
        case .number(let n, let o): (text, origin, number) = (input.items.first { $0.kind != .deduction }?.value ?? n.text(), o, n)
        case .label(let l, let o): (text, origin, number) = (l, o, nil)
        }
        text = text.trimmingCharacters(in: .whitespaces)
        if let hit = table.first(where: { $0.key == text }) {
            return ScorerResult(score: hit.points, explanation: input.explain ? "'\(text)' (\(origin)) → \(hit.points.text())" : "")
        }
        if let v = number, !numericKeys.isEmpty {
            if let hit = numericKeys.last(where: { $0.key <= v }) {
                return ScorerResult(
                    score: hit.points, explanation: input.explain ? "\(v.text()) (\(origin)) ≥ \(hit.key.text()) → \(hit.points.text())" : "")
            }
            if clamp, let lowest = numericKeys.first {
                return ScorerResult(
                    score: lowest.points,
                    explanation: input.explain ? "\(v.text()) (\(origin)) is below every key; clamped to \(lowest.key.text()) → \(lowest.points.text())" : "")
            }
        }
        if let fallback {
            return ScorerResult(score: fallback, explanation: input.explain ? "'\(text)' (\(origin)) matches no key; default \(fallback.text())" : "")
        }
        return .incomplete("'\(text)' is not in the table (\(origin)); the table has \(table.map(\.key).joined(separator: ", "))")
    }
}

// MARK: - judges' panels

/// Judges' marks on a node: one per judge, each a number in range and on the step.
struct PanelMarks {
    var marks: [(judge: String, value: Exact, origin: ItemOrigin)] = []
    var problems: [String] = []

    init(_ input: ScorerInput, low: Exact, high: Exact, step: Exact?, top: String? = nil) {
        marks.reserveCapacity(input.items.count)
        for (i, item) in input.items.enumerated() where item.kind != .deduction {
            guard let judge = item.judge else {
                problems.append("a value without a judge where judges' marks are expected (\(item.origin))")
                continue
            }
            if let first = input.items[..<i].first(where: { $0.judge == judge && $0.kind != .deduction }) {
                problems.append("judge \(judge) marked twice (\(first.origin) and \(item.origin))")
                continue
            }
            guard let v = item.number else {
                problems.append("judge \(judge)'s mark: " + notANumber(item.value, item.origin))
                continue
            }
            if let p = rangeProblem(v, low: low, high: high, what: "judge \(judge)'s mark", origin: item.origin, top: top) {
                problems.append(p)
                continue
            }
            // Both fit, but their difference may not (a mark-min near −9223372036854775807): never "off the step".
            if step != nil, (v - low).isTooLarge {
                problems.append("judge \(judge)'s mark \(v.text()): \(Exact.tooLargeProblem) (\(item.origin))")
                continue
            }
            if let step, !(v - low).isMultiple(of: step) {
                problems.append("judge \(judge)'s mark \(v.text()) is not a multiple of \(step.text()) (\(item.origin))")
                continue
            }
            marks.append((judge, v, item.origin))
        }
        if marks.count > 1 { marks.sort { $0.judge < $1.judge } }
    }

    /// A flag when the highest and lowest marks are further apart than `maxSpread`.
    func spreadFlag(node: String, maxSpread: Exact?) -> [String] {
        guard let maxSpread, var hi = marks.first else { return [] }
        var lo = hi
        for m in marks.dropFirst() {
            if m.value > hi.value { hi = m }
            if m.value < lo.value { lo = m }
        }
        let spread = hi.value - lo.value
        guard spread > maxSpread else { return [] }
        return [
            "\(node): judges \(lo.judge) (\(lo.value.text())) and \(hi.judge) (\(hi.value.text())) are \(spread.text()) apart, more than \(maxSpread.text()): re-mark"
        ]
    }

    var listed: String { marks.map { "\($0.judge) \($0.value.text())" }.joined(separator: ", ") }

    /// The marks with where each was recorded, for messages about the panel.
    var listedWithPlaces: String {
        marks.isEmpty ? "none" : marks.map { "\($0.judge) \($0.value.text()) at \($0.origin)" }.joined(separator: ", ")
    }

    /// A problem when the panel has fewer or more marks than judges.
    func countProblem(judges: Int?) -> String? {
        guard let judges else { return nil }
        if marks.count < judges { return "\(marks.count) of \(judges) judges marked (\(listedWithPlaces))" }
        if marks.count > judges {
            return "\(marks.count) judges marked where the panel has \(judges) (\(listedWithPlaces)); remove the extra or mistyped mark"
        }
        return nil
    }
}

/// Drops `k` highest and `k` lowest values (ties broken by judge id, so the result is the same every run).
func trim(_ marks: [(judge: String, value: Exact, origin: ItemOrigin)], k: Int) -> [Exact] {
    let sorted = marks.sorted { $0.value != $1.value ? $0.value < $1.value : $0.judge < $1.judge }
    return Array(sorted.dropFirst(k).dropLast(k)).map(\.value)
}

/// `judgement-panel`: WorldSkills judgement — mean of the judges' 0…scale marks ÷ scale × max.
struct JudgementPanelScorer: Scorer {
    let judges: Int?
    let maxSpread: Exact?
    let scale: Int
    /// Whether the rubric gives `scale` (else it is the default, 3): a mark above it names the parameter.
    let scaleGiven: Bool
    let drop: Int
    let step: Exact?
    var readsEvidence: Bool { true }

    /// What a mark above the scale is above: the scale, named as the rubric sets it (or does not).
    func top(node: String) -> String {
        if scaleGiven { return "\(scale), the top of the judges' scale (scale=\"\(scale)\")" }
        return "\(scale), the top of the judges' scale (the default: node '\(node)' gives no scale)"
    }

    func score(_ input: ScorerInput) -> ScorerResult {
        let panel = PanelMarks(input, low: 0, high: Exact(scale), step: step, top: top(node: input.nodeID))
        if !panel.problems.isEmpty { return ScorerResult(score: nil, problems: panel.problems) }
        if let p = panel.countProblem(judges: judges) { return .incomplete(p) }
        guard panel.marks.count > 2 * drop else {
            return .incomplete("\(panel.marks.count) marks are too few to drop \(drop) at each end")
        }
        var total = Exact.zero
        var count = 0
        if drop == 0 {
            for m in panel.marks { total += m.value }
            count = panel.marks.count
        } else {
            let kept = trim(panel.marks, k: drop)
            for v in kept { total += v }
            count = kept.count
        }
        let mean = total / Exact(count)
        // Mean first, then ÷ scale × max: (count × scale) could pass 64 bits where the result does not.
        let s = mean / Exact(scale) * input.max
        let flags = panel.spreadFlag(node: input.nodeID, maxSpread: maxSpread)
        guard input.explain else { return ScorerResult(score: s, flags: flags) }
        let dropped = drop > 0 ? "; dropping \(drop) highest and lowest" : ""
        return ScorerResult(
            score: s,
            explanation: input.explain
                ? "judges \(panel.listed)\(dropped); mean \(mean.text()) ÷ \(scale) × \(input.max.text()) = \(s.text())" : "",
            flags: flags)
    }
}

/// `trimmed-mean`: drop k highest and k lowest marks, then the mean (or sum) of the rest.
struct TrimmedMeanScorer: Scorer {
    let drop: Int?
    let dropByPanel: [Int: Int]
    let sum: Bool
    let judges: Int?
    let markMin: Exact?
    let markMax: Exact?
    let maxSpread: Exact?
    let step: Exact?
    var readsEvidence: Bool { true }

    func score(_ input: ScorerInput) -> ScorerResult {
        let panel = PanelMarks(input, low: markMin ?? 0, high: markMax ?? input.max, step: step)
        if !panel.problems.isEmpty { return ScorerResult(score: nil, problems: panel.problems) }
        let n = panel.marks.count
        if let p = panel.countProblem(judges: judges) { return .incomplete(p) }
        if n == 0 { return .incomplete("nothing recorded") }
        let k: Int
        if let drop {
            k = drop
        } else if !dropByPanel.isEmpty {
            guard let byPanel = dropByPanel[n] else {
                let sizes = dropByPanel.keys.sorted().map(String.init).joined(separator: ", ")
                return .incomplete("\(n) judge\(n == 1 ? "" : "s") marked, but the rubric says how many to drop only for panels of \(sizes)")
            }
            k = byPanel
        } else {
            k = 0
        }
        guard n > 2 * k else { return .incomplete("\(n) marks are too few to drop \(k) at each end") }
        let kept = trim(panel.marks, k: k)
        let total = kept.reduce(Exact.zero, +)
        let s = sum ? total : total / Exact(kept.count)
        let how = sum ? "sum of the rest \(s.text())" : "mean of the rest \(total.text()) ÷ \(kept.count) = \(s.text())"
        return ScorerResult(
            score: s,
            explanation: input.explain
                ? "judges \(panel.listed); dropping \(k) highest and \(k) lowest leaves \(kept.map { $0.text() }.joined(separator: ", ")); \(how)" : "",
            flags: panel.spreadFlag(node: input.nodeID, maxSpread: maxSpread))
    }
}
