import Foundation

extension Decimal {
    /// Parses a plain decimal number as written in a rubric or a mark sheet: optional sign, digits, optional
    /// fraction (`82.5`, `-0.25`, `.5`). Unlike `Decimal(string:)` it refuses trailing junk (`1.2.3`, `4 marks`),
    /// exponents and locale separators, so a typo never becomes a different number.
    public init?(plainText text: some StringProtocol) {
        var digits = 0
        var dots = 0
        for (i, c) in text.utf8.enumerated() {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"): if i != 0 { return nil }
            default: return nil
            }
        }
        guard digits > 0, dots <= 1, let value = Decimal(string: String(text), locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        self = value
    }

    /// The value as plain text with no exponent and no trailing zeros after the point (`82.5`, `100`).
    public var plainText: String {
        var copy = self
        var rounded = Decimal()
        NSDecimalRound(&rounded, &copy, 12, .plain)
        return rounded.description
    }
}
