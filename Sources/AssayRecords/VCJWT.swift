public import Foundation

/// A credential secured as a VC-JWT: a JWS in compact serialisation (RFC 7515 §7.1) whose payload is the
/// credential itself, as Open Badges 3.0 §8.2 ("JSON Web Token Proof Format", VC-JWT) describes.
///
/// - JOSE header: `alg` (`EdDSA` per RFC 8037, or `RS256` per RFC 7518), `kid` = the issuer's did:key
///   verification method (`did:key:z…#z…`, so a verifier finds the key without a network), `typ` = `JWT`.
/// - Payload: the credential's members at the top level, plus the registered claims OB 3.0 maps them to
///   (RFC 7519 §4.1): `iss` = `issuer.id`, `jti` = `id`, `nbf` = `validFrom` as NumericDate,
///   `sub` = `credentialSubject.id`. No `exp`: recognised credit does not expire; withdrawal is revocation.
/// - Both header and payload are serialised canonically (``JSONValue/canonical``), so the same credential
///   signed with the same Ed25519 key gives byte-identical tokens.
public enum VCJWT {
    /// The registered claims added to the credential in the payload.
    public static let claimNames: Set<String> = ["iss", "jti", "nbf", "sub", "exp", "iat"]

    /// Signs `credential` (an object with `id`, `issuer.id`, `validFrom`, `credentialSubject.id`) with `key`.
    public static func sign(_ credential: JSONValue, issuedAt: Date, with key: SigningKey) throws -> String {
        guard var payload = credential.objectValue else { throw RecordError(.malformedJSON, "a credential must be a JSON object") }
        let header: JSONValue = ["alg": .string(key.algorithm.rawValue), "kid": .string(key.did.keyID), "typ": "JWT"]
        payload["iss"] = credential["issuer"]?["id"] ?? .string(key.did.did)
        if let id = credential["id"] { payload["jti"] = id }
        payload["nbf"] = .number(String(Timestamp.seconds(issuedAt)))
        if let sub = credential["credentialSubject"]?["id"] { payload["sub"] = sub }
        let signingInput = Base64URL.encode(header.canonicalBytes) + "." + Base64URL.encode(JSONValue.object(payload).canonicalBytes)
        let signature = try key.sign(Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// A compact JWS taken apart (nothing verified yet).
    public struct Parts: Sendable {
        public let header: JSONValue
        public let payload: JSONValue
        /// `BASE64URL(header) "." BASE64URL(payload)` as ASCII: what the signature covers.
        public let signingInput: [UInt8]
        public let signature: [UInt8]

        /// The payload without the JWT registered claims: the credential as issued.
        public var credential: JSONValue {
            guard case .object(var members) = payload else { return payload }
            for claim in VCJWT.claimNames { members[claim] = nil }
            return .object(members)
        }
    }

    /// Splits and decodes a compact JWS; throws ``RecordError`` (``RecordError/Code/malformedJWS``) saying which part is bad.
    public static func parse(_ token: String) throws -> Parts {
        let bytes = Array(token.utf8)
        var dots: [Int] = []
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: ".") { dots.append(i) }
        guard dots.count == 2 else {
            let n = dots.count + 1
            throw RecordError(.malformedJWS, "not a JWS in compact form: it has \(n) part\(n == 1 ? "" : "s") separated by '.', not 3")
        }
        guard let h = Base64URL.decode(bytes[0..<dots[0]]) else { throw RecordError(.malformedJWS, "the JWS header is not base64url") }
        guard let p = Base64URL.decode(bytes[(dots[0] + 1)..<dots[1]]) else {
            throw RecordError(.malformedJWS, "the JWS payload is not base64url")
        }
        guard let s = Base64URL.decode(bytes[(dots[1] + 1)...]), !s.isEmpty else {
            throw RecordError(.malformedJWS, "the JWS signature is not base64url")
        }
        let header: JSONValue
        let payload: JSONValue
        do { header = try JSONParser.parse(h) } catch let e as RecordError {
            throw RecordError(.malformedJWS, "the JWS header is not JSON (\(e.message))")
        }
        do { payload = try JSONParser.parse(p) } catch let e as RecordError {
            throw RecordError(.malformedJWS, "the JWS payload is not JSON (\(e.message))")
        }
        return Parts(header: header, payload: payload, signingInput: Array(bytes[0..<dots[1]]), signature: s)
    }
}
