public import AssayModel
public import Foundation

extension Decimal {
    /// Rounds exactly as a rubric says, in decimal arithmetic. Modes are symmetric about zero except floor and
    /// ceiling: half-up 2.345 → 2.35 and −2.345 → −2.35; half-even 2.345 → 2.34; half-down 2.345 → 2.34;
    /// up 2.341 → 2.35; down 2.349 → 2.34; floor −2.341 → −2.35; ceiling 2.341 → 2.35.
    public func rounded(_ rounding: Rounding) -> Decimal {
        let d = rounding.decimals
        let negative = self < 0
        let magnitude = negative ? -self : self
        let truncated = magnitude.truncated(d)
        let ulp = Decimal(sign: .plus, exponent: -d, significand: 1)
        let rest = magnitude - truncated
        let half = ulp / 2
        let roundedMagnitude: Decimal
        switch rounding.mode {
        case .halfUp: roundedMagnitude = rest >= half ? truncated + ulp : truncated
        case .halfDown: roundedMagnitude = rest > half ? truncated + ulp : truncated
        case .halfEven:
            if rest > half {
                roundedMagnitude = truncated + ulp
            } else if rest < half {
                roundedMagnitude = truncated
            } else {
                // Exactly half: to the even last digit.
                let lastDigit = ((truncated / ulp) as NSDecimalNumber).intValue % 2
                roundedMagnitude = lastDigit == 0 ? truncated : truncated + ulp
            }
        case .up: roundedMagnitude = rest > 0 ? truncated + ulp : truncated
        case .down: roundedMagnitude = truncated
        case .floor: roundedMagnitude = negative ? (rest > 0 ? truncated + ulp : truncated) : truncated
        case .ceiling: roundedMagnitude = negative ? truncated : (rest > 0 ? truncated + ulp : truncated)
        }
        return negative ? -roundedMagnitude : roundedMagnitude
    }

    /// A non-negative value cut to `decimals` places.
    func truncated(_ decimals: Int) -> Decimal {
        var source = self
        var result = Decimal()
        NSDecimalRound(&result, &source, decimals, .down)
        return result
    }

    /// Whether the value is a whole multiple of `step`.
    func isMultiple(of step: Decimal) -> Bool {
        guard step > 0 else { return true }
        let q = self / step
        return q == q.truncatedSigned()
    }

    private func truncatedSigned() -> Decimal {
        self < 0 ? -((-self).truncated(0)) : truncated(0)
    }

    /// The value with exactly `decimals` places when the rubric rounds to that many (`66.00`), else ``shown``.
    public func shown(decimals: Int?) -> String {
        guard let decimals, decimals > 0 else { return decimals == 0 ? rounded(Rounding(.halfUp, decimals: 0)).shown : shown }
        let text = shown
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        guard fraction.count < decimals else { return text }
        return String(parts[0]) + "." + fraction + String(repeating: "0", count: decimals - fraction.count)
    }

    /// The value for people: plain digits, at most 6 decimals, no trailing zeros, no exponent.
    public var shown: String {
        var copy = self
        var r = Decimal()
        NSDecimalRound(&r, &copy, 6, .plain)
        let s = r.description
        return s == "-0" ? "0" : s
    }
}
