/// "Did you mean …?" for mistyped ids.
enum Suggest {
    /// The closest known id when it is plausibly a typo (edit distance ≤ 2 and less than half the length).
    static func closest(to word: String, among candidates: Set<String>) -> String? {
        var best: (String, Int)?
        for candidate in candidates.sorted() {
            let d = distance(word.lowercased(), candidate.lowercased())
            if d <= 2, d * 2 < Swift.max(word.count, 2), best.map({ d < $0.1 }) ?? true { best = (candidate, d) }
        }
        return best?.0
    }

    /// A hint: "did you mean 'X'?" when one is close, else `otherwise`.
    static func hint(for word: String, among candidates: Set<String>, otherwise: String) -> String {
        closest(to: word, among: candidates).map { "did you mean '\($0)'?" } ?? otherwise
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
