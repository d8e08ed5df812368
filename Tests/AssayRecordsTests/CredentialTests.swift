import AssayModel
import AssayRecognition
import AssayRecords
import Foundation
import Testing

@Suite("Open Badges 3.0 credentials and VC-JWTs from recognition decisions")
struct CredentialTests {
    let rubricSHA256 = String(repeating: "ab", count: 32)

    func signer() throws -> RecordSigner {
        RecordSigner(program: RecordFixtures.program, rubricSHA256: rubricSHA256, key: try RecordFixtures.rfc8032Key(), issuerName: "Example Medical College")
    }

    @Test("a course exemption names the course as the achievement, its credits, the evidence digests and the provenance")
    func courseExemption() throws {
        let record = try signer().sign(RecordFixtures.exemption(), issuedAt: RecordFixtures.issuedAt)
        let c = try JSONParser.parse(record.credential)
        let itemSHA = SHA256.hex("certificate|ref=rad-tech|level=junior|serial=RT-2025-0042|issued=2025-06-01")
        #expect(record.evidenceSHA256 == SHA256.hex(itemSHA + "\n"))
        #expect(record.id == RecordID.make(program: "mit-bsc", candidate: "S2025001", rule: "radtech-exempts-dr", evidenceSHA256: record.evidenceSHA256))
        #expect(c["id"] == .string("urn:uuid:" + record.id))
        #expect(c["type"] == ["VerifiableCredential", "OpenBadgeCredential"])
        #expect(c["issuer"] == ["id": "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw", "type": ["Profile"], "name": "Example Medical College"])
        #expect(c["validFrom"] == "2026-06-30T08:00:00Z")
        let subject = try #require(c["credentialSubject"])
        #expect(subject["id"] == "urn:assay:candidate:S2025001")
        #expect(subject["creditsEarned"] == .number("4"))
        #expect(subject["result"] == nil)
        #expect(subject["narrative"] == "holds rad-tech at junior, issued 2025-06-01, within 3 years")
        let achievement = try #require(subject["achievement"])
        #expect(achievement["id"] == "urn:assay:program:mit-bsc:course:MIT-201")
        #expect(achievement["achievementType"] == "Course")
        #expect(achievement["name"] == "X-ray and DR Imaging Technology")
        #expect(achievement["creditsAvailable"] == .number("4"))
        #expect(c["evidence"] == [
            [
                "type": ["Evidence"], "name": "certificate rad-tech at junior, serial RT-2025-0042, issued 2025-06-01", "genre": "certificate",
                "digestSRI": .string("sha256-" + Data(SHA256.digest("certificate|ref=rad-tech|level=junior|serial=RT-2025-0042|issued=2025-06-01")).base64EncodedString()),
            ]
        ])
        #expect(c["assayProvenance"] == [
            "type": "AssayProvenance",
            "program": ["id": "mit-bsc", "version": "2025.1", "title": "Medical Imaging Technology (BSc)"],
            "rubricSHA256": .string(rubricSHA256),
            "rule": ["id": "radtech-exempts-dr", "title": "Radiological technologist exempts DR"],
            "grant": ["kind": "exempt-course", "course": "MIT-201"],
            "candidate": "S2025001",
            "evidence": [["kind": "certificate", "sha256": .string(itemSHA)]],
            "evidenceSHA256": .string(record.evidenceSHA256),
        ])
        #expect(CredentialCheck.problems(c) == [])
        #expect(record.credential == c.canonical)
    }

    @Test("a credit transfer carries its grade as a result pointing at the achievement's resultDescription")
    func transferGrade() throws {
        let record = try signer().sign(RecordFixtures.transfer(), issuedAt: RecordFixtures.issuedAt)
        let c = try JSONParser.parse(record.credential)
        let subject = try #require(c["credentialSubject"])
        #expect(subject["creditsEarned"] == .number("3.5"))
        #expect(subject["achievement"]?["creditsAvailable"] == .number("3.5"))
        #expect(subject["result"] == [["type": ["Result"], "resultDescription": "urn:assay:program:mit-bsc:course:MIT-202#grade", "value": "85.5"]])
        #expect(subject["achievement"]?["resultDescription"] == [
            [
                "id": "urn:assay:program:mit-bsc:course:MIT-202#grade", "type": ["ResultDescription"], "name": "Recognised grade",
                "resultType": "RawScore", "valueMin": "0", "valueMax": "100",
            ]
        ])
        #expect(c["assayProvenance"]?["grant"] == ["kind": "transfer-credit", "course": "MIT-202"])
        #expect(record.target == "MIT-202")
    }

    @Test("a certificate-component exemption has the exam component as an Assessment achievement, without credits")
    func componentExemption() throws {
        let record = try signer().sign(RecordFixtures.componentExemption(), issuedAt: RecordFixtures.issuedAt)
        let c = try JSONParser.parse(record.credential)
        let subject = try #require(c["credentialSubject"])
        #expect(subject["creditsEarned"] == nil)
        #expect(subject["achievement"]?["id"] == "urn:assay:program:mit-bsc:certificate:rad-tech:component:theory-basic")
        #expect(subject["achievement"]?["achievementType"] == "Assessment")
        #expect(subject["achievement"]?["name"] == "Radiological Technologist: Theory: basic knowledge (exam component)")
        #expect(subject["achievement"]?["creditsAvailable"] == nil)
        #expect(c["evidence"]?.arrayValue?.count == 2)
        #expect(record.target == "rad-tech/theory-basic")
        #expect(CredentialCheck.problems(c) == [])
    }

    @Test("only granted decisions for courses and components the program has become records")
    func notIssuable() throws {
        var refused = RecordFixtures.exemption()
        refused.verdict = .refused
        #expect(throws: RecordError(.notIssuable, "rule radtech-exempts-dr did not grant anything to S2025001; only granted decisions become records")) {
            try signer().sign(refused, issuedAt: RecordFixtures.issuedAt)
        }
        var unknown = RecordFixtures.exemption()
        unknown.grant = .exemptCourse(ref: "MIT-999", origin: .synthetic())
        #expect(throws: RecordError(.notIssuable, "rule radtech-exempts-dr grants course MIT-999, which program mit-bsc does not have")) {
            try signer().sign(unknown, issuedAt: RecordFixtures.issuedAt)
        }
    }

    @Test("the VC-JWT has the documented header and claims, is deterministic, and verifies")
    func jwtRoundTrip() throws {
        let record = try signer().sign(RecordFixtures.exemption(), issuedAt: RecordFixtures.issuedAt)
        #expect(try signer().sign(RecordFixtures.exemption(), issuedAt: RecordFixtures.issuedAt).jwt == record.jwt)
        let parts = try VCJWT.parse(record.jwt)
        let did = "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
        #expect(parts.header == ["alg": "EdDSA", "kid": .string(did + "#" + did.dropFirst(8)), "typ": "JWT"])
        #expect(parts.payload["iss"] == .string(did))
        #expect(parts.payload["jti"] == .string("urn:uuid:" + record.id))
        #expect(parts.payload["nbf"] == .number("1782806400"))
        #expect(parts.payload["sub"] == "urn:assay:candidate:S2025001")
        #expect(parts.credential == (try JSONParser.parse(record.credential)))
        var verifier = RecordVerifier()
        let v = verifier.verify(jwt: record.jwt)
        #expect(v.problems == [])
        #expect(v.issuer == did)
    }

    @Test("a changed payload, a foreign signature and a wrong alg are each reported")
    func jwtTamper() throws {
        let a = try signer().sign(RecordFixtures.exemption(), issuedAt: RecordFixtures.issuedAt)
        let b = try signer().sign(RecordFixtures.transfer(), issuedAt: RecordFixtures.issuedAt)
        let kid = "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw#z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
        let pa = a.jwt.split(separator: ".")
        let pb = b.jwt.split(separator: ".")
        var verifier = RecordVerifier()
        #expect(verifier.verify(jwt: "\(pa[0]).\(pa[1]).\(pb[2])").problems == ["the signature does not verify against the issuer key \(kid)"])
        var payload = try VCJWT.parse(a.jwt).payload.objectValue!
        payload["creditsEarned"] = .number("40")
        let forged = "\(pa[0]).\(Base64URL.encode(Array(JSONValue.object(payload).canonical.utf8))).\(pa[2])"
        #expect(verifier.verify(jwt: forged).problems == ["the signature does not verify against the issuer key \(kid)"])
        let rsHeader = Base64URL.encode(Array(#"{"alg":"RS256","kid":"\#(kid)","typ":"JWT"}"#.utf8))
        #expect(verifier.verify(jwt: "\(rsHeader).\(pa[1]).\(pa[2])").problems == ["the JWS header says RS256 but the issuer key \(kid) is for EdDSA"])
        #expect(verifier.verify(jwt: "abc.def").problems == ["not a JWS in compact form: it has 2 parts separated by '.', not 3"])
    }

    @Test("an RS256 issuer's records verify with the key from its did:key")
    func rs256Records() throws {
        let key = try SigningKey.generate(.rs256)
        let record = try RecordSigner(program: RecordFixtures.program, rubricSHA256: rubricSHA256, key: key).sign(
            RecordFixtures.transfer(), issuedAt: RecordFixtures.issuedAt)
        #expect(try VCJWT.parse(record.jwt).header["alg"] == "RS256")
        var verifier = RecordVerifier()
        #expect(verifier.verify(jwt: record.jwt).problems == [])
    }
}

@Suite("The Open Badges 3.0 rules checked in Swift")
struct CredentialCheckTests {
    @Test("1EdTech's valid sample passes and its error samples fail on the broken field")
    func samples() throws {
        #expect(CredentialCheck.problems(try JSONParser.parse(try RecordFixtures.text("simple.json"))) == [])
        #expect(
            CredentialCheck.problems(try JSONParser.parse(try RecordFixtures.text("simple-err-type.json")))
                == [
                    "type: must contain one of \"AchievementCredential\", \"OpenBadgeCredential\"",
                    "credentialSubject.achievement: required, an Achievement object",
                ])
        #expect(
            CredentialCheck.problems(try JSONParser.parse(try RecordFixtures.text("simple-err-credential-subject-type.json")))
                == ["credentialSubject.type: must contain \"AchievementSubject\""])
    }

    @Test("missing required members are each named with their path")
    func missing() throws {
        let problems = CredentialCheck.problems(try JSONParser.parse(#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"credentialSubject":{"type":["AchievementSubject"],"achievement":{"type":["Achievement"],"name":"N","criteria":{},"creditsAvailable":"4"}}}"#))
        #expect(problems == [
            "@context: required, an array of at least 2 contexts",
            "id: required, a string",
            "type: must contain one of \"AchievementCredential\", \"OpenBadgeCredential\"",
            "issuer: required, a URI or a Profile object",
            "validFrom: required",
            "credentialSubject.achievement.id: required, a string",
            "credentialSubject.achievement.description: required, a string",
            "credentialSubject.achievement.creditsAvailable: must be a number",
        ])
    }
}
