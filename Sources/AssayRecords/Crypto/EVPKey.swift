import CLibCrypto

/// Owns an OpenSSL `EVP_PKEY` and frees it. OpenSSL keys are safe to use from several threads for signing
/// and verifying once built (they are never mutated after creation here).
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }

    /// `EdDSA` for an Ed25519 key, `RS256` for an RSA key, nil for anything else.
    var algorithm: SignatureAlgorithm? {
        switch EVP_PKEY_get_base_id(pointer) {
        case EVP_PKEY_ED25519: return .eddsa
        case EVP_PKEY_RSA: return .rs256
        default: return nil
        }
    }

    /// The last OpenSSL error as text (and clears the queue), for messages.
    static func lastError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "no detail from OpenSSL" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
