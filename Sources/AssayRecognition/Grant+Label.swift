public import AssayModel

extension Grant {
    /// What is granted, as the thing two rules can both grant: "credit for course MIT-201" (exemption or
    /// transfer alike), "exemption from the rad-tech theory-basic exam subject".
    public var label: String {
        switch self {
        case .exemptCourse(let ref, _), .transferCredit(let ref, _, _, _): return "credit for course \(ref)"
        case .exemptComponent(let cert, let component, _): return "exemption from the \(cert) \(component) exam subject"
        }
    }

    /// The grant as the rubric writes it, in one token pair for tables: `exempt-course MIT-201`,
    /// `transfer-credit MIT-201`, `exempt-component rad-tech/theory-basic`.
    public var code: String {
        switch self {
        case .exemptCourse(let ref, _): return "exempt-course \(ref)"
        case .transferCredit(let ref, _, _, _): return "transfer-credit \(ref)"
        case .exemptComponent(let cert, let component, _): return "exempt-component \(cert)/\(component)"
        }
    }
}

extension RecognitionDecision.Verdict {
    /// `granted`, `refused`, `superseded` or `capped`.
    public var word: String {
        switch self {
        case .granted: return "granted"
        case .refused: return "refused"
        case .superseded: return "superseded"
        case .capped: return "capped"
        }
    }

    /// The rule that superseded this one, if it was superseded.
    public var supersedingRule: String? {
        if case .superseded(let rule) = self { return rule } else { return nil }
    }
}
