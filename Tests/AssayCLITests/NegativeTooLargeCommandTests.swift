import Foundation
import Testing

/// A negative scorer parameter beyond 64 bits (review of issue 13, item 3), through the real executable: a
/// threshold with at-least="-100000000000000000000" validated clean, and `score` printed
/// `E1,C1,0,10,complete,fail` with exit 0 for a recorded 5 (the line had become the positive "too large").
/// Now `validate` refuses it at the parameter, and `score` refuses to score with the rubric.
@Suite("assay validate and score with a negative parameter beyond 64 bits")
struct NegativeTooLargeCommandTests {
    static let rubric = "Tests/AssayEngineTests/Fixtures/numbers/negative-parameter.xml"
    /// The same rubric with at-least="-1000000000000000000", which fits.
    static let inRange = "Tests/AssayEngineTests/Fixtures/numbers/negative-parameter-in-range.xml"
    static let sheet = "Tests/AssayEngineTests/Fixtures/numbers/negative-parameter.csv"
    static let error =
        "\(rubric):9:30: error: parameter 'at-least' of node 'S1' is -100000000000000000000, outside ±9223372036854775807, the range of numbers Assay scores with [number-too-large]"

    @Test("validate refuses the parameter at its line:column, exit 1")
    func validate() throws {
        let r = try RecordsCLI.exec(try RecordsCLI.binary(), ["validate", Self.rubric])
        #expect(r.code == 1)
        #expect(
            r.out == """
                \(Self.error)
                    hint: use a smaller unit (thousands, or a percentage) so that every number stays within ±9223372036854775807
                checked 1 rubric: 1 error, 0 warnings (1 of 1 with errors)

                """)
    }

    @Test("score prints no result from the rubric, exit 1; with a line that fits, 5 and -3 pass, exit 0")
    func score() throws {
        let assay = try RecordsCLI.binary()
        let r = try RecordsCLI.exec(assay, ["score", "--format", "csv", Self.rubric, Self.sheet])
        #expect(r.code == 1)
        #expect(r.out == "")
        #expect(r.err.hasPrefix(Self.error + "\n"))
        #expect(r.err.contains("assay: the rubric has errors; run 'assay validate \(Self.rubric)' and fix them first"))
        let fits = try RecordsCLI.exec(assay, ["score", "--format", "csv", Self.inRange, Self.sheet])
        #expect(fits.code == 0, "\(fits.err)")
        #expect(
            RecordsCLI.lines(fits.out) == [
                "candidate,target,score,max,status,detail",
                "E1,C1,10,10,complete,pass",
                "E2,C1,10,10,complete,pass",
            ])
    }
}
