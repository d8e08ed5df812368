import AssayModel
import Foundation
import Testing

/// An `Exact` beyond 64 bits keeps its sign (review of issue 13, item 3): `Exact(Decimal)` turned −1e20 into
/// the positive `tooLarge`, which sorts above every number, so a threshold at −1e20 failed a recorded 5.
/// Now a negative overflow is `tooSmall`, below every number; both are `isTooLarge` (the engine refuses them).
@Suite("Exact beyond 64 bits keeps its sign")
struct ExactSignedOverflowTests {
    static let max = Exact(plainText: "9223372036854775807")!

    @Test("a negative decimal beyond 64 bits is tooSmall, below every number; a positive one tooLarge, above")
    func decimals() {
        let negative = Exact(Decimal(string: "-100000000000000000000")!)
        let positive = Exact(Decimal(string: "100000000000000000000")!)
        #expect(negative == .tooSmall)
        #expect(positive == .tooLarge)
        #expect(negative.isTooLarge && positive.isTooLarge)
        #expect(negative < -Self.max)
        #expect(!(Exact(5) < negative))
        #expect(Exact(5) >= negative)
        #expect(Exact(5) < positive)
        #expect(negative < positive)
        #expect(!(negative < negative) && !(positive < positive))
        // 40 digits through the rubric's parser, as `BuiltinScorerFactory` reads a parameter.
        #expect(Exact(Decimal(plainText: "-1234567890123456789012345678901234567890")!) == .tooSmall)
        // Just inside the range stays a number.
        #expect(Exact(Decimal(string: "-9223372036854775807")!) == -Self.max)
    }

    @Test("arithmetic keeps the direction where it is known")
    func arithmetic() {
        #expect(-Self.max - 2 == .tooSmall)
        #expect(Self.max + 1 == .tooLarge)
        #expect(-Exact.tooLarge == .tooSmall)
        #expect(-Exact.tooSmall == .tooLarge)
        #expect(Exact.tooSmall + 5 == .tooSmall)
        #expect(Exact.tooSmall * -2 == .tooLarge)
        #expect(Exact.tooSmall * 2 == .tooSmall)
        #expect(Exact(-1) / 0 == .tooSmall)
        #expect(Exact(1) / 0 == .tooLarge)
        #expect(Exact(Int.min) == .tooSmall)
        #expect(Self.max * -Self.max == .tooSmall)
        // No direction: still out of range, never a number.
        #expect((Exact.tooSmall + .tooLarge).isTooLarge)
        #expect((Exact.tooSmall * 0).isTooLarge)
        #expect(Exact.tooSmall.rounded(Rounding(.halfUp, decimals: 0)) == .tooSmall)
        #expect(Exact.tooSmall.decimal.isNaN)
    }

    @Test("its text says which way it is out of range, not a number")
    func text() {
        #expect(Exact.tooLarge.text() == "above 9223372036854775807")
        #expect(Exact.tooSmall.text() == "below -9223372036854775807")
        #expect(Exact.tooSmall.text(decimals: 2) == "below -9223372036854775807")
    }

    @Test("a parameter's numbers out of range are found as written, in decimals, lists and tables")
    func parameters() {
        #expect(ParameterType.decimal.numbersOutOfRange(in: " -100000000000000000000 ") == ["-100000000000000000000"])
        #expect(ParameterType.decimal.numbersOutOfRange(in: "-9223372036854775807") == [])
        #expect(ParameterType.decimal.numbersOutOfRange(in: "0.1234567890123456789012") == [])
        #expect(ParameterType.table.numbersOutOfRange(in: "A:5, B:-100000000000000000000, 100000000000000000000:1") == [
            "-100000000000000000000", "100000000000000000000",
        ])
        #expect(ParameterType.decimalList.numbersOutOfRange(in: "1, 2 -100000000000000000000") == ["-100000000000000000000"])
        #expect(ParameterType.text.numbersOutOfRange(in: "100000000000000000000") == [])
    }
}
