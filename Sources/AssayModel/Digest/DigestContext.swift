import CLibCrypto

/// A message digest computed piece by piece through OpenSSL's libcrypto (EVP), for input that arrives in
/// blocks (a file read 1 MiB at a time). The one place Assay calls OpenSSL's digest functions; ``SHA256`` and
/// ``SHA1`` are the one-shot forms. Not copyable: it owns an `EVP_MD_CTX`, freed when it goes away.
public struct DigestContext: ~Copyable {
    /// The hash functions Assay uses.
    public enum Algorithm: Sendable {
        /// SHA-256 (FIPS 180-4): evidence, files, credentials, the ledger's chain; 32 bytes.
        case sha256
        /// SHA-1 (FIPS 180-4): only to derive version-5 UUIDs (RFC 9562 §5.5), not for security; 20 bytes.
        case sha1
    }

    private let context: OpaquePointer

    /// A fresh context for `algorithm`. OpenSSL failing to allocate or initialise one is a crash, not an
    /// error: nothing can be digested without memory.
    public init(_ algorithm: Algorithm) {
        guard let ctx = EVP_MD_CTX_new() else { fatalError("OpenSSL could not allocate a digest context") }
        let md = switch algorithm {
        case .sha256: EVP_sha256()
        case .sha1: EVP_sha1()
        }
        guard EVP_DigestInit_ex(ctx, md, nil) == 1 else {
            EVP_MD_CTX_free(ctx)
            fatalError("OpenSSL could not initialise a digest context")
        }
        context = ctx
    }

    /// Adds `bytes` to the input; false if OpenSSL refused them (the digest is then worthless).
    @discardableResult
    public func update(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !bytes.isEmpty else { return true }
        return EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1
    }

    /// Adds `bytes` to the input; false if OpenSSL refused them.
    @discardableResult
    public func update<Bytes: Sequence>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        if let done = bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) { return done }
        return Array(bytes).withUnsafeBytes { update($0) }
    }

    /// The digest of everything added, or nil if OpenSSL failed to finish it.
    public consuming func finish() -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &out, &length) == 1 else { return nil }
        return Array(out.prefix(Int(length)))
    }

    deinit { EVP_MD_CTX_free(context) }

    /// The digest of `bytes` in one go (what ``SHA256`` and ``SHA1`` use); a failure of OpenSSL here is a crash.
    static func digest<Bytes: Sequence>(_ algorithm: Algorithm, of bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        let context = DigestContext(algorithm)
        let updated = context.update(bytes)
        guard updated, let out = context.finish() else { preconditionFailure("OpenSSL could not compute \(algorithm)") }
        return out
    }
}

/// SHA-256 (FIPS 180-4) through OpenSSL's libcrypto, for evidence items, files, credentials and ledger rows.
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    public static func digest<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        DigestContext.digest(.sha256, of: bytes)
    }

    /// The digest of `text`'s UTF-8 bytes.
    public static func digest(_ text: String) -> [UInt8] { digest(text.utf8) }

    /// The digest of `text`'s UTF-8 bytes as 64 lowercase hex digits.
    public static func hex(_ text: String) -> String { Hex.string(digest(text)) }

    /// The digest of `bytes` as 64 lowercase hex digits.
    public static func hex(of bytes: [UInt8]) -> String { Hex.string(digest(bytes)) }
}

/// SHA-1 through OpenSSL's libcrypto: only to derive name-based UUIDs (RFC 9562 §5.5), never for security.
public enum SHA1 {
    /// The 20-byte digest of `bytes`.
    public static func digest<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        DigestContext.digest(.sha1, of: bytes)
    }
}
