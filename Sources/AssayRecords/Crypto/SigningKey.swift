import CLibCrypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An issuer's private key: Ed25519 (`EdDSA`, the default) or RSA-2048 (`RS256`), kept in a PEM file as
/// unencrypted PKCS#8 (`-----BEGIN PRIVATE KEY-----`, RFC 5208 / RFC 7468) that only its owner may read.
///
/// The issuer is identified by the key's ``did`` (`did:key`), so a record names the very key that can verify it.
public struct SigningKey: Sendable {
    let key: EVPKey
    /// The JWS algorithm this key signs with.
    public let algorithm: SignatureAlgorithm
    /// The issuer identifier derived from the public key.
    public let did: DIDKey

    init(key: EVPKey) throws {
        guard let algorithm = key.algorithm else {
            throw RecordError(.key, "the key is neither Ed25519 nor RSA; make one with 'assay keygen'")
        }
        self.key = key
        self.algorithm = algorithm
        self.did = try DIDKey(publicKeyOf: key)
    }

    /// A new random key (OpenSSL's CSPRNG): Ed25519 for `EdDSA`, 2048-bit RSA for `RS256`.
    public static func generate(_ algorithm: SignatureAlgorithm = .eddsa) throws -> SigningKey {
        let id = algorithm == .eddsa ? EVP_PKEY_ED25519 : EVP_PKEY_RSA
        guard let ctx = EVP_PKEY_CTX_new_id(id, nil) else {
            throw RecordError(.crypto, "OpenSSL could not start key generation: \(EVPKey.lastError())")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1 else {
            throw RecordError(.crypto, "OpenSSL could not start key generation: \(EVPKey.lastError())")
        }
        if algorithm == .rs256, EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048) != 1 {
            throw RecordError(.crypto, "OpenSSL refused a 2048-bit RSA key: \(EVPKey.lastError())")
        }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen(ctx, &pkey) == 1, let pkey else {
            throw RecordError(.crypto, "OpenSSL could not generate the key: \(EVPKey.lastError())")
        }
        return try SigningKey(key: EVPKey(pkey))
    }

    /// Reads a PKCS#8 PEM private key (as `assay keygen` writes it).
    public init(pem: String) throws {
        let bytes = Array(pem.utf8)
        let pkey: OpaquePointer? = bytes.withUnsafeBytes { buf in
            guard let bio = BIO_new_mem_buf(buf.baseAddress, Int32(buf.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let pkey else {
            ERR_clear_error()
            throw RecordError(.key, "the key is not a PEM private key (PKCS#8); make one with 'assay keygen --out FILE'")
        }
        try self.init(key: EVPKey(pkey))
    }

    /// Reads the private key file at `path`.
    public static func load(path: String) throws -> SigningKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RecordError(.key, "cannot read the key file \(path); check the path, or make a key with 'assay keygen --out \(path)'")
        }
        do {
            return try SigningKey(pem: String(decoding: data, as: UTF8.self))
        } catch let e as RecordError {
            throw RecordError(e.code, "\(path): \(e.message)")
        }
    }

    /// The private key as unencrypted PKCS#8 PEM.
    public func pem() throws -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw RecordError(.crypto, "OpenSSL could not allocate memory") }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PrivateKey(bio, key.pointer, nil, nil, 0, nil, nil) == 1 else {
            throw RecordError(.crypto, "OpenSSL could not write the key: \(EVPKey.lastError())")
        }
        var out = [UInt8](repeating: 0, count: Int(BIO_ctrl_pending(bio)))
        let n = BIO_read(bio, &out, Int32(out.count))
        return String(decoding: out.prefix(Int(max(n, 0))), as: UTF8.self)
    }

    /// Writes the key to a new file at `path`, readable and writable by its owner only (mode 0600).
    /// Refuses to replace an existing file: a registrar's key is not overwritten by a typo.
    ///
    /// Atomic: the key is written to a temporary file (0600) beside `path`, flushed to disk (`fsync`), then
    /// hard-linked to `path` (`link` fails if `path` exists) and the temporary name removed — a crash leaves
    /// either no key file or the whole key, never a partial one.
    public func write(to path: String) throws {
        let text = try pem()
        if FileManager.default.fileExists(atPath: path) || (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil {
            throw RecordError(.key, "\(path) already exists; Assay never overwrites a key — choose another path or remove the old key first")
        }
        let directory = (path as NSString).deletingLastPathComponent
        var template = Array(((directory.isEmpty ? "." : directory) + "/.assay-key-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw RecordError(.key, "cannot create \(path): \(String(cString: strerror(errno)))") }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(temporary) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let savedErrno = errno
        guard fchmod(fd, 0o600) == 0, written == bytes.count, fsync(fd) == 0 else {
            close(fd)
            throw RecordError(.key, "could not write the whole key to \(path): \(String(cString: strerror(written == bytes.count ? errno : savedErrno)))")
        }
        close(fd)
        guard link(temporary, path) == 0 else {
            if errno == EEXIST {
                throw RecordError(.key, "\(path) already exists; Assay never overwrites a key — choose another path or remove the old key first")
            }
            throw RecordError(.key, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let dirFD = open(directory.isEmpty ? "." : directory, O_RDONLY)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            close(dirFD)
        }
    }

    /// Signs `message` (for JWS: the ASCII bytes of `header.payload`): Ed25519 one-shot for `EdDSA`,
    /// RSASSA-PKCS1-v1_5 over SHA-256 for `RS256`.
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        guard let ctx = EVP_MD_CTX_new() else { throw RecordError(.crypto, "OpenSSL could not allocate memory") }
        defer { EVP_MD_CTX_free(ctx) }
        let md = algorithm == .eddsa ? nil : EVP_sha256()
        guard EVP_DigestSignInit(ctx, nil, md, nil, key.pointer) == 1 else {
            throw RecordError(.crypto, "OpenSSL could not start signing: \(EVPKey.lastError())")
        }
        var length = 0
        let ok1 = message.withUnsafeBytes { EVP_DigestSign(ctx, nil, &length, $0.baseAddress, $0.count) }
        guard ok1 == 1 else { throw RecordError(.crypto, "OpenSSL could not sign: \(EVPKey.lastError())") }
        var signature = [UInt8](repeating: 0, count: length)
        let ok2 = message.withUnsafeBytes { EVP_DigestSign(ctx, &signature, &length, $0.baseAddress, $0.count) }
        guard ok2 == 1 else { throw RecordError(.crypto, "OpenSSL could not sign: \(EVPKey.lastError())") }
        return Array(signature.prefix(length))
    }
}
