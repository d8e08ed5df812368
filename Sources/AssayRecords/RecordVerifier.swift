import Foundation

/// What verifying one VC-JWT found.
public struct RecordVerification: Sendable {
    /// The credential (the payload without the JWT claims), when the token could be decoded.
    public var credential: JSONValue?
    /// The issuer's did:key, when the header named one.
    public var issuer: String?
    /// Everything that failed, in a registrar's words; empty when the record verifies.
    public var problems: [String]

    public var isValid: Bool { problems.isEmpty }
}

/// Verifies VC-JWT records without trusting anything but the token: the signature against the public key
/// decoded from the header's did:key `kid` (RFC 7515 §5.2; EdDSA per RFC 8037, RS256 per RFC 7518), that
/// the key is the credential's issuer, that the JWT claims agree with the credential (OB 3.0 §8.2), and
/// the credential against ``CredentialCheck``. Keys are decoded once per did:key and kept.
public struct RecordVerifier: Sendable {
    private var keys: [String: (did: DIDKey, key: PublicKey)] = [:]

    public init() {}

    public mutating func verify(jwt: String) -> RecordVerification {
        let parts: VCJWT.Parts
        do { parts = try VCJWT.parse(jwt.hasSuffix("\n") ? jwt.trimmingCharacters(in: .whitespacesAndNewlines) : jwt) } catch {
            return RecordVerification(credential: nil, issuer: nil, problems: ["\(error)"])
        }
        var problems: [String] = []
        let credential = parts.credential
        guard let kid = parts.header["kid"]?.stringValue else {
            return RecordVerification(credential: credential, issuer: nil, problems: ["the JWS header has no kid naming the issuer's key"])
        }
        guard let alg = parts.header["alg"]?.stringValue.flatMap(SignatureAlgorithm.init(rawValue:)) else {
            let given = parts.header["alg"]?.stringValue ?? "none"
            return RecordVerification(credential: credential, issuer: nil, problems: ["the JWS header's alg is \(given); Assay records use EdDSA or RS256"])
        }
        let resolved: (did: DIDKey, key: PublicKey)
        if let cached = keys[kid] {
            resolved = cached
        } else {
            do {
                resolved = try DIDKey.resolve(kid)
                keys[kid] = resolved
            } catch {
                return RecordVerification(credential: credential, issuer: nil, problems: ["the issuer key: \(error)"])
            }
        }
        let issuer = resolved.did.did
        if resolved.key.algorithm != alg {
            problems.append("the JWS header says \(alg.rawValue) but the issuer key \(kid) is for \(resolved.key.algorithm.rawValue)")
        } else if !resolved.key.verify(parts.signature, for: parts.signingInput, algorithm: alg) {
            problems.append("the signature does not verify against the issuer key \(kid)")
        }
        if parts.payload["iss"] != .string(issuer) { problems.append("the JWT iss is not the signing key's did (\(issuer))") }
        let issuerID = credential["issuer"]?.stringValue ?? credential["issuer"]?["id"]?.stringValue
        if issuerID != issuer { problems.append("the credential's issuer is \(issuerID ?? "missing"), not the signing key's did (\(issuer))") }
        if parts.payload["jti"] != credential["id"] { problems.append("the JWT jti does not match the credential id") }
        if let sub = credential["credentialSubject"]?["id"], parts.payload["sub"] != sub {
            problems.append("the JWT sub does not match credentialSubject.id")
        }
        if let from = credential["validFrom"]?.stringValue, let date = Timestamp.parse(from),
            parts.payload["nbf"] != .number(String(Timestamp.seconds(date)))
        {
            problems.append("the JWT nbf does not match validFrom (\(from))")
        }
        problems += CredentialCheck.problems(credential).map { "the credential does not meet the Open Badges 3.0 schema: \($0)" }
        return RecordVerification(credential: credential, issuer: issuer, problems: problems)
    }
}
