import Foundation
import Testing

/// `assay score` on a product beyond 64 bits (issue 13, item 3), run as the real executable in a child
/// process: before the fix the run died of SIGSEGV (exit 139) and printed nothing for the valid candidates.
@Suite("assay score with a number too large")
struct NumberTooLargeCommandTests {
    static let rubric = "Tests/AssayEngineTests/Fixtures/numbers/product-overflow.xml"
    static let overflow = "Tests/AssayEngineTests/Fixtures/numbers/product-overflow.csv"
    /// The same sheet without the overflowing candidate S2.
    static let valid = "Tests/AssayEngineTests/Fixtures/numbers/product-valid.csv"
    static let reason =
        "total: number too large: the result is beyond 9223372036854775807, the largest number Assay scores with; check the values recorded below this node and the rubric's max and factor"

    @Test("the overflowing candidate is incomplete (number too large), exit 1; the valid ones are scored as without it")
    func scoreCSV() throws {
        let assay = try RecordsCLI.binary()
        let batch = try RecordsCLI.exec(assay, ["score", "--format", "csv", Self.rubric, Self.overflow])
        let alone = try RecordsCLI.exec(assay, ["score", "--format", "csv", Self.rubric, Self.valid])
        #expect(batch.code == 1, "\(batch.err)")
        #expect(alone.code == 0)
        #expect(batch.err == "")
        let lines = RecordsCLI.lines(batch.out)
        #expect(
            lines == [
                "candidate,target,score,max,status,detail",
                "S1,C1,12,1000000000000000000,complete,pass",
                "S2,C1,,1000000000000000000,incomplete,\"\(Self.reason)\"",
                "S3,C1,5,1000000000000000000,complete,pass",
            ])
        // The valid candidates' rows are byte for byte those of the run without S2.
        #expect(lines.filter { !$0.hasPrefix("S2,") } == RecordsCLI.lines(alone.out))
    }

    @Test("the text table says so and counts the incomplete outcome")
    func scoreText() throws {
        let r = try RecordsCLI.exec(try RecordsCLI.binary(), ["score", Self.rubric, Self.overflow])
        #expect(r.code == 1)
        #expect(r.out.contains("S2         C1          —  1000000000000000000  —       incomplete: \(Self.reason)\n"))
        #expect(r.out.hasSuffix("3 outcomes, 1 incomplete\n"))
    }

    @Test("validate warns that the product can pass its max, at the max attribute")
    func validateWarns() throws {
        let r = try RecordsCLI.exec(try RecordsCLI.binary(), ["validate", Self.rubric])
        #expect(r.code == 0)
        #expect(
            r.out == """
                \(Self.rubric):8:39: warning: node 'total' multiplies children whose maxima give up to 100000000000000000000 (a 10000000000 × b 10000000000), above its own max of 1000000000000000000 [product-above-max]
                    hint: a candidate could score above the max, and a product beyond 9223372036854775807 makes the outcome incomplete (number too large); lower the children's max or the factor
                checked 1 rubric: 0 errors, 1 warning

                """)
    }
}
