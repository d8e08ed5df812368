/// The JWS algorithms Assay signs and verifies records with (RFC 7518 §3.1, RFC 8037 §3.1).
public enum SignatureAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Ed25519 (RFC 8032) as JWS `EdDSA` (RFC 8037): the default — small keys, fast, deterministic signatures.
    case eddsa = "EdDSA"
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3), 2048-bit keys: for verifiers that only know RSA.
    case rs256 = "RS256"
}
