import Foundation

/// Where a command's report goes: the file given with `--out FILE` — written whole or not at all, and an
/// existing FILE replaced only with `--force` (``AtomicFile``) — or standard output.
struct ReportOutput {
    /// The file to write, or nil for standard output.
    let path: String?
    /// `--force`: an existing file may be replaced.
    let force: Bool

    /// The destination the command line asks for. Throws ``UsageError`` for `--force` without `--out`.
    /// Returns nil, with the reason on standard error, when FILE is refused before any work is done (it
    /// exists and there is no `--force`, it is a link or a folder, its folder does not exist): exit 1.
    init?(_ args: Arguments, output: Output) throws {
        path = args.value("--out")
        force = args.has("--force")
        if force, path == nil { throw UsageError("--force needs --out FILE") }
        if let path {
            do { try AtomicFile.check(path, replace: force) } catch {
                output.err("assay: \(error.message)\n")
                return nil
            }
        }
    }

    /// Writes `text` to the file, or to standard output. Returns the exit code: 0, or 1 when the file cannot
    /// be written (the reason on standard error; the file is then as it was).
    func write(_ text: String, output: Output) -> Int32 {
        guard let path else {
            output.out(text)
            return AssayCommand.ExitCode.ok
        }
        do {
            try AtomicFile.write(Array(text.utf8), to: path, replace: force)
            return AssayCommand.ExitCode.ok
        } catch {
            output.err("assay: \(error.message)\n")
            return AssayCommand.ExitCode.checkFailed
        }
    }
}
