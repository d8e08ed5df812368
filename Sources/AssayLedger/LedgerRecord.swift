/// One issued record as the ledger holds it, with its current status.
public struct LedgerRecord: Sendable, Hashable {
    /// Whether a record stands.
    public enum Status: String, Sendable, Hashable {
        case active
        case revoked
    }

    /// The record's position in the hash chain (1 = first row).
    public var row: Int
    public var id: String
    public var candidate: String
    public var program: String
    public var programVersion: String
    public var rubricSHA256: String
    public var rule: String
    /// The course id, or `certificate/component`.
    public var target: String
    public var evidenceSHA256: String
    /// The OB 3.0 credential, canonical JSON.
    public var credential: String
    /// The VC-JWT.
    public var jwt: String
    public var issuedAt: String
    public var status: Status
    /// For a revoked record: why and when (`YYYY-MM-DDThh:mm:ssZ`).
    public var revocationReason: String?
    public var revokedAt: String?
}
