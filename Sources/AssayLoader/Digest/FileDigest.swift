public import AssayModel
import Foundation

/// SHA-256 of files, streamed in 1 MiB blocks (the digest itself is ``SHA256`` / ``DigestContext`` in
/// AssayModel).
public enum FileDigest {
    /// The digest of the file at `path`, or nil when it cannot be opened or a read fails (never a crash:
    /// `/proc/self/mem` gives nil). It reads until the end, so a caller that may be handed a device or a FIFO
    /// checks that the path is a regular file first.
    public static func sha256(ofFile path: String) -> SHA256Digest? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let context = DigestContext(.sha256)
        while true {
            let block: Data
            do {
                guard let read = try handle.read(upToCount: 1 << 20), !read.isEmpty else { break }
                block = read
            } catch {
                return nil
            }
            guard block.withUnsafeBytes({ context.update($0) }) else { return nil }
        }
        return context.finish().map { SHA256Digest(hex: Hex.string($0)) }
    }
}
