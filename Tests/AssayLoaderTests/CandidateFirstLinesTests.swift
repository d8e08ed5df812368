import Foundation
import Testing

@testable import AssayLoader

/// The table that finds a candidate appearing twice in one evidence file keeps its memory fixed by moving
/// older candidates to sorted runs in a temporary file. These tests make it small, so that it spills often
/// and its Bloom filter gives false alarms, and check every answer.
@Suite("Candidates seen twice: fixed memory, exact first lines")
struct CandidateFirstLinesTests {
    static func hash(_ i: Int) -> UInt64 { XMLEvidenceReader.hash("S\(i)") }

    @Test("20,000 ids through a 1,024-bucket table: 26 runs on disk, every repeat found with its own line, no new id taken for one")
    func spillsAndFinds() {
        // A 256-kbit filter holding 20,000 ids says "maybe" for about 1 new id in 85.
        var seen = CandidateFirstLines(maxBuckets: 1 << 10, filterBits: 1 << 18)
        defer { seen.deallocate() }
        // Lines past 65,535 and past 16 bits' reach keep their value.
        let line = { (i: Int) in 3 + 7 * i }
        var falseRepeats = 0
        for i in 0..<20_000 where seen.firstLine(Self.hash(i), else: line(i)) != nil { falseRepeats += 1 }
        #expect(falseRepeats == 0)
        // Spilled when 769 of 1,024 buckets are full: 26 runs of 769, 6 ids left in memory.
        #expect(seen.runs.count == 26)
        #expect(seen.runs.map(\.count) == Array(repeating: 769, count: 26))
        #expect(seen.runs.last.map { $0.start + $0.count } == 19_994)
        var wrong: [Int] = []
        let repeats = Array(stride(from: 0, to: 20_000, by: 7)) + Array(19_990..<20_000)
        for i in repeats where seen.firstLine(Self.hash(i), else: 1) != line(i) { wrong.append(i) }
        #expect(wrong.isEmpty, "wrong first lines for \(wrong.prefix(5))")
        #expect(seen.firstLine(Self.hash(19_999), else: 1) == 139_996)
        // New ids (some of them false alarms of the filter, looked up on disk): none is a repeat.
        let searchesBefore = seen.diskSearches
        var newRepeats = 0
        for i in 20_000..<25_000 where seen.firstLine(Self.hash(i), else: 1) != nil { newRepeats += 1 }
        #expect(newRepeats == 0)
        #expect(seen.diskSearches - searchesBefore == 59)  // false alarms, each settled on disk
    }

    @Test("a hash of 0 is an id like any other")
    func zeroHash() {
        var seen = CandidateFirstLines()
        defer { seen.deallocate() }
        #expect(seen.firstLine(0, else: 12) == nil)
        #expect(seen.firstLine(0, else: 40) == 12)
        #expect(seen.runs.isEmpty)
    }

    @Test("with no temporary directory to write to, the table grows in memory and answers the same")
    func noTemporaryFile() {
        var seen = CandidateFirstLines(maxBuckets: 1 << 10, filterBits: 1 << 12, temporaryDirectory: "/nonexistent-assay-directory")
        defer { seen.deallocate() }
        for i in 0..<5_000 { #expect(seen.firstLine(Self.hash(i), else: i + 1) == nil) }
        #expect(seen.runs.isEmpty)
        var wrong = 0
        for i in 0..<5_000 where seen.firstLine(Self.hash(i), else: 1) != i + 1 { wrong += 1 }
        #expect(wrong == 0)
    }
}
