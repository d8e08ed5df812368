public import AssayModel
public import AssayRecognition
public import Foundation

/// Builds and signs records for one program version, rubric file and issuer key: a granted decision in,
/// an ``IssuedRecord`` (OB 3.0 credential + VC-JWT) out.
public struct RecordSigner: Sendable {
    public let builder: CredentialBuilder
    public let key: SigningKey

    /// `rubricSHA256`: the SHA-256 of the rubric file `program` was loaded from (hex); `decisionDate`: the
    /// date the decisions were made at (`YYYY-MM-DD`, `recognize --as-of`), recorded in the provenance.
    public init(program: Program, rubricSHA256: String, key: SigningKey, issuerName: String? = nil, decisionDate: String? = nil) {
        builder = CredentialBuilder(
            program: program, rubricSHA256: rubricSHA256, issuer: key.did, issuerName: issuerName, decisionDate: decisionDate)
        self.key = key
    }

    /// What identifies the record `decision` would give (id and evidence digest), without building it.
    public func identity(of decision: RecognitionDecision) -> (id: String, evidenceSHA256: String) {
        let evidence = EvidenceDigest(decision.evidence).overall
        return (RecordID.make(program: builder.program.id, candidate: decision.candidate, rule: decision.ruleID, evidenceSHA256: evidence), evidence)
    }

    /// The signed record for a granted `decision`, issued at `issuedAt`.
    public func sign(_ decision: RecognitionDecision, issuedAt: Date) throws -> IssuedRecord {
        let (id, evidence, credential) = try builder.credential(for: decision, issuedAt: issuedAt)
        let jwt = try VCJWT.sign(credential, issuedAt: issuedAt, with: key)
        return IssuedRecord(
            id: id, candidate: decision.candidate, program: builder.program.id, programVersion: builder.program.version,
            rubricSHA256: builder.rubricSHA256, rule: decision.ruleID, target: CredentialBuilder.target(of: decision.grant),
            evidenceSHA256: evidence.overall, credential: credential.canonical, jwt: jwt, issuedAt: Timestamp.text(issuedAt))
    }
}
