// A generated workload file, written a megabyte at a time.
import Foundation

/// A workload file being generated: text is appended and written out a megabyte at a time, so this process
/// never holds the file (its memory would otherwise show in a child's peak RSS: see `measure`).
final class GeneratedFile {
    private let handle: FileHandle
    private var buffer = ""
    /// Bytes written so far.
    private(set) var bytes = 0

    /// Creates (or empties) the file at `path`.
    init(path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    func append(_ text: String) {
        buffer += text
        if buffer.utf8.count > 1 << 20 { flush() }
    }

    /// Writes what is left, closes the file and returns its size in bytes.
    func close() throws -> Int {
        flush()
        try handle.close()
        return bytes
    }

    private func flush() {
        bytes += buffer.utf8.count
        handle.write(Data(buffer.utf8))
        buffer = ""
    }
}
