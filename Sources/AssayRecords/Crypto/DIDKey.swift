import CLibCrypto
import Foundation

/// A `did:key` identifier (W3C CCG did:key method, v0.7): the public key itself, multicodec-prefixed and
/// multibase-encoded, so that resolving it needs no network.
///
/// - Ed25519: `did:key:z` + base58btc(`0xed 0x01` ‖ the 32-byte raw public key, RFC 8032) — always `did:key:z6Mk…`.
/// - RSA: `did:key:z` + base58btc(`0x85 0x24` (multicodec `rsa-pub` 0x1205 as an unsigned varint) ‖ the DER
///   `RSAPublicKey` of PKCS#1, RFC 8017 §A.1.1) — `did:key:z4MX…` for 2048-bit keys.
///
/// The verification method is `did#fingerprint` (the part after `did:key:`), the JWS header's `kid`.
public struct DIDKey: Sendable, Hashable, CustomStringConvertible {
    /// `did:key:z…`.
    public let did: String

    /// The DID URL of the key's verification method: `did:key:z…#z…`.
    public var keyID: String { did + "#" + did.dropFirst("did:key:".count) }

    public var description: String { did }

    static let ed25519Prefix: [UInt8] = [0xED, 0x01]
    static let rsaPrefix: [UInt8] = [0x85, 0x24]

    init(publicKeyOf key: EVPKey) throws {
        var bytes: [UInt8]
        switch key.algorithm {
        case .eddsa:
            var length = 32
            bytes = [UInt8](repeating: 0, count: 32)
            guard EVP_PKEY_get_raw_public_key(key.pointer, &bytes, &length) == 1, length == 32 else {
                throw RecordError(.crypto, "OpenSSL could not read the Ed25519 public key: \(EVPKey.lastError())")
            }
            bytes = DIDKey.ed25519Prefix + bytes
        case .rs256:
            let length = i2d_PublicKey(key.pointer, nil)
            guard length > 0 else {
                throw RecordError(.crypto, "OpenSSL could not encode the RSA public key: \(EVPKey.lastError())")
            }
            var der = [UInt8](repeating: 0, count: Int(length))
            let written = der.withUnsafeMutableBufferPointer { buf -> Int32 in
                var p: UnsafeMutablePointer<UInt8>? = buf.baseAddress
                return i2d_PublicKey(key.pointer, &p)
            }
            guard written == length else { throw RecordError(.crypto, "OpenSSL could not encode the RSA public key") }
            bytes = DIDKey.rsaPrefix + der
        case nil:
            throw RecordError(.key, "only Ed25519 and RSA keys have a did:key here")
        }
        did = "did:key:z" + Base58.encode(bytes)
    }

    /// Reads `text`, a `did:key:z…` identifier or a verification method `did:key:z…#z…` (the fragment must
    /// repeat the identifier), and returns the public key it encodes.
    public static func resolve(_ text: String) throws -> (did: DIDKey, key: PublicKey) {
        var didText = text
        if let hash = text.firstIndex(of: "#") {
            didText = String(text[..<hash])
            let fragment = text[text.index(after: hash)...]
            guard fragment == didText.dropFirst("did:key:".count) else {
                throw RecordError(.didKey, "the key id \(text) has a fragment that is not its own key; a did:key key id is did#fingerprint")
            }
        }
        guard didText.hasPrefix("did:key:z"), let bytes = Base58.decode(String(didText.dropFirst("did:key:z".count))),
            bytes.count > 2
        else {
            throw RecordError(.didKey, "'\(text)' is not a did:key in base58btc ('did:key:z…')")
        }
        let body = Array(bytes.dropFirst(2))
        var pkey: OpaquePointer?
        if Array(bytes.prefix(2)) == ed25519Prefix {
            guard body.count == 32 else {
                throw RecordError(.didKey, "the Ed25519 key in \(didText) is \(body.count) bytes, not 32")
            }
            pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, body, 32)
        } else if Array(bytes.prefix(2)) == rsaPrefix {
            pkey = body.withUnsafeBufferPointer { buf in
                var p: UnsafePointer<UInt8>? = buf.baseAddress
                return d2i_PublicKey(EVP_PKEY_RSA, nil, &p, buf.count)
            }
        } else {
            let codec = bytes.prefix(2).map { String(format: "%02x", $0) }.joined()
            throw RecordError(.didKey, "\(didText) holds a key of multicodec 0x\(codec); Assay verifies Ed25519 (0xed01) and RSA (0x1205) keys")
        }
        guard let pkey else {
            ERR_clear_error()
            throw RecordError(.didKey, "the public key in \(didText) does not decode")
        }
        let key = EVPKey(pkey)
        let did = try DIDKey(publicKeyOf: key)
        guard did.did == didText else { throw RecordError(.didKey, "\(didText) is not in canonical form") }
        return (did, PublicKey(key: key, algorithm: key.algorithm!))
    }
}

/// An issuer's public key, from a `did:key`: verifies JWS signatures.
public struct PublicKey: Sendable {
    let key: EVPKey
    /// The algorithm the key verifies.
    public let algorithm: SignatureAlgorithm

    /// Whether `signature` is valid for `message` under this key with `algorithm` (which must match the key).
    public func verify(_ signature: [UInt8], for message: [UInt8], algorithm claimed: SignatureAlgorithm) -> Bool {
        guard claimed == algorithm, let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx) }
        let md = algorithm == .eddsa ? nil : EVP_sha256()
        guard EVP_DigestVerifyInit(ctx, nil, md, nil, key.pointer) == 1 else {
            ERR_clear_error()
            return false
        }
        let ok = message.withUnsafeBytes { m in
            signature.withUnsafeBytes { s in EVP_DigestVerify(ctx, s.baseAddress, s.count, m.baseAddress, m.count) }
        }
        if ok != 1 { ERR_clear_error() }
        return ok == 1
    }
}
