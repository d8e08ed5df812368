import AssayModel
public import AssayRecognition

/// The SHA-256 digests of a decision's evidence.
///
/// Each item's digest is SHA-256 over the UTF-8 bytes of its ``EvidenceUse/canonical`` text (the facts used,
/// never titles or file names), so the same facts always give the same digest. The decision's evidence
/// digest is SHA-256 over the item digests in the decision's order, as lowercase hex, each followed by a line
/// feed (`"<hex1>\n<hex2>\n"`; no items: SHA-256 of the empty string). Together with the candidate, program
/// and rule it is what makes issuing idempotent.
public struct EvidenceDigest: Sendable, Hashable {
    /// Per item, in order: lowercase hex.
    public let items: [String]
    /// Over all items: lowercase hex.
    public let overall: String

    public init(_ evidence: [EvidenceUse]) {
        items = evidence.map { SHA256.hex($0.canonical) }
        overall = SHA256.hex(items.map { $0 + "\n" }.joined())
    }
}
