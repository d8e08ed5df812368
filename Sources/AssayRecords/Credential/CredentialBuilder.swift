public import AssayModel
public import AssayRecognition
public import Foundation

/// Turns a granted ``RecognitionDecision`` into an Open Badges 3.0 `AchievementCredential`
/// (1EdTech Open Badges Specification 3.0, §B.1.1; W3C Verifiable Credentials Data Model 2.0).
///
/// The shape (every field below is checked by the tests against the official JSON Schema):
///
/// - `@context`: the VC 2.0 and OB 3.0.3 contexts, then an inline context defining the Assay extension term
///   `assayProvenance` as `urn:assay:records:1#provenance` with `"@type": "@json"` (an opaque JSON value).
/// - `id`: `urn:uuid:<record id>` (``RecordID``); `type`: `VerifiableCredential`, `OpenBadgeCredential`.
/// - `issuer`: a `Profile` whose `id` is the issuer's `did:key` (and `name`, when given).
/// - `validFrom` (and `awardedDate`): the issue time, `YYYY-MM-DDThh:mm:ssZ`.
/// - `credentialSubject` (`AchievementSubject`): `id` `urn:assay:candidate:<candidate>` (percent-encoded), the
///   candidate number again as an `identifier` (`IdentityObject`, `identityType` `sisSourcedId`, not hashed),
///   `narrative` = the decision's reason, and
///   - for a course grant (exemption or credit transfer): the **course as the achievement** — `id`
///     `urn:assay:program:<program>:course:<course>`, `achievementType` `Course`, `name` the course title,
///     `humanCode` the course id, `version` the program version, `creditsAvailable` the course credits;
///     `creditsEarned` the credits recognised; with a grade (credit transfer), one `result`
///     (`value` = the grade as a plain decimal) pointing at the achievement's one `resultDescription`
///     (`…#grade`, `resultType` `RawScore`, `valueMax` = the course assessment's maximum);
///   - for a **certificate-component exemption**: the exam component as the achievement — `id`
///     `urn:assay:program:<program>:certificate:<certificate>:component:<component>`, `achievementType`
///     `Assessment`, `name` "<certificate title>: <component title> (exam component)", no credits and no
///     result (an exemption is not a mark).
/// - `evidence`: one `Evidence` per item the decision used, in its order: `name` = the item's description,
///   `genre` = its kind (`certificate`, `award`, `course-result`), `digestSRI` = `sha256-` + base64 of the
///   item's SHA-256 (the VC 2.0 resource-integrity term).
/// - `assayProvenance`: `{"type": "AssayProvenance", "program": {"id", "version", "title"},
///   "rubricSHA256", "rule": {"id", "title"?}, "grant": {"kind": "exempt-course" | "transfer-credit" |
///   "exempt-component", "course" | "certificate" + "component"}, "candidate", "evidence": [{"kind",
///   "sha256"}], "evidenceSHA256", "decisionDate"?}` — hex digests; see ``EvidenceDigest``; `decisionDate`
///   (`YYYY-MM-DD`) is the date the rules were evaluated at (`recognize --as-of`), when given.
public struct CredentialBuilder: Sendable {
    public let program: Program
    /// SHA-256 of the rubric file the program was loaded from (lowercase hex).
    public let rubricSHA256: String
    public let issuer: DIDKey
    public let issuerName: String?
    /// The date the recognition rules were evaluated at (`YYYY-MM-DD`), written as `decisionDate`.
    public let decisionDate: String?

    public init(program: Program, rubricSHA256: String, issuer: DIDKey, issuerName: String? = nil, decisionDate: String? = nil) {
        self.decisionDate = decisionDate
        self.program = program
        self.rubricSHA256 = rubricSHA256
        self.issuer = issuer
        self.issuerName = issuerName
    }

    /// The JSON-LD context list every Assay credential carries.
    public static let context: JSONValue = [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ["assayProvenance": ["@id": "urn:assay:records:1#provenance", "@type": "@json"]],
    ]

    /// What a record is about: the course id, or `certificate/component`.
    public static func target(of grant: Grant) -> String {
        switch grant {
        case .exemptCourse(let ref, _): return ref
        case .transferCredit(let course, _, _, _): return course
        case .exemptComponent(let certificate, let component, _): return certificate + "/" + component
        }
    }

    /// The credential for `decision`, issued at `issuedAt`. Throws when the decision is not granted or names
    /// a course, certificate or component the program does not have.
    public func credential(for decision: RecognitionDecision, issuedAt: Date) throws -> (id: String, evidence: EvidenceDigest, credential: JSONValue) {
        guard decision.isGranted else {
            throw RecordError(.notIssuable, "rule \(decision.ruleID) did not grant anything to \(decision.candidate); only granted decisions become records")
        }
        let evidence = EvidenceDigest(decision.evidence)
        let id = RecordID.make(program: program.id, candidate: decision.candidate, rule: decision.ruleID, evidenceSHA256: evidence.overall)
        let time = Timestamp.text(issuedAt)
        let programURN = "urn:assay:program:" + Self.percentEncoded(program.id)

        var subject: [String: JSONValue] = [
            "id": .string("urn:assay:candidate:" + Self.percentEncoded(decision.candidate)),
            "type": ["AchievementSubject"],
            "identifier": [
                [
                    "type": "IdentityObject", "identityHash": .string(decision.candidate), "identityType": "sisSourcedId",
                    "hashed": .bool(false),
                ]
            ],
            "narrative": .string(decision.reason),
        ]
        var grantJSON: [String: JSONValue]
        let name: String
        let description: String
        switch decision.grant {
        case .exemptCourse(let ref, _), .transferCredit(let ref, _, _, _):
            guard let course = program.course(ref) else {
                throw RecordError(.notIssuable, "rule \(decision.ruleID) grants course \(ref), which program \(program.id) does not have")
            }
            let exempt: Bool
            if case .exemptCourse = decision.grant { exempt = true } else { exempt = false }
            grantJSON = ["kind": exempt ? "exempt-course" : "transfer-credit", "course": .string(course.id)]
            let achievementID = programURN + ":course:" + Self.percentEncoded(course.id)
            var achievement: [String: JSONValue] = [
                "id": .string(achievementID),
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": .string(course.title),
                "humanCode": .string(course.id),
                "version": .string(program.version),
                "creditsAvailable": .decimal(course.credits),
                "description": .string(course.description ?? "Course \(course.id) (\(course.title)) of \(program.title)."),
                "criteria": [
                    "narrative": .string(
                        "Pass the course (\(course.pass.plainText) of \(course.assessment.max.plainText)), or be recognised under one of the program's credit-recognition rules."
                    )
                ],
            ]
            let credits = decision.credits ?? course.credits
            subject["creditsEarned"] = .decimal(credits)
            if let grade = decision.grade {
                let rd = achievementID + "#grade"
                achievement["resultDescription"] = [
                    [
                        "id": .string(rd), "type": ["ResultDescription"], "name": "Recognised grade", "resultType": "RawScore",
                        "valueMin": "0", "valueMax": .string(course.assessment.max.plainText),
                    ]
                ]
                subject["result"] = [["type": ["Result"], "resultDescription": .string(rd), "value": .string(grade.plainText)]]
            }
            subject["achievement"] = .object(achievement)
            name = "Recognised credit: \(course.title)"
            description =
                "\(credits.plainText) credits for \(course.id) \(course.title) in \(program.title) (version \(program.version)), "
                + (exempt ? "by exemption" : "by credit transfer") + " under rule \(decision.ruleID)."
        case .exemptComponent(let certID, let componentID, _):
            guard let certificate = program.certificate(certID), let component = certificate.component(componentID) else {
                throw RecordError(.notIssuable, "rule \(decision.ruleID) exempts component \(componentID) of certificate \(certID), which program \(program.id) does not have")
            }
            grantJSON = ["kind": "exempt-component", "certificate": .string(certID), "component": .string(componentID)]
            let componentTitle = component.title ?? component.id
            subject["achievement"] = [
                "id": .string(programURN + ":certificate:" + Self.percentEncoded(certID) + ":component:" + Self.percentEncoded(componentID)),
                "type": ["Achievement"],
                "achievementType": "Assessment",
                "name": .string("\(certificate.title): \(componentTitle) (exam component)"),
                "humanCode": .string(certID + "/" + componentID),
                "version": .string(program.version),
                "description": .string("The \(componentTitle) component of the \(certificate.title) examination (out of \(component.max.plainText), pass \(component.pass.plainText))."),
                "criteria": ["narrative": .string("Pass the component, or be exempted from it under one of \(program.title)'s credit-recognition rules.")],
            ]
            name = "Exam component exemption: \(certificate.title) — \(componentTitle)"
            description = "Exemption from the \(componentTitle) component of \(certificate.title), recognised by \(program.title) (version \(program.version)) under rule \(decision.ruleID)."
        }

        var rule: [String: JSONValue] = ["id": .string(decision.ruleID)]
        if let title = decision.ruleTitle { rule["title"] = .string(title) }
        var provenance: JSONValue = [
            "type": "AssayProvenance",
            "program": ["id": .string(program.id), "version": .string(program.version), "title": .string(program.title)],
            "rubricSHA256": .string(rubricSHA256),
            "rule": .object(rule),
            "grant": .object(grantJSON),
            "candidate": .string(decision.candidate),
            "evidence": .array(zip(decision.evidence, evidence.items).map { use, hex in ["kind": .string(use.kind.rawValue), "sha256": .string(hex)] }),
            "evidenceSHA256": .string(evidence.overall),
        ]
        if let decisionDate, case .object(var fields) = provenance {
            fields["decisionDate"] = .string(decisionDate)
            provenance = .object(fields)
        }
        var issuerJSON: [String: JSONValue] = ["id": .string(issuer.did), "type": ["Profile"]]
        if let issuerName { issuerJSON["name"] = .string(issuerName) }
        var credential: [String: JSONValue] = [
            "@context": Self.context,
            "id": .string("urn:uuid:" + id),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": .object(issuerJSON),
            "validFrom": .string(time),
            "awardedDate": .string(time),
            "name": .string(name),
            "description": .string(description),
            "credentialSubject": .object(subject),
            "assayProvenance": provenance,
        ]
        if !decision.evidence.isEmpty {
            credential["evidence"] = .array(
                zip(decision.evidence, evidence.items).map { use, hex in
                    [
                        "type": ["Evidence"], "name": .string(use.description), "genre": .string(use.kind.rawValue),
                        "digestSRI": .string("sha256-" + Data(Hex.bytes(hex) ?? []).base64EncodedString()),
                    ]
                })
        }
        return (id, evidence, .object(credential))
    }

    /// RFC 3986 percent-encoding of everything but unreserved characters, for ids inside URNs.
    static func percentEncoded(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default: out += String(format: "%%%02X", b)
            }
        }
        return out
    }
}
