public import AssayRecords

/// One issued record as the ledger holds it: the signed record (``IssuedRecord``, whose fields read through,
/// e.g. `record.candidate`), its place in the hash chain and its current status.
@dynamicMemberLookup
public struct LedgerRecord: Sendable, Hashable {
    /// Whether a record stands.
    public enum Status: String, Sendable, Hashable {
        case active
        case revoked
    }

    /// The record's position in the hash chain (1 = first row).
    public var row: Int
    /// The signed record and the facts the ledger indexes.
    public var issued: IssuedRecord
    public var status: Status
    /// For a revoked record: why and when (`YYYY-MM-DDThh:mm:ssZ`).
    public var revocationReason: String?
    public var revokedAt: String?

    /// The fields of the signed record: id, candidate, program, programVersion, rubricSHA256, rule, target,
    /// evidenceSHA256, credential, jwt, issuedAt.
    public subscript<T>(dynamicMember path: KeyPath<IssuedRecord, T>) -> T { issued[keyPath: path] }
}
