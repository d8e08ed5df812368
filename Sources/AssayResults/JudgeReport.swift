import AssayModel
import Foundation

/// How consistently a competition's judges marked: where a panel must look again, which judges mark
/// harder or softer than their colleagues, how often they agree, and the panels' intraclass correlation.
///
/// Statistics (offsets, agreement rates, ICC) are computed in binary floating point: they describe the
/// marking, they are never a published score. They rest only on panels that scoring accepted: a mark outside
/// the aspect's range (above a judges' scale, say) or off its mark step makes scoring refuse that entrant's
/// whole panel on the aspect (the entrant is not ranked), so the report leaves out the whole panel too — the
/// refused mark and the other judges' marks on that entrant — and says how many and whose in the aspect's
/// note (counted in ``AspectSummary/refusedMarks`` and ``AspectSummary/refusedPanels``).
public struct JudgeReport: Sendable {
    /// One entrant's marks on one aspect further apart than the aspect's `max-spread`.
    public struct SpreadFlag: Sendable, Hashable {
        public var aspect: String
        public var candidate: String
        public var spread: Double
        public var maxSpread: Double
        /// Judge and mark, by judge id.
        public var marks: [String]
    }

    /// A judge's mean offset from the rest of the panel.
    public struct JudgeOffset: Sendable, Hashable {
        public var judge: String
        /// Mean of (this judge's mark − mean of the other judges' marks on the same entrant and aspect),
        /// as a percentage of the aspect's mark range; negative is severe, positive lenient.
        public var meanOffsetPercent: Double
        /// The same in mark points, when every aspect the judge marked has the same range.
        public var meanOffsetPoints: Double?
        /// How many marks it rests on.
        public var marks: Int
    }

    /// Per judged aspect: agreement and ICC.
    public struct AspectSummary: Sendable, Hashable {
        public var aspect: String
        public var entrants: Int
        public var judges: [String]
        /// Pairs of judges on the same entrant: share with identical marks, and within one step.
        public var exactAgreement: Double?
        public var adjacentAgreement: Double?
        public var spreadFlags: Int
        /// Shrout & Fleiss (1979) ICCs, when every entrant was marked by the same judges.
        public var icc: ICC?
        /// Why ICC is absent, when it is; and how many refused marks were left out, when some were.
        public var iccNote: String?
        /// Marks scoring refused (out of range or off the mark step), left out of every figure.
        public var refusedMarks: Int = 0
        /// Entrants whose panel on this aspect scoring refused (for one of ``refusedMarks``), by id: all their
        /// marks on the aspect are left out of every figure, the accepted ones too.
        public var refusedPanels: [String] = []
    }

    public var spreadFlags: [SpreadFlag]
    public var offsets: [JudgeOffset]
    public var aspects: [AspectSummary]
    public var exactAgreement: Double?
    public var adjacentAgreement: Double?
    /// Marks scoring refused, over all aspects, left out of every figure.
    public var refusedMarks: Int = 0

    public init(
        spreadFlags: [SpreadFlag] = [], offsets: [JudgeOffset] = [], aspects: [AspectSummary] = [],
        exactAgreement: Double? = nil, adjacentAgreement: Double? = nil
    ) {
        self.spreadFlags = spreadFlags
        self.offsets = offsets
        self.aspects = aspects
        self.exactAgreement = exactAgreement
        self.adjacentAgreement = adjacentAgreement
    }
}

/// Intraclass correlation coefficients after Shrout & Fleiss (1979), from the two-way ANOVA of an
/// n targets × k judges table in which every judge rated every target.
///
/// ICC(2,1) and ICC(2,k): judges a random sample of judges (absolute agreement); ICC(3,1) and ICC(3,k):
/// these judges only (consistency). "1" is the reliability of one judge's mark, "k" of the panel's mean.
public struct ICC: Sendable, Hashable {
    public var targets: Int
    public var judges: Int
    public var icc21: Double
    public var icc31: Double
    public var icc2k: Double
    public var icc3k: Double

    /// `table[i][j]`: target i's rating by judge j. Nil unless n ≥ 2, k ≥ 2 and the table is rectangular.
    public init?(table: [[Double]]) {
        let n = table.count
        guard n >= 2, let k = table.first?.count, k >= 2, table.allSatisfy({ $0.count == k }) else { return nil }
        let all = table.flatMap { $0 }
        let grand = all.reduce(0, +) / Double(n * k)
        let rowMeans = table.map { $0.reduce(0, +) / Double(k) }
        let colMeans = (0..<k).map { j in table.reduce(0) { $0 + $1[j] } / Double(n) }
        let ssRows = Double(k) * rowMeans.reduce(0) { $0 + ($1 - grand) * ($1 - grand) }
        let ssCols = Double(n) * colMeans.reduce(0) { $0 + ($1 - grand) * ($1 - grand) }
        let ssTotal = all.reduce(0) { $0 + ($1 - grand) * ($1 - grand) }
        let ssError = ssTotal - ssRows - ssCols
        let bms = ssRows / Double(n - 1)
        let jms = ssCols / Double(k - 1)
        let ems = ssError / Double((n - 1) * (k - 1))
        let kd = Double(k)
        let nd = Double(n)
        targets = n
        judges = k
        icc21 = (bms - ems) / (bms + (kd - 1) * ems + kd * (jms - ems) / nd)
        icc31 = (bms - ems) / (bms + (kd - 1) * ems)
        icc2k = (bms - ems) / (bms + (jms - ems) / nd)
        icc3k = (bms - ems) / bms
        guard [icc21, icc31, icc2k, icc3k].allSatisfy({ $0.isFinite }) else { return nil }
    }
}

/// One judge's mark on one aspect for one entrant, as the judge report reads it.
public struct PanelMark: Sendable, Hashable {
    public var candidate: String
    public var aspect: String
    public var judge: String
    public var value: Double

    public init(candidate: String, aspect: String, judge: String, value: Double) {
        self.candidate = candidate
        self.aspect = aspect
        self.judge = judge
        self.value = value
    }
}

/// What the report needs to know about a judged aspect.
public struct JudgedAspect: Sendable, Hashable {
    public var id: String
    /// Lowest and highest mark a judge may give.
    public var low: Double
    public var high: Double
    /// What counts as "adjacent" agreement (one mark step).
    public var step: Double
    public var maxSpread: Double?
    /// The rubric's `mark-step`, when it gives one: scoring refuses marks off it.
    public var markStep: Double?
    /// What `high` is, for the note on refused marks ("the judges' scale").
    public var highName: String?

    public init(
        id: String, low: Double, high: Double, step: Double, maxSpread: Double?, markStep: Double? = nil, highName: String? = nil
    ) {
        self.id = id
        self.low = low
        self.high = high
        self.step = step
        self.maxSpread = maxSpread
        self.markStep = markStep
        self.highName = highName
    }

    /// Whether scoring accepts this mark: within low…high and, when the rubric gives a mark step, on it.
    public func accepts(_ value: Double) -> Bool {
        guard value >= low - 1e-9, value <= high + 1e-9 else { return false }
        guard let markStep, markStep > 0 else { return true }
        let steps = (value - low) / markStep
        return abs(steps - steps.rounded()) < 1e-9
    }
}

/// One entrant's marks on one aspect: the panel's marks, judge by judge.
public struct Panel: Sendable, Hashable {
    public var aspect: String
    public var candidate: String
    /// Sorted by judge id.
    public var marks: [Mark]

    public struct Mark: Sendable, Hashable {
        public var judge: String
        public var value: Double

        public init(judge: String, value: Double) {
            self.judge = judge
            self.value = value
        }
    }

    public init(aspect: String, candidate: String, marks: [Mark]) {
        self.aspect = aspect
        self.candidate = candidate
        self.marks = marks.sorted { $0.judge < $1.judge }
    }
}

extension JudgeReport {
    /// Builds the report from every judged mark of the competition.
    public init(aspects: [JudgedAspect], marks: [PanelMark]) {
        var grouped: [String: [String: [Panel.Mark]]] = [:]
        for m in marks { grouped[m.aspect, default: [:]][m.candidate, default: []].append(Panel.Mark(judge: m.judge, value: m.value)) }
        var panels: [Panel] = []
        for (aspect, byCandidate) in grouped {
            for (candidate, list) in byCandidate {
                // A judge's later mark replaces an earlier one (scoring already refuses doubles).
                var seen: [String: Double] = [:]
                for m in list { seen[m.judge] = m.value }
                panels.append(Panel(aspect: aspect, candidate: candidate, marks: seen.map { Panel.Mark(judge: $0.key, value: $0.value) }))
            }
        }
        self.init(aspects: aspects, panels: panels)
    }

    /// Builds the report from each entrant's panel on each judged aspect.
    public init(aspects: [JudgedAspect], panels: [Panel]) {
        // Only panels scoring accepted count: one refused mark makes scoring refuse the entrant's whole panel
        // on the aspect, so the panel is left out whole; refused marks and panels are counted per aspect.
        var byAspect: [String: [Panel]] = [:]
        var refused: [String: Int] = [:]
        var refusedPanels: [String: [String]] = [:]
        var rules: [String: JudgedAspect] = [:]
        for a in aspects where rules[a.id] == nil { rules[a.id] = a }
        for panel in panels {
            if let rule = rules[panel.aspect] {
                let refusedHere = panel.marks.filter { !rule.accepts($0.value) }.count
                if refusedHere > 0 {
                    refused[panel.aspect, default: 0] += refusedHere
                    refusedPanels[panel.aspect, default: []].append(panel.candidate)
                    continue
                }
            }
            if !panel.marks.isEmpty { byAspect[panel.aspect, default: []].append(panel) }
        }
        var flags: [SpreadFlag] = []
        var summaries: [AspectSummary] = []
        var offsetSums: [String: (percent: Double, points: Double, count: Int, ranges: Set<Double>)] = [:]
        var exactPairs = 0
        var adjacentPairs = 0
        var pairs = 0
        var seenAspects = Set<String>()
        for aspect in aspects where seenAspects.insert(aspect.id).inserted {
            let refusedHere = refused[aspect.id] ?? 0
            let refusedWhole = (refusedPanels[aspect.id] ?? []).sorted()
            let refusedNote = refusedHere == 0 ? nil : Self.refusedNote(refusedHere, aspect, panels: refusedWhole)
            guard var list = byAspect[aspect.id], !list.isEmpty else {
                if let refusedNote {
                    var summary = AspectSummary(
                        aspect: aspect.id, entrants: 0, judges: [], exactAgreement: nil, adjacentAgreement: nil, spreadFlags: 0,
                        icc: nil, iccNote: "no accepted marks: " + refusedNote)
                    summary.refusedMarks = refusedHere
                    summary.refusedPanels = refusedWhole
                    summaries.append(summary)
                }
                continue
            }
            list.sort { $0.candidate < $1.candidate }
            let range = aspect.high - aspect.low
            var aExact = 0
            var aAdjacent = 0
            var aPairs = 0
            var aFlags = 0
            var judgeSet = Set<String>()
            var setCounts: [[String]: Int] = [:]
            for panel in list {
                let values = panel.marks
                for m in values { judgeSet.insert(m.judge) }
                setCounts[values.map(\.judge), default: 0] += 1
                if let maxSpread = aspect.maxSpread, let hi = values.map(\.value).max(), let lo = values.map(\.value).min(),
                    hi - lo > maxSpread + 1e-9
                {
                    flags.append(
                        SpreadFlag(
                            aspect: aspect.id, candidate: panel.candidate, spread: hi - lo, maxSpread: maxSpread,
                            marks: values.map { "\($0.judge) \(Self.number($0.value))" }))
                    aFlags += 1
                }
                guard values.count >= 2 else { continue }
                let total = values.reduce(0) { $0 + $1.value }
                for (i, a) in values.enumerated() {
                    let offset = a.value - (total - a.value) / Double(values.count - 1)
                    var entry = offsetSums[a.judge] ?? (0, 0, 0, [])
                    entry.percent += range > 0 ? offset / range * 100 : 0
                    entry.points += offset
                    entry.count += 1
                    entry.ranges.insert(range)
                    offsetSums[a.judge] = entry
                    for b in values[(i + 1)...] {
                        let d = abs(a.value - b.value)
                        aPairs += 1
                        if d < 1e-9 { aExact += 1 }
                        if d <= aspect.step + 1e-9 { aAdjacent += 1 }
                    }
                }
            }
            exactPairs += aExact
            adjacentPairs += aAdjacent
            pairs += aPairs
            // ICC needs every judge to mark every entrant: use the entrants marked by the panel most entrants
            // had, and say which were left out.
            var icc: ICC?
            var note: String?
            let panel = setCounts.max { a, b in a.value != b.value ? a.value < b.value : a.key.count < b.key.count }?.key ?? []
            let included = list.filter { $0.marks.map(\.judge) == panel }
            let excluded = list.filter { $0.marks.map(\.judge) != panel }.map(\.candidate)
            if panel.count < 2 {
                note = "ICC needs at least two judges per entrant"
            } else if included.count < 2 {
                note = "ICC not computed: fewer than two entrants were marked by the same judges"
            } else {
                icc = ICC(table: included.map { $0.marks.map(\.value) })
                if icc == nil {
                    note = "ICC not defined: the marks do not vary"
                } else if !excluded.isEmpty {
                    let shown = excluded.prefix(10).joined(separator: ", ") + (excluded.count > 10 ? " and \(excluded.count - 10) more" : "")
                    note = "computed on the \(included.count) entrants marked by \(panel.joined(separator: ", ")); left out (not marked by that panel): \(shown)"
                }
            }
            var summary = AspectSummary(
                aspect: aspect.id, entrants: list.count, judges: judgeSet.sorted(),
                exactAgreement: aPairs > 0 ? Double(aExact) / Double(aPairs) : nil,
                adjacentAgreement: aPairs > 0 ? Double(aAdjacent) / Double(aPairs) : nil, spreadFlags: aFlags, icc: icc,
                iccNote: [note, refusedNote].compactMap { $0 }.joined(separator: "; ").nilIfEmpty)
            summary.refusedMarks = refusedHere
            summary.refusedPanels = refusedWhole
            summaries.append(summary)
        }
        self.spreadFlags = flags.sorted {
            $0.spread != $1.spread ? $0.spread > $1.spread : ($0.aspect != $1.aspect ? $0.aspect < $1.aspect : $0.candidate < $1.candidate)
        }
        // Sums of halves and thirds leave binary residue around zero: round to 1e-9 so 0 prints as 0.
        func clean(_ x: Double) -> Double { abs(x) < 1e-9 ? 0 : (x * 1e9).rounded() / 1e9 }
        self.offsets = offsetSums.map { judge, s in
            JudgeOffset(
                judge: judge, meanOffsetPercent: clean(s.percent / Double(s.count)),
                meanOffsetPoints: s.ranges.count == 1 ? clean(s.points / Double(s.count)) : nil, marks: s.count)
        }.sorted {
            abs($0.meanOffsetPercent) != abs($1.meanOffsetPercent)
                ? abs($0.meanOffsetPercent) > abs($1.meanOffsetPercent) : $0.judge < $1.judge
        }
        // Worst first: most spread flags, then lowest single-judge reliability.
        self.aspects = summaries.sorted {
            if $0.spreadFlags != $1.spreadFlags { return $0.spreadFlags > $1.spreadFlags }
            let a = $0.icc?.icc21 ?? 2
            let b = $1.icc?.icc21 ?? 2
            return a != b ? a < b : $0.aspect < $1.aspect
        }
        self.exactAgreement = pairs > 0 ? Double(exactPairs) / Double(pairs) : nil
        self.adjacentAgreement = pairs > 0 ? Double(adjacentPairs) / Double(pairs) : nil
        self.refusedMarks = summaries.reduce(0) { $0 + $1.refusedMarks }
    }

    /// "2 marks refused by scoring (outside 0 to 10, in steps of 0.5) left out of these figures, with the
    /// other marks of the panel of E5, which scoring refused whole".
    static func refusedNote(_ count: Int, _ aspect: JudgedAspect, panels: [String]) -> String {
        let range = "\(number(aspect.low)) to \(number(aspect.high))"
        let allowed = aspect.highName.map { "\(range), \($0)" } ?? range
        let step = aspect.markStep.map { ", in steps of \(number($0))" } ?? ""
        let whose: String
        if panels.count == 1 {
            whose = "the panel of \(panels[0])"
        } else {
            let shown = panels.prefix(10).joined(separator: ", ") + (panels.count > 10 ? " and \(panels.count - 10) more" : "")
            whose = "the panels of \(panels.count) entrants (\(shown))"
        }
        return "\(count) mark\(count == 1 ? "" : "s") refused by scoring (outside \(allowed)\(step)) left out of these figures, with the other marks of \(whose), which scoring refused whole"
    }

    /// A mark as people write it: 2, 2.5.
    static func number(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%g", v)
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
