public import Foundation

/// An exact number for scoring: a fraction of two 64-bit integers in lowest terms.
///
/// Marks are decimals (82.5, 7.25) and scoring divides them by panel sizes and weights (a mean of three
/// judges is a third of a sum), so the engine works in fractions: every mean, weight and product is exact,
/// and rounding happens only where a rubric says, exactly as it says. `Foundation.Decimal` would also be
/// exact enough, but allocates on every operation; this type does not. Intermediate products use 128 bits;
/// a result whose lowest-terms fraction does not fit 64 bits but whose whole part does (a very fine
/// fraction, beyond any real marking scheme) is rounded half-up to as many decimal places as fit (at most
/// 18).
///
/// No operation traps: a result whose whole part does not fit 64 bits gives ``tooLarge`` (above
/// 9 223 372 036 854 775 807) or ``tooSmall`` (below −9 223 372 036 854 775 807), values that every later
/// operation keeps (like a NaN) and that ``isTooLarge`` reports for either sign. They carry their sign so that
/// a comparison with one is never wrong in direction: ``tooSmall`` sorts below every number, ``tooLarge``
/// above. A division by zero gives the one with the dividend's sign, and an operation whose direction is
/// unknown (``tooLarge`` + ``tooSmall``, an overflow times 0) gives ``tooLarge``. Callers must still not score
/// with one: the engine refuses a node whose parameters are out of range before scoring it, and turns an
/// overflowed result into an incomplete outcome ("number too large"), never a score.
public struct Exact: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// Carries the sign; never `Int64.min` (so negation cannot overflow).
    public let numerator: Int64
    /// Positive, except 0 in ``tooLarge`` and ``tooSmall`` (whose numerators are 1 and −1).
    public let denominator: Int64

    public static let zero = Exact(0)
    public static let one = Exact(1)
    /// The result of an operation above 9 223 372 036 854 775 807 (see the type's overview): sticky, sorts
    /// above every number.
    public static let tooLarge = Exact(raw: 1, 0)
    /// The result of an operation below −9 223 372 036 854 775 807 (see the type's overview): sticky, sorts
    /// below every number.
    public static let tooSmall = Exact(raw: -1, 0)

    /// Whether this is ``tooLarge`` or ``tooSmall``: a number out of range, or a computation that overflowed
    /// (in either direction) somewhere on the way here.
    public var isTooLarge: Bool { denominator == 0 }

    /// ``tooSmall`` when `negative`, else ``tooLarge``.
    private static func overflow(negative: Bool) -> Exact { negative ? .tooSmall : .tooLarge }

    public init(integerLiteral value: Int) { self.init(value) }

    /// The integer; ``tooSmall`` for `Int.min` (the one `Int` whose negation does not fit).
    public init(_ integer: Int) {
        if let n = Int64(exactly: integer), n != Int64.min {
            self.init(raw: n, 1)
        } else {
            self = Exact.overflow(negative: integer < 0)
        }
    }

    /// `numerator / denominator`, reduced; ``tooLarge`` or ``tooSmall`` (the numerator's sign) when
    /// `denominator` is 0.
    public init(_ numerator: Int64, over denominator: Int64) {
        self = Exact.reduced(Int128(numerator), Int128(denominator))
    }

    private init(raw numerator: Int64, _ denominator: Int64) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The exact value of a decimal (a rubric's max, weight or parameter); more than 18 decimal places are
    /// rounded half-up; a whole part beyond 64 bits gives ``tooLarge`` or, below −9 223 372 036 854 775 807,
    /// ``tooSmall`` (a NaN gives ``tooLarge``).
    public init(_ decimal: Decimal) {
        if decimal.isNaN {
            self = .tooLarge
        } else if let e = Exact(plainText: decimal.description) {
            self = e
        } else {
            self = Exact.parseRounding(decimal.description) ?? Exact.overflow(negative: decimal < 0)
        }
    }

    /// Parses plain decimal text (`82.5`, `-0.25`, `.5`), like `Decimal(plainText:)`; nil for anything else,
    /// and for values that do not fit exactly (more than 18 significant digits: an evidence value is never
    /// silently rounded).
    public init?(plainText text: some StringProtocol) {
        guard let (negative, value, scale) = Exact.scan(text), let value, let scale else { return nil }
        self = Exact.reduced(Int128(negative ? -value : value), Int128(scale))
    }

    /// Sign, digits and 10^(fraction digits) of plain decimal text; `value`/`scale` nil when they overflow 64
    /// bits; nil when the text is not a plain decimal.
    private static func scan(_ text: some StringProtocol) -> (Bool, Int64?, Int64?)? {
        var utf8 = Substring(text).utf8[...]
        while let f = utf8.first, f == 0x20 || f == 0x09 || f == 0x0A || f == 0x0D { utf8 = utf8.dropFirst() }
        while let l = utf8.last, l == 0x20 || l == 0x09 || l == 0x0A || l == 0x0D { utf8 = utf8.dropLast() }
        var negative = false
        if let f = utf8.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            negative = f == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var value: Int64? = 0
        var scale: Int64? = 1
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
            if let v = value {
                let (v1, o1) = v.multipliedReportingOverflow(by: 10)
                let (v2, o2) = v1.addingReportingOverflow(Int64(c - UInt8(ascii: "0")))
                value = o1 || o2 ? nil : v2
            }
            if seenDot, let s = scale {
                let (s1, o) = s.multipliedReportingOverflow(by: 10)
                scale = o ? nil : s1
            }
        }
        guard digits > 0 else { return nil }
        return (negative, value, scale)
    }

    /// Plain decimal text too long to be exact: rounded half-up to the places that fit; nil when the whole
    /// part does not fit or the text is not a plain decimal.
    private static func parseRounding(_ text: String) -> Exact? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let negative = trimmed.hasPrefix("-")
        let body = trimmed.drop { $0 == "-" || $0 == "+" }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts.first.map(String.init) ?? ""
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        guard (whole + fraction).allSatisfy({ $0.isASCII && $0.isNumber }), !(whole + fraction).isEmpty else { return nil }
        guard let w = Exact(plainText: whole.isEmpty ? "0" : whole) else { return nil }
        // Keep as many fraction digits as fit beside the whole part (at most 18), rounding half-up on the next.
        var kept = ""
        var result = w
        for digit in fraction.prefix(18) {
            guard let next = Exact(plainText: (whole.isEmpty ? "0" : whole) + "." + kept + String(digit)) else { break }
            kept.append(digit)
            result = next
        }
        let rest = fraction.dropFirst(kept.count)
        if let first = rest.first, first >= "5" {
            result = result + Exact(1, over: Exact.pow10(kept.count))
        }
        return negative ? -result : result
    }

    /// 10^n for 0 ≤ n ≤ 18.
    private static func pow10(_ n: Int) -> Int64 {
        var p: Int64 = 1
        for _ in 0..<min(max(n, 0), 18) { p *= 10 }
        return p
    }

    // MARK: - Arithmetic

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

    /// `n / d` in lowest terms. Never traps and never recurses: a zero denominator or a whole part beyond
    /// 64 bits gives ``tooLarge``; a fraction too fine for 64 bits is rounded half-up to the decimal places
    /// that fit (at most 18). Every caller's `n` and `d` are products or sums of two products of 64-bit
    /// values, so they fit 128 bits.
    private static func reduced(_ n: Int128, _ d: Int128) -> Exact {
        if d == 0 { return overflow(negative: n < 0) }
        if n == 0 { return Exact(raw: 0, 1) }
        let negative = (n < 0) != (d < 0)
        var num = n.magnitude
        var den = d.magnitude
        if den == 1 {
            guard num <= UInt128(Int64.max) else { return overflow(negative: negative) }
            return Exact(raw: negative ? -Int64(num) : Int64(num), 1)
        }
        // The common case: both fit 64 bits; reduce with 64-bit arithmetic.
        if num <= UInt128(Int64.max), den <= UInt128(Int64.max) {
            let g = gcd64(UInt64(num), UInt64(den))
            let sn = Int64(UInt64(num) / g)
            return Exact(raw: negative ? -sn : sn, Int64(UInt64(den) / g))
        }
        let g = gcd(num, den)
        num /= g
        den /= g
        if num <= UInt128(Int64.max), den <= UInt128(Int64.max) {
            return Exact(raw: negative ? -Int64(num) : Int64(num), Int64(den))
        }
        // Too fine for 64 bits (or too large). Bring the denominator under 2^63 (relative error below 1e-18),
        // then long division: the whole part, then decimal places while the digits fit 64 bits.
        while den > UInt128(Int64.max) {
            num >>= 1
            den >>= 1
        }
        let whole = num / den
        guard whole <= UInt128(Int64.max) else { return overflow(negative: negative) }
        var m = UInt64(whole)
        var r = num % den
        var places = 0
        while places < 18 && r != 0 {
            let (m10, o1) = m.multipliedReportingOverflow(by: 10)
            guard !o1, m10 <= UInt64(Int64.max) - 9 else { break }
            r *= 10  // r < den < 2^63: fits
            m = m10 + UInt64(r / den)
            r %= den
            places += 1
        }
        if r * 2 >= den {
            guard m < UInt64(Int64.max) else { return overflow(negative: negative) }
            m += 1
        }
        let scale = pow10(places)
        let g64 = gcd(UInt128(m), UInt128(scale))
        let sm = Int64(UInt128(m) / g64)
        return Exact(raw: negative ? -sm : sm, Int64(UInt128(scale) / g64))
    }

    /// Sign of an overflowed operand or result: negative only when the direction is known to be down.
    private static func overflowed(_ a: Exact, _ b: Exact, product: Bool) -> Exact {
        if product {
            // An overflow times (or over) a number: the product of the signs; times 0 the direction is unknown.
            if a.numerator == 0 || b.numerator == 0 { return .tooLarge }
            return overflow(negative: (a.numerator < 0) != (b.numerator < 0))
        }
        // A sum: the overflowed operands' common sign; ``tooLarge`` + ``tooSmall`` has no direction.
        switch (a.isTooLarge, b.isTooLarge) {
        case (true, true): return a.numerator == b.numerator ? a : .tooLarge
        case (true, false): return a
        default: return b
        }
    }

    public static func + (a: Exact, b: Exact) -> Exact {
        if a.isTooLarge || b.isTooLarge { return overflowed(a, b, product: false) }
        if a.denominator == b.denominator {
            let (s, o) = a.numerator.addingReportingOverflow(b.numerator)
            if !o, s != Int64.min { return a.denominator == 1 ? Exact(raw: s, 1) : reduced(Int128(s), Int128(a.denominator)) }
        }
        // |n| ≤ 2^63 − 1 and 0 < d ≤ 2^63 − 1: each product is below 2^126, their sum below 2^127.
        return reduced(
            Int128(a.numerator) * Int128(b.denominator) + Int128(b.numerator) * Int128(a.denominator),
            Int128(a.denominator) * Int128(b.denominator))
    }

    public static func - (a: Exact, b: Exact) -> Exact { a + (-b) }

    /// Negation (never overflows: the numerator is never `Int64.min`); turns ``tooLarge`` into ``tooSmall`` and back.
    public static prefix func - (a: Exact) -> Exact { Exact(raw: -a.numerator, a.denominator) }

    public static func * (a: Exact, b: Exact) -> Exact {
        if a.isTooLarge || b.isTooLarge { return overflowed(a, b, product: true) }
        return reduced(Int128(a.numerator) * Int128(b.numerator), Int128(a.denominator) * Int128(b.denominator))
    }

    /// Division; ``tooLarge`` (``tooSmall`` for a negative `a`) when `b` is zero (callers check: a node's max
    /// is positive, a panel has judges).
    public static func / (a: Exact, b: Exact) -> Exact {
        if a.isTooLarge || b.isTooLarge { return overflowed(a, b, product: true) }
        return reduced(Int128(a.numerator) * Int128(b.denominator), Int128(a.denominator) * Int128(b.numerator))
    }

    public static func += (a: inout Exact, b: Exact) { a = a + b }
    public static func -= (a: inout Exact, b: Exact) { a = a - b }

    /// Exact comparison (cross products in 128 bits cannot overflow); ``tooSmall`` sorts below every number and
    /// ``tooLarge`` above, so a comparison with an out-of-range number is right in direction (still, a scorer
    /// never compares with one: see the type's overview).
    public static func < (a: Exact, b: Exact) -> Bool {
        if a.isTooLarge || b.isTooLarge {
            // Ranks: tooSmall −1, any number 0, tooLarge 1.
            func rank(_ x: Exact) -> Int64 { x.isTooLarge ? x.numerator : 0 }
            return rank(a) < rank(b)
        }
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
    /// More than 18 places is 18 (the finest a 64-bit fraction holds); ``tooLarge`` stays ``tooLarge``, and
    /// so does a value whose rounding no longer fits (rounding 9 223 372 036 854 775 806.5 up).
    public func rounded(_ rounding: Rounding) -> Exact {
        if isTooLarge { return self }
        let d = Swift.min(Swift.max(0, rounding.decimals), 18)
        var scale: Int128 = 1
        for _ in 0..<d { scale *= 10 }
        // |numerator| < 2^63 and scale ≤ 10^18 < 2^60: the product fits 128 bits.
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
        if v.isTooLarge { return v.numerator < 0 ? "below -9223372036854775807" : "above 9223372036854775807" }
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
            if places == 18 { break }
            places += 1
            scale *= 10
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

    /// The value as a Foundation decimal (exact when the fraction terminates; else to 18 places); NaN for
    /// ``tooLarge``.
    public var decimal: Decimal {
        if isTooLarge { return .nan }
        return Decimal(string: text(maxDecimals: 18), locale: Locale(identifier: "en_US_POSIX")) ?? 0
    }
}

extension Exact {
    /// The reason an outcome is incomplete when a computation gave ``tooLarge``: what the user sees after the
    /// node id.
    public static let tooLargeProblem =
        "number too large: the result is beyond 9223372036854775807, the largest number Assay scores with; check the values recorded below this node and the rubric's max and factor"
}

extension ParameterType {
    /// The numbers in `value` (a parameter of this type, as written) that are outside ±9223372036854775807,
    /// the range ``Exact`` scores with, each as written: the value of a decimal, each item of a list, each key
    /// and points of a table. Empty when all fit (or when the value is not well-formed: that is
    /// ``problem(with:)``'s to say). Loading refuses such a parameter, and the engine never scores with one.
    public func numbersOutOfRange(in value: String) -> [String] {
        func beyond(_ text: String) -> Bool {
            guard Exact(plainText: text) == nil, let d = Decimal(plainText: text) else { return false }
            return Exact(d).isTooLarge
        }
        let v = value.trimmingCharacters(in: .whitespaces)
        switch self {
        case .decimal:
            return beyond(v) ? [v] : []
        case .decimalList:
            return Self.listItems(v).filter(beyond)
        case .table:
            return v.split(separator: ",").flatMap { entry in
                entry.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            }.filter(beyond)
        case .integer, .panelTable, .boolean, .choice, .node, .text:
            return []
        }
    }
}
