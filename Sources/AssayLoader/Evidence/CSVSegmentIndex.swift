/// The survey's index of a mark sheet's *segments* (runs of consecutive rows for one candidate), kept in
/// chunks of 65,536 (1 MB) so that it grows without copying itself, and read back in order of each
/// candidate's first appearance: each chunk is sorted on its own, and the chunks are merged as they are read.
struct CSVSegmentIndex {
    static let chunkSize = 1 << 16

    private var chunks: [[CSVEvidenceReader.Segment]] = []
    private(set) var count = 0

    mutating func append(_ segment: CSVEvidenceReader.Segment) {
        if chunks.isEmpty || chunks[chunks.count - 1].count == Self.chunkSize {
            chunks.append([])
            chunks[chunks.count - 1].reserveCapacity(Self.chunkSize)
        }
        chunks[chunks.count - 1].append(segment)
        count += 1
    }

    /// The rows of the last segment appended (0 when there is none).
    var lastRows: Int { chunks.last?.last?.rows ?? 0 }

    mutating func addRowToLast() {
        let c = chunks.count - 1
        chunks[c][chunks[c].count - 1].addRow()
    }

    /// Sorts each chunk by (first line of the candidate, line of the segment); then ``next()`` merges them.
    mutating func sort() {
        for c in chunks.indices { chunks[c].sort { $0.key != $1.key ? $0.key < $1.key : $0.line < $1.line } }
        heads = [Int](repeating: 0, count: chunks.count)
    }

    private var heads: [Int] = []

    /// The next segment in order (after ``sort()``), or nil when all have been given.
    mutating func next() -> CSVEvidenceReader.Segment? {
        var best = -1
        for c in chunks.indices where heads[c] < chunks[c].count {
            let s = chunks[c][heads[c]]
            if best < 0 {
                best = c
                continue
            }
            let b = chunks[best][heads[best]]
            if s.key < b.key || (s.key == b.key && s.line < b.line) { best = c }
        }
        guard best >= 0 else { return nil }
        defer { heads[best] += 1 }
        return chunks[best][heads[best]]
    }
}
