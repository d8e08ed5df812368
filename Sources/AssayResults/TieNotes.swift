import AssayModel
import Foundation

/// The notes that say how a tie on the total was settled, or that it could not be.
///
/// Input: every ranked entrant's key (total, then each tie-break node's score in the rubric's order), sorted
/// best first (higher first, a missing score lowest), entrants with equal keys by candidate id: the order
/// the standings are in.
///
/// An entrant tied on the total with others sees them in classes, in standing order: those ahead of it,
/// by the tie-break node that first tells them apart (the first node, then the next…); those equal on every
/// tie-break (they share its rank); those behind it, by the node that first tells them apart (the last node
/// first). A class of at most ``listedPerClass`` entrants is listed one by one, as
/// `tied with E2 on the total; ahead on B (8.11 to 7)` or
/// `tied with E5 on the total and every tie-break: shares rank 4`. A larger class is summed up in one part,
/// `tied with 1200 others on the total; behind on B (7 to 7.5–9)` (its own score, then the range of theirs) or
/// `tied with E2, E3, E4 and 9996 others on the total and every tie-break: shares rank 1`. So a note has at
/// most (2 × tie-break nodes + 1) × ``listedPerClass`` parts however large the tie, and the notes of a
/// group of n tied entrants take O(n) memory and time.
///
/// Because the keys are sorted, each class is a contiguous run of the tied group: the entrants that agree
/// with this one on the total and the first L tie-break nodes form one run, found once for every L.
struct TieNotes {
    /// Classes up to this size are listed entrant by entrant; larger ones are summed up.
    static let listedPerClass = 5
    /// How many candidates a summed-up class of entrants sharing a rank names before counting the rest.
    static let namedInSummary = 3

    let keys: [[Exact?]]
    let candidates: [String]
    let ranks: [Int]
    /// The tie-break nodes, in the rubric's order (key index L is node L − 1).
    let chain: [String]
    /// `runStart[L][i]` / `runEnd[L][i]`: the run of entrants agreeing with entrant i on the first L key
    /// components (L = 1: the total; L = key length: everything).
    private let runStart: [[Int]]
    private let runEnd: [[Int]]

    init(keys: [[Exact?]], candidates: [String], ranks: [Int], chain: [String]) {
        self.keys = keys
        self.candidates = candidates
        self.ranks = ranks
        self.chain = chain
        let n = keys.count
        let width = chain.count + 1
        var starts = [[Int]](repeating: [], count: width + 1)
        var ends = [[Int]](repeating: [], count: width + 1)
        for length in 1...width {
            var s = [Int](repeating: 0, count: n)
            var e = [Int](repeating: n, count: n)
            var i = 0
            while i < n {
                var j = i + 1
                while j < n && Self.samePrefix(keys[i], keys[j], length) { j += 1 }
                for x in i..<j {
                    s[x] = i
                    e[x] = j
                }
                i = j
            }
            starts[length] = s
            ends[length] = e
        }
        runStart = starts
        runEnd = ends
    }

    static func samePrefix(_ a: [Exact?], _ b: [Exact?], _ length: Int) -> Bool {
        for l in 0..<length where a[l] != b[l] { return false }
        return true
    }

    /// Entrant i's note, nil when no other entrant has its total.
    func note(_ i: Int) -> String? {
        let width = chain.count + 1
        guard runEnd[1][i] - runStart[1][i] > 1 else { return nil }
        var parts: [String] = []
        // Ahead of i: those agreeing on the first L components but not the (L+1)th are told apart by node L.
        for level in 1..<width {
            parts += decided(i, runStart[level][i]..<runStart[level + 1][i], level: level)
        }
        parts += shared(i, runStart[width][i]..<runEnd[width][i])
        for level in stride(from: width - 1, through: 1, by: -1) {
            parts += decided(i, runEnd[level + 1][i]..<runEnd[level][i], level: level)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    private func value(_ x: Exact?) -> String { x?.text(maxDecimals: 4) ?? "—" }

    /// Parts for the entrants `others` (a run in standing order) first told apart from i by key index `level`.
    /// Costs O(``listedPerClass``), not O(others.count).
    private func decided(_ i: Int, _ others: Range<Int>, level: Int) -> [String] {
        guard let first = others.first, let last = others.last else { return [] }
        let node = chain[level - 1]
        let mine = value(keys[i][level])
        let ahead = ResultsBuilder.compare([keys[i][level]], [keys[first][level]]) > 0
        if others.count <= Self.listedPerClass {
            return others.map {
                "tied with \(candidates[$0]) on the total; \(ahead ? "ahead" : "behind") on \(node) (\(mine) to \(value(keys[$0][level])))"
            }
        }
        // Sorted best first: the last of the run has the lowest score on this node, the first the highest.
        let low = keys[last][level], high = keys[first][level]
        let theirs = low == high ? value(low) : "\(value(low))–\(value(high))"
        return ["tied with \(others.count) others on the total; \(ahead ? "ahead" : "behind") on \(node) (\(mine) to \(theirs))"]
    }

    /// Parts for the entrants of `run` (i's own run of equal keys) other than i.
    private func shared(_ i: Int, _ run: Range<Int>) -> [String] {
        let count = run.count - 1
        if count <= Self.listedPerClass {
            return run.filter { $0 != i }.map { "tied with \(candidates[$0]) on the total and every tie-break: shares rank \(ranks[i])" }
        }
        let named = run.lazy.filter { $0 != i }.prefix(Self.namedInSummary).map { candidates[$0] }.joined(separator: ", ")
        let rest = count - Self.namedInSummary
        return ["tied with \(named) and \(rest) others on the total and every tie-break: shares rank \(ranks[i])"]
    }
}
