import AssayModel
import AssayResults
import Foundation
import Testing

/// Median-centred standardisation of totals at the edge of 64 bits (issue 13, item 3's audit): the spread
/// unit passes 64 bits, so no standardised total can be computed. Before, the sticky "too large" value (or,
/// before that, a crash) would have sorted above every min-standardised line and won the award.
@Suite("Standardisation: totals too far apart")
struct StandardisationOverflowTests {
    @Test("totals whose spread passes 64 bits get no standardised total, and the note says why")
    func tooFarApart() {
        let big = Exact(plainText: "9000000000000000000")!
        let (values, note) = ResultsBuilder.medianCentredForTesting([-big, 0, big], centre: 700, spread: 100)
        #expect(values == [nil, nil, nil])
        #expect(note.hasSuffix("; 3 totals left without a standardised total: number too large"))
        // Ordinary totals are untouched: 1, 2, 3 → MAD 1, unit 1.4826.
        let (ordinary, plain) = ResultsBuilder.medianCentredForTesting([1, 2, 3].map { Exact($0) }, centre: 700, spread: 100)
        #expect(ordinary.map { $0?.text(decimals: 2) } == ["632.55", "700.00", "767.45"])
        #expect(!plain.contains("number too large"))
    }
}
