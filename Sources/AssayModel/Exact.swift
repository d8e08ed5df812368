import Foundation

/// An exact number for scoring: a fraction of two 64-bit integers in lowest terms.
///
/// Marks are decimals (82.5, 7.25) and scoring divides them by panel sizes and weights (a mean of three
/// judges is a third of a sum), so the engine works in fractions: every mean, weight and product is exact,
/// and rounding happens only where a rubric says, exactly as it says. `Foundation.Decimal` would also be
/// exact enough, but allocates on every operation; this type does not. Intermediate products use 128 bits;
/// a result whose lowest-terms fraction does not fit 64 bits (beyond any real marking scheme) is rounded to
/// 18 significant digits rather than trapping.
public struct Exact: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// Carries the sign.
    public let numerator: Int64
    /// Always positive.
    public let denominator: Int64

    public static let zero = Exact(0)
    public static let one = Exact(1)

    public init(integerLiteral value: Int) { self.init(value) }

    public init(_ integer: Int) {
        numerator = Int64(integer)
        denominator = 1
    }

    /// `numerator / denominator`, reduced. `denominator` must not be 0.
    public init(_ numerator: Int64, over denominator: Int64) {
        precondition(denominator != 0, "Exact: zero denominator")
        self = Exact.reduced(Int128(numerator), Int128(denominator))
    }

    private init(raw numerator: Int64, _ denominator: Int64) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The exact value of a decimal (a rubric's max, weight or parameter).
    public init(_ decimal: Decimal) {
        if let e = Exact(plainText: decimal.description) {
            self = e
        } else {
            // Beyond 18 digits: as close as 64-bit fractions allow.
            self = Exact(plainText: (decimal as NSDecimalNumber).stringValue.prefix(19)) ?? .zero
        }
    }

    /// Parses plain decimal text (`82.5`, `-0.25`, `.5`), like `Decimal(plainText:)`; nil for anything else.
    public init?(plainText text: some StringProtocol) {
        var utf8 = Substring(text).utf8[...]
        while let f = utf8.first, f == 0x20 || f == 0x09 || f == 0x0A || f == 0x0D { utf8 = utf8.dropFirst() }
        while let l = utf8.last, l == 0x20 || l == 0x09 || l == 0x0A || l == 0x0D { utf8 = utf8.dropLast() }
        var negative = false
        if let f = utf8.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            negative = f == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var value: Int64 = 0
        var scale: Int64 = 1
        var digits = 0
        var seenDot = false
        for c in utf8 {
            if c == UInt8(ascii: ".") {
                if seenDot { return nil }
                seenDot = true
                continue
            }
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            digits += 1
            let (v1, o1) = value.multipliedReportingOverflow(by: 10)
            let (v2, o2) = v1.addingReportingOverflow(Int64(c - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            value = v2
            if seenDot {
                let (s, o) = scale.multipliedReportingOverflow(by: 10)
                if o { return nil }
                scale = s
            }
        }
        guard digits > 0 else { return nil }
        self = Exact.reduced(Int128(negative ? -value : value), Int128(scale))
    }

    // MARK: - Arithmetic

    private static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
        var a = a
        var b = b
        if a == 0 { return b }
        if b == 0 { return a }
        let shift = (a | b).trailingZeroBitCount
        a >>= a.trailingZeroBitCount
        repeat {
            b >>= b.trailingZeroBitCount
            if a > b { swap(&a, &b) }
            b -= a
        } while b != 0
        return a << shift
    }

    private static func gcd64(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var a = a
        var b = b
        if a == 0 { return b }
        if b == 0 { return a }
        let shift = (a | b).trailingZeroBitCount
        a >>= a.trailingZeroBitCount
        repeat {
            b >>= b.trailingZeroBitCount
            if a > b { swap(&a, &b) }
            b -= a
        } while b != 0
        return a << shift
    }

    private static func reduced(_ n: Int128, _ d: Int128) -> Exact {
        var n = n
        var d = d
        if d < 0 {
            n = -n
            d = -d
        }
        if n == 0 { return Exact(raw: 0, 1) }
        if d == 1, let small = Int64(exactly: n) { return Exact(raw: small, 1) }
        // The common case: both fit 64 bits; reduce with 64-bit arithmetic.
        if let sn = Int64(exactly: n), let sd = Int64(exactly: d), sn != Int64.min {
            let g = Int64(gcd64(sn.magnitude, sd.magnitude))
            return Exact(raw: sn / g, sd / g)
        }
        let g = Int128(gcd(n.magnitude, d.magnitude))
        n /= g
        d /= g
        if let sn = Int64(exactly: n), let sd = Int64(exactly: d) { return Exact(raw: sn, sd) }
        // Too fine for 64 bits: round to 18 decimal places' worth of precision.
        var scale: Int128 = 1
        while scale < 1_000_000_000_000_000_000 / 10 && (n.magnitude / d.magnitude) < UInt128(Int64.max) / UInt128(scale * 10) {
            scale *= 10
        }
        let q = (n * scale + (n >= 0 ? d / 2 : -d / 2)) / d
        return reduced(q, scale)
    }

    public static func + (a: Exact, b: Exact) -> Exact {
        if a.denominator == b.denominator {
            let (s, o) = a.numerator.addingReportingOverflow(b.numerator)
            if !o { return a.denominator == 1 ? Exact(raw: s, 1) : reduced(Int128(s), Int128(a.denominator)) }
        }
        return reduced(
            Int128(a.numerator) * Int128(b.denominator) + Int128(b.numerator) * Int128(a.denominator),
            Int128(a.denominator) * Int128(b.denominator))
    }

    public static func - (a: Exact, b: Exact) -> Exact { a + (-b) }

    public static prefix func - (a: Exact) -> Exact { Exact(raw: -a.numerator, a.denominator) }

    public static func * (a: Exact, b: Exact) -> Exact {
        reduced(Int128(a.numerator) * Int128(b.numerator), Int128(a.denominator) * Int128(b.denominator))
    }

    /// Division; `b` must not be zero (callers check: a node's max is positive, a panel has judges).
    public static func / (a: Exact, b: Exact) -> Exact {
        precondition(b.numerator != 0, "Exact: division by zero")
        return reduced(Int128(a.numerator) * Int128(b.denominator), Int128(a.denominator) * Int128(b.numerator))
    }

    public static func += (a: inout Exact, b: Exact) { a = a + b }
    public static func -= (a: inout Exact, b: Exact) { a = a - b }

    public static func < (a: Exact, b: Exact) -> Bool {
        if a.denominator == b.denominator { return a.numerator < b.numerator }
        return Int128(a.numerator) * Int128(b.denominator) < Int128(b.numerator) * Int128(a.denominator)
    }

    public var isInteger: Bool { denominator == 1 }

    /// Whether the value is a whole multiple of `step` (> 0).
    public func isMultiple(of step: Exact) -> Bool {
        guard step.numerator > 0 else { return true }
        return (self / step).isInteger
    }

    // MARK: - Rounding and text

    /// Rounds to `decimals` places by `mode`, exactly (see ``Rounding/Mode`` for each mode's meaning).
    public func rounded(_ rounding: Rounding) -> Exact {
        let d = max(0, rounding.decimals)
        var scale: Int128 = 1
        for _ in 0..<d { scale *= 10 }
        let n = Int128(numerator) * scale
        let den = Int128(denominator)
        let negative = n < 0
        let magnitude = negative ? -n : n
        let q = magnitude / den
        let r = magnitude % den
        let twice = r * 2
        let up: Bool
        switch rounding.mode {
        case .halfUp: up = twice >= den
        case .halfDown: up = twice > den
        case .halfEven: up = twice > den || (twice == den && q % 2 == 1)
        case .up: up = r > 0
        case .down: up = false
        case .floor: up = negative && r > 0
        case .ceiling: up = !negative && r > 0
        }
        let m = up ? q + 1 : q
        return Exact.reduced(negative ? -m : m, scale)
    }

    /// Plain decimal text with at most `maxDecimals` places (rounded half-up), no trailing zeros: `3.333333`,
    /// `66`, `-0.5`.
    public func text(maxDecimals: Int = 6) -> String {
        let r = rounded(Rounding(.halfUp, decimals: maxDecimals))
        return Exact.digits(r, minDecimals: 0)
    }

    /// Exactly `decimals` places (`66.00`), after rounding half-up to that many.
    public func text(decimals: Int) -> String {
        Exact.digits(rounded(Rounding(.halfUp, decimals: decimals)), minDecimals: decimals)
    }

    /// Decimal digits of a value whose denominator divides a power of ten.
    private static func digits(_ v: Exact, minDecimals: Int) -> String {
        var places = 0
        var den = v.denominator
        var scale: Int64 = 1
        while den % 10 == 0 || den % 2 == 0 || den % 5 == 0 {
            if den == 1 { break }
            if den % 10 == 0 {
                den /= 10
            } else if den % 2 == 0 {
                den /= 2
            } else {
                den /= 5
            }
            places += 1
            scale *= 10
            if places > 18 { break }
        }
        // Bring the denominator up to 10^places.
        while scale % v.denominator != 0 && places < 18 {
            places += 1
            scale *= 10
        }
        let scaled = Int128(v.numerator) * Int128(scale / v.denominator)
        let negative = scaled < 0
        let magnitude = scaled.magnitude
        let integer = magnitude / UInt128(scale)
        let fraction = magnitude % UInt128(scale)
        var fractionText = places > 0 ? String(fraction) : ""
        if places > 0 { fractionText = String(repeating: "0", count: places - fractionText.count) + fractionText }
        while fractionText.count > minDecimals, fractionText.hasSuffix("0") { fractionText.removeLast() }
        while fractionText.count < minDecimals { fractionText += "0" }
        let sign = negative && (integer != 0 || fraction != 0) ? "-" : ""
        return sign + String(integer) + (fractionText.isEmpty ? "" : "." + fractionText)
    }

    public var description: String { text() }

    /// The value as a Foundation decimal (exact when the fraction terminates; else to 18 places).
    public var decimal: Decimal {
        Decimal(string: text(maxDecimals: 18), locale: Locale(identifier: "en_US_POSIX")) ?? 0
    }
}
