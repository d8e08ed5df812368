public import Foundation

private let posixLocale = Locale(identifier: "en_US_POSIX")

extension Decimal {
    /// Parses a plain decimal number as written in a rubric or a mark sheet: optional sign, digits, optional
    /// fraction (`82.5`, `-0.25`, `.5`). Unlike `Decimal(string:)` it refuses trailing junk (`1.2.3`, `4 marks`),
    /// exponents and locale separators, so a typo never becomes a different number. Surrounding ASCII spaces
    /// are allowed (XML attribute values may carry them).
    public init?(plainText text: some StringProtocol) {
        var utf8 = Substring(text).utf8[...]
        while let f = utf8.first, f == 0x20 || f == 0x09 || f == 0x0A || f == 0x0D { utf8 = utf8.dropFirst() }
        while let l = utf8.last, l == 0x20 || l == 0x09 || l == 0x0A || l == 0x0D { utf8 = utf8.dropLast() }
        var negative = false
        if let f = utf8.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            negative = f == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var significand: UInt64 = 0
        var digits = 0
        var significantDigits = 0
        var fractionDigits = 0
        var seenDot = false
        for c in utf8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                if seenDot { fractionDigits += 1 }
                if significand > 0 || c != UInt8(ascii: "0") { significantDigits += 1 }
                significand = significand &* 10 &+ UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "."):
                if seenDot { return nil }
                seenDot = true
            default:
                return nil
            }
        }
        guard digits > 0 else { return nil }
        if significantDigits <= 18 {
            // Exact: at most 18 significant digits fit a UInt64 without overflow.
            self = Decimal(sign: negative ? .minus : .plus, exponent: -fractionDigits, significand: Decimal(significand))
        } else {
            let body = String(decoding: utf8, as: UTF8.self)
            guard let value = Decimal(string: body, locale: posixLocale) else { return nil }
            self = negative ? -value : value
        }
    }

    /// The value as plain text with no exponent and no trailing zeros after the point (`82.5`, `100`).
    public var plainText: String {
        var copy = self
        var rounded = Decimal()
        NSDecimalRound(&rounded, &copy, 12, .plain)
        return rounded.description
    }
}
