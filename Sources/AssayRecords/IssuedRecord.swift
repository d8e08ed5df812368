/// One signed record, ready for the ledger: the credential, its VC-JWT and the facts the ledger indexes.
public struct IssuedRecord: Sendable, Hashable {
    /// The record id (``RecordID``): the credential's `id` without `urn:uuid:`.
    public var id: String
    public var candidate: String
    public var program: String
    public var programVersion: String
    /// SHA-256 of the rubric file (hex).
    public var rubricSHA256: String
    public var rule: String
    /// The course id, or `certificate/component` for a component exemption.
    public var target: String
    /// The evidence digest (``EvidenceDigest/overall``, hex).
    public var evidenceSHA256: String
    /// The credential as canonical JSON (``JSONValue/canonical``).
    public var credential: String
    /// The VC-JWT (compact JWS).
    public var jwt: String
    /// The issue time, `YYYY-MM-DDThh:mm:ssZ`.
    public var issuedAt: String

    public init(
        id: String, candidate: String, program: String, programVersion: String, rubricSHA256: String, rule: String,
        target: String, evidenceSHA256: String, credential: String, jwt: String, issuedAt: String
    ) {
        self.id = id
        self.candidate = candidate
        self.program = program
        self.programVersion = programVersion
        self.rubricSHA256 = rubricSHA256
        self.rule = rule
        self.target = target
        self.evidenceSHA256 = evidenceSHA256
        self.credential = credential
        self.jwt = jwt
        self.issuedAt = issuedAt
    }
}
