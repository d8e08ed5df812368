import AssayModel
import Foundation

// MARK: - The canonical forms

extension EvidenceUse {
    /// A certificate the candidate holds, and (when a rule's condition read one) the score of one of its exam
    /// subjects.
    ///
    /// Canonical: `certificate|ref=R|level=L|issued=YYYY-MM-DD|serial=S` (`serial=` empty when the evidence
    /// gives none), followed by `|component=C|score=X|max=M` when a component score was used.
    static func certificate(
        _ held: HeldCertificate, in certificate: Certificate, component: (id: String, score: String, max: String)? = nil
    ) -> EvidenceUse {
        var canonical = EvidenceUse.canonical(
            "certificate", [("ref", held.ref), ("level", held.level), ("issued", held.issued), ("serial", held.serial ?? "")])
        var description = "certificate \(held.ref) (\(certificate.title)) at \(held.level)"
        if let serial = held.serial { description += ", serial \(serial)" }
        description += ", issued \(held.issued)"
        if let component {
            canonical += "|" + EvidenceUse.fields([("component", component.id), ("score", component.score), ("max", component.max)])
            description += "; \(component.id) exam subject \(component.score) of \(component.max)"
        }
        return EvidenceUse(kind: .certificate, description: description, canonical: canonical, origin: held.origin)
    }

    /// An award the candidate won.
    ///
    /// Canonical: `award|competition=C|award=A|date=YYYY-MM-DD`.
    static func award(_ won: WonAward, in competition: Competition) -> EvidenceUse {
        EvidenceUse(
            kind: .award, description: "\(won.award) in \(won.competition) (\(competition.title)), \(won.date)",
            canonical: EvidenceUse.canonical(
                "award", [("competition", won.competition), ("award", won.award), ("date", won.date)]),
            origin: won.origin)
    }

    /// The candidate's result in a course, as the Engine scored it (the score as published, with the decimals
    /// the rubric rounds the course total to).
    ///
    /// Canonical: `course-result|course=C|score=X|max=M|passed=true|false`.
    static func courseResult(_ outcome: Outcome, score: String, in course: Course) -> EvidenceUse {
        let passed = outcome.passed == true
        return EvidenceUse(
            kind: .courseResult,
            description: "\(course.id) \(course.title): \(score) of \(outcome.maxValue.text()), \(passed ? "passed" : "not passed")",
            canonical: EvidenceUse.canonical(
                "course-result",
                [("course", course.id), ("score", score), ("max", outcome.maxValue.text()), ("passed", passed ? "true" : "false")]),
            origin: nil)
    }

    /// `kind|field=value|…`, values escaped.
    static func canonical(_ kind: String, _ fields: [(String, String)]) -> String {
        kind + "|" + EvidenceUse.fields(fields)
    }

    private static func fields(_ fields: [(String, String)]) -> String {
        fields.map { "\($0.0)=\(escape($0.1))" }.joined(separator: "|")
    }

    /// Percent-encodes `%`, `|`, `=` and control characters so that a value can never be read as a field
    /// boundary; everything else is kept as written.
    static func escape(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "%", "|", "=":
                out += "%" + String(scalar.value, radix: 16, uppercase: true)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
