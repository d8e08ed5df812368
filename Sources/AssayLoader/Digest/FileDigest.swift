public import AssayModel
import CLibCrypto
public import Foundation

/// SHA-256 of files and bytes through OpenSSL's libcrypto, streamed in 1 MiB blocks.
public enum FileDigest {
    /// The digest of the file at `path`, or nil when it cannot be opened or a read fails (never a crash:
    /// `/proc/self/mem` gives nil). It reads until the end, so a caller that may be handed a device or a FIFO
    /// checks that the path is a regular file first.
    public static func sha256(ofFile path: String) -> SHA256Digest? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let ctx = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestInit_ex(ctx, EVP_sha256(), nil) == 1 else { return nil }
        while true {
            let block: Data
            do {
                guard let read = try handle.read(upToCount: 1 << 20), !read.isEmpty else { break }
                block = read
            } catch {
                return nil
            }
            let ok = block.withUnsafeBytes { EVP_DigestUpdate(ctx, $0.baseAddress, $0.count) }
            guard ok == 1 else { return nil }
        }
        return finish(ctx)
    }

    /// The digest of `data`.
    public static func sha256(_ data: Data) -> SHA256Digest {
        guard let ctx = EVP_MD_CTX_new() else { fatalError("OpenSSL could not allocate a digest context") }
        defer { EVP_MD_CTX_free(ctx) }
        EVP_DigestInit_ex(ctx, EVP_sha256(), nil)
        data.withUnsafeBytes { _ = EVP_DigestUpdate(ctx, $0.baseAddress, $0.count) }
        return finish(ctx)!
    }

    private static func finish(_ ctx: OpaquePointer) -> SHA256Digest? {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(ctx, &out, &length) == 1 else { return nil }
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(Int(length) * 2)
        for b in out.prefix(Int(length)) {
            hex.append(hexDigits[Int(b >> 4)])
            hex.append(hexDigits[Int(b & 15)])
        }
        return SHA256Digest(hex: String(decoding: hex, as: UTF8.self))
    }
}
