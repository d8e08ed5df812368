import AssayModel
import Foundation

/// Name-based UUIDs, version 5 (RFC 9562 §5.5, formerly RFC 4122 §4.3): the SHA-1 of a namespace UUID's 16
/// bytes followed by the name's UTF-8 bytes, truncated to 16 bytes, with the version (5) and variant (RFC)
/// bits set. The same namespace and name always give the same UUID, which is what keeps re-exports of a
/// program identical. SHA-1 comes from OpenSSL's libcrypto (``SHA1`` in AssayModel) (as the RFC says, it is used here to derive
/// identifiers, not for security).
public struct NameBasedUUID: Sendable, Hashable, CustomStringConvertible {
    /// The 16 bytes, network order.
    public let bytes: [UInt8]

    /// RFC 9562's namespace for URLs, `6ba7b811-9dad-11d1-80b4-00c04fd430c8`.
    public static let urlNamespace = NameBasedUUID(
        uncheckedBytes: [0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8])

    private init(uncheckedBytes: [UInt8]) { bytes = uncheckedBytes }

    /// The version-5 UUID of `name` in `namespace`.
    public init(namespace: NameBasedUUID, name: String) {
        var b = Array(SHA1.digest(namespace.bytes + Array(name.utf8)).prefix(16))
        b[6] = (b[6] & 0x0F) | 0x50
        b[8] = (b[8] & 0x3F) | 0x80
        bytes = b
    }

    /// Lowercase 8-4-4-4-12 hexadecimal form.
    public var description: String {
        let c = Array(Hex.string(bytes))
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-"
            + String(c[20..<32])
    }
}
