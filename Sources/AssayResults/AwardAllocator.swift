public import AssayModel
import Foundation

/// Gives a competition's awards to ranked entrants.
///
/// Rules (documented in rubrics/README.md, "Award scheme"):
/// - Awards are given best first; each entrant receives at most one, the best it qualifies for.
/// - A place award goes to every entrant ranked at that place.
/// - Quota awards are counted on N, the entrants with a result. The first k quota awards together go to
///   round(N × (q1 + … + qk) ÷ 100) entrants, rounded as the scheme says (half-up by default): cumulative
///   targets, so rounding never drifts from award to award. A small-field rule (the one with the smallest
///   `max-entrants` ≥ N) replaces the percentages with fixed counts.
/// - A quota boundary never splits tied entrants: with `ties="expand"` all of them receive the award (the
///   quota grows); with `ties="contract"` none of them does (it shrinks, and they compete for the next award).
///   The sheet says which happened.
/// - Threshold awards (`min-score`, `min-standardised`) go to every entrant without a better award at or
///   above the line.
public enum AwardAllocator {
    public struct Entrant: Sendable {
        public var rank: Int
        public var total: Exact
        public var standardised: Exact?

        public init(rank: Int, total: Exact, standardised: Exact?) {
            self.rank = rank
            self.total = total
            self.standardised = standardised
        }
    }

    /// Awards per entrant (same order as `entrants`, which must be sorted best first), and notes.
    public static func allocate(_ scheme: AwardScheme, entrants: [Entrant]) -> (awards: [String?], notes: [String]) {
        let n = entrants.count
        var awards = [String?](repeating: nil, count: n)
        var notes: [String] = []
        let smallField = scheme.smallFields.filter { n <= $0.maxEntrants }.min { $0.maxEntrants < $1.maxEntrants }
        if let smallField {
            notes.append(
                "\(n) entrant\(n == 1 ? "" : "s") with a result: the small-field rule for up to \(smallField.maxEntrants) applies ("
                    + smallField.grants.map { "\($0.count) \($0.award)" }.joined(separator: ", ") + ")")
        }
        var cumulativePercent = Exact.zero
        var cumulativeFixed = 0
        var cursor = 0  // next entrant (in standing order) still to receive a quota award
        for award in scheme.awards {
            if let place = award.place {
                for i in 0..<n where entrants[i].rank == place && awards[i] == nil { awards[i] = award.id }
                continue
            }
            if let percent = award.quotaPercent {
                let target: Int
                let how: String
                if let smallField {
                    let fixed = smallField.grants.first { $0.award == award.id }?.count ?? 0
                    cumulativeFixed += fixed
                    target = min(cumulativeFixed, n)
                    how = "\(fixed) by the small-field rule"
                } else {
                    cumulativePercent += Exact(percent)
                    let exact = Exact(n) * cumulativePercent / 100
                    target = Int(exact.rounded(Rounding(roundingMode(scheme.rounding), decimals: 0)).numerator)
                    how = "\(percent.plainText) % of \(n)"
                }
                // Skip entrants already holding a better (place) award.
                while cursor < n && awards[cursor] != nil { cursor += 1 }
                var end = max(cursor, min(target, n))  // exclusive
                let planned = end - cursor
                if end > cursor && end < n && entrants[end - 1].rank == entrants[end].rank {
                    let tiedRank = entrants[end].rank
                    let tied = (0..<n).filter { entrants[$0].rank == tiedRank }
                    switch scheme.ties {
                    case .expand:
                        end = (tied.last ?? end - 1) + 1
                        notes.append(
                            "\(award.id): entrants tied at rank \(tiedRank) straddle the quota boundary; the quota expands from \(planned) to \(end - cursor) (ties=\"expand\")")
                    case .contract:
                        end = max(cursor, tied.first ?? end)
                        notes.append(
                            "\(award.id): entrants tied at rank \(tiedRank) straddle the quota boundary; the quota contracts from \(planned) to \(end - cursor) (ties=\"contract\")")
                    }
                }
                for i in cursor..<end where awards[i] == nil { awards[i] = award.id }
                if !notes.contains(where: { $0.hasPrefix("\(award.id):") }) && smallField == nil {
                    notes.append("\(award.id): \(how) → \(end - cursor) (cumulative target \(target))")
                }
                cursor = end
                continue
            }
            if let line = award.minScore {
                let l = Exact(line)
                for i in 0..<n where awards[i] == nil && entrants[i].total >= l { awards[i] = award.id }
            } else if let line = award.minStandardised {
                let l = Exact(line)
                for i in 0..<n where awards[i] == nil {
                    if let s = entrants[i].standardised, s >= l { awards[i] = award.id }
                }
            }
        }
        return (awards, notes)
    }

    static func roundingMode(_ r: AwardScheme.QuotaRounding) -> Rounding.Mode {
        switch r {
        case .halfUp: return .halfUp
        case .floor: return .floor
        case .ceiling: return .ceiling
        }
    }
}
