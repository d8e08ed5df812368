import AssayModel
import Foundation
import Testing

/// Every arithmetic path of `Exact` at and beyond 64 bits: none traps, recurses or wraps; a result that does
/// not fit is `Exact.tooLarge`, which stays so through later operations.
@Suite("Exact numbers beyond 64 bits")
struct ExactOverflowTests {
    static let big = Exact(plainText: "10000000000")!  // 1e10
    static let max = Exact(plainText: "9223372036854775807")!

    @Test("a product beyond 64 bits is too large (it recursed without end before: SIGSEGV)")
    func product() {
        let p = Self.big * Self.big
        #expect(p.isTooLarge)
        #expect(p.text() == "above 9223372036854775807")
        // Just inside: 3037000499² = 9223372030926249001 fits.
        let r = Exact(plainText: "3037000499")!
        #expect(r * r == Exact(plainText: "9223372030926249001")!)
        #expect(!(r * r).isTooLarge)
        #expect((Self.max * -1).text() == "-9223372036854775807")
    }

    @Test("sums and differences beyond 64 bits are too large; inside they are exact")
    func addAndSubtract() {
        #expect((Self.max + 1).isTooLarge)
        #expect((-Self.max - 2).isTooLarge)
        #expect((Self.max - Self.max) == 0)
        #expect((Self.max + (-1)) == Exact(plainText: "9223372036854775806")!)
        // Different denominators: cross products in 128 bits, then the whole part does not fit.
        #expect((Self.max + Exact(1, over: 2)).text(maxDecimals: 1) == "9223372036854775807.5" || (Self.max + Exact(1, over: 2)).isTooLarge)
        #expect((Exact(1, over: 3) + Exact(1, over: 6)) == Exact(1, over: 2))
    }

    @Test("division: beyond 64 bits or by zero is too large, never a trap")
    func divide() {
        #expect((Self.max / Exact(1, over: 2)).isTooLarge)
        #expect((Exact(1) / 0).isTooLarge)
        #expect(Exact(1, over: 0).isTooLarge)
        #expect((Self.max / Self.max) == 1)
        #expect((Exact(7) / Exact(2)).text() == "3.5")
    }

    @Test("a fraction too fine for 64 bits is rounded to the decimals that fit, not trapped or looped")
    func reduceFine() {
        // (1/p)·(1/q) with two large primes: the lowest-terms denominator needs more than 64 bits.
        let p = Exact(1, over: 4_294_967_311)
        let q = Exact(1, over: 4_294_967_357)
        let tiny = p * q
        #expect(!tiny.isTooLarge)
        // About 5.4e-20: zero at 18 places.
        #expect(tiny == 0)
        // Numerator and denominator each need 64 bits: rounded (1.00000000871020955391927…).
        let a = Exact(3_000_000_001, over: 4_294_967_311)
        let b = Exact(4_294_967_357, over: 3_000_000_007)
        #expect(!(a * b).isTooLarge)
        #expect((a * b).text(maxDecimals: 9) == "1.000000009")
        #expect((a * b).text(maxDecimals: 18) == "1.000000008710209554")
    }

    @Test("the too-large value is sticky and sorts above every number, so max() keeps it and sums carry it")
    func sticky() {
        let t = Exact.tooLarge
        #expect((t + 1).isTooLarge)
        #expect((t * 0).isTooLarge)
        #expect((0 / t).isTooLarge)
        #expect((-t).isTooLarge)
        #expect(t > Self.max)
        #expect(!(t < Self.max))
        #expect(Swift.max(t, 0).isTooLarge)
        #expect(t.rounded(Rounding(.halfUp, decimals: 2)).isTooLarge)
        #expect(t.decimal.isNaN)
    }

    @Test("rounding at the edge of 64 bits and to very many places neither traps nor loops")
    func rounding() {
        let almost = Exact(plainText: "9223372036854775806.5")
        // 19 digits before the point and one after: does not fit as a fraction, so it is not parsed.
        #expect(almost == nil)
        let half = Self.max - Exact(1, over: 2)  // 9223372036854775806.5
        // No room for a decimal place beside 19 digits: rounded half-up to the whole number, which still fits.
        #expect(half == Self.max)
        #expect((half + Exact(1, over: 2)).isTooLarge)
        let third = Exact(1, over: 3)
        #expect(third.rounded(Rounding(.halfUp, decimals: 40)).text(maxDecimals: 18) == "0.333333333333333333")
        #expect(third.text(decimals: 25) == "0.3333333333333333330000000")
        #expect(Self.max.rounded(Rounding(.up, decimals: 18)) == Self.max)
    }

    @Test("comparisons are exact at the edges (cross products in 128 bits)")
    func comparisons() {
        let a = Exact(Int64.max, over: Int64.max - 1)
        let b = Exact(Int64.max - 1, over: Int64.max - 2)
        #expect(a < b)
        #expect(-Self.max < Self.max)
        #expect(Exact(Int.min).isTooLarge)
        #expect(Exact(Int(Int64.min) + 1) == -Self.max)
    }

    @Test("text of 40 digits or with an exponent is not a number; Decimals beyond 64 bits are too large")
    func parsing() {
        #expect(Exact(plainText: "1234567890123456789012345678901234567890") == nil)
        #expect(Exact(plainText: "1e400") == nil)
        #expect(Exact(plainText: "9223372036854775808") == nil)
        #expect(Exact(plainText: "-9223372036854775807") == -Self.max)
        #expect(Exact(plainText: "0.000000000000000001") == Exact(1, over: 1_000_000_000_000_000_000))
        #expect(Exact(Decimal(string: "100000000000000000000")!).isTooLarge)
        #expect(Exact(Decimal(string: "1e400") ?? .nan).isTooLarge)
        // Too many places: rounded half-up to the places that fit, never cut to the first 19 characters.
        #expect(Exact(Decimal(string: "0.12345678901234567891")!) == Exact(plainText: "0.123456789012345679")!)
        #expect(Exact(Decimal(string: "12345.123456789012345678")!) == Exact(plainText: "12345.12345678901235")!)
        #expect(Exact(Decimal(string: "-2.5")!) == Exact(-5, over: 2))
        // Through the rubric's parser: 401 digits is not a number; 40 digits is one, too large to score with.
        #expect(Decimal(plainText: "1" + String(repeating: "0", count: 400)) == nil)
        let forty = Decimal(plainText: "1234567890123456789012345678901234567890")
        #expect(forty != nil)
        #expect(forty.map { Exact($0).isTooLarge } == true)
        #expect(Decimal(plainText: "1e400") == nil)
    }
}
