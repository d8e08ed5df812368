import AssayLoader
import AssayModel
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Makes score requests from a node and a candidate's evidence for it. Artifact files are checked before any
/// request goes out; a plugin never sees a request with a file that fails a check, and the outcome is
/// incomplete with the reason:
/// - the path must be relative, and resolve (symlinks too) to a place inside the folder of the evidence file
///   that names it: evidence cannot make Assay read `/etc/passwd` or `../../secret`;
/// - the file must exist and be a regular file (not a directory, device, FIFO or socket, which could hang or
///   flood the hashing);
/// - the evidence must record its SHA-256, and the file must still have it.
enum PluginRequestBuilder {
    /// The request for `node` (scored by the plugin scorer `scorer`), or what is wrong with an artifact.
    /// `requireDigest` is false for a plugin's own self-tests, whose files carry no recorded digest.
    static func request(
        scorer: String, node: ScoringNode, max: Exact, min: Exact?, candidate: String, items: [EvidenceItem],
        artifacts: [Artifact], requireDigest: Bool = true
    ) -> Result<PluginRequest, ArtifactProblem> {
        var files: [PluginRequest.File] = []
        files.reserveCapacity(artifacts.count)
        for a in artifacts {
            switch check(a, requireDigest: requireDigest) {
            case .success(let file): files.append(file)
            case .failure(let problem): return .failure(problem)
            }
        }
        return .success(
            PluginRequest(
                scorer: scorer, node: node.id, candidate: candidate, max: max, min: min,
                parameters: node.parameters.map { ($0.name, $0.value) },
                items: items.map { PluginRequest.Item(kind: $0.kind.rawValue, judge: $0.judge, value: $0.value) },
                artifacts: files))
    }

    /// Resolves one artifact inside its evidence file's folder, checks that it is a regular file and checks
    /// its digest. The file sent is the resolved path (no symlink left to follow).
    static func check(_ a: Artifact, requireDigest: Bool = true) -> Result<PluginRequest.File, ArtifactProblem> {
        let named = "the artifact '\(a.path)' (\(a.origin))"
        guard !a.path.hasPrefix("/") else {
            return .failure(
                ArtifactProblem(
                    "\(named) is an absolute path; an artifact's path is relative to the folder of the evidence file that names it"))
        }
        let given = (a.origin.file as NSString).deletingLastPathComponent
        let folder = URL(fileURLWithPath: given.isEmpty ? "." : given).standardizedFileURL.path
        let written = URL(fileURLWithPath: (folder as NSString).appendingPathComponent(a.path)).standardizedFileURL.path
        guard let root = realPath(folder), let resolved = realPath(written) else {
            return .failure(ArtifactProblem("\(named) cannot be read at \(written); put the file there or correct the path"))
        }
        guard resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/") else {
            return .failure(
                ArtifactProblem(
                    "\(named) leads to \(resolved), outside \(root), the folder of the evidence file that names it; an artifact must be in that folder or below it"
                ))
        }
        var info = stat()
        guard lstat(resolved, &info) == 0 else {
            return .failure(ArtifactProblem("\(named) cannot be read at \(written); put the file there or correct the path"))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            return .failure(ArtifactProblem("\(named) is \(kind(info.st_mode)), not a regular file; an artifact must be a file"))
        }
        guard let digest = FileDigest.sha256(ofFile: resolved) else {
            return .failure(ArtifactProblem("\(named) cannot be read at \(written); put the file there or correct the path"))
        }
        guard let expected = a.sha256 else {
            if !requireDigest { return .success(PluginRequest.File(path: resolved, written: a.path, sha256: digest.hex)) }
            return .failure(
                ArtifactProblem(
                    "\(named) has no sha256 in the evidence, so a changed file would go unnoticed; if this is the submitted file, record sha256=\"\(digest.hex)\""
                ))
        }
        if expected.lowercased() != digest.hex {
            return .failure(
                ArtifactProblem(
                    "\(named) has SHA-256 \(digest.hex), not the \(expected.lowercased()) the evidence records; the file changed after it was submitted: restore it or record its new digest"))
        }
        return .success(PluginRequest.File(path: resolved, written: a.path, sha256: digest.hex))
    }

    /// `path` with every symlink resolved, or nil when it does not exist.
    private static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// What a file that is not a regular file is, in words.
    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }
}

/// Why an artifact cannot be sent to a plugin.
struct ArtifactProblem: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}
