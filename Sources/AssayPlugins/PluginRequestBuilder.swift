import AssayLoader
import AssayModel
import Foundation

/// Makes score requests from a node and a candidate's evidence for it. Artifact files are resolved against
/// the folder of the evidence file that names them and their SHA-256 is checked before any request goes
/// out: a missing or changed file makes the outcome incomplete with the reason, and the plugin never sees it.
enum PluginRequestBuilder {
    /// The request for `node` (scored by the plugin scorer `scorer`), or what is wrong with an artifact.
    static func request(
        scorer: String, node: ScoringNode, max: Exact, min: Exact?, candidate: String, items: [EvidenceItem],
        artifacts: [Artifact]
    ) -> Result<PluginRequest, ArtifactProblem> {
        var files: [PluginRequest.File] = []
        files.reserveCapacity(artifacts.count)
        for a in artifacts {
            switch check(a) {
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

    /// Resolves one artifact and checks its digest.
    static func check(_ a: Artifact) -> Result<PluginRequest.File, ArtifactProblem> {
        let path: String
        if a.path.hasPrefix("/") {
            path = a.path
        } else {
            let folder = (a.origin.file as NSString).deletingLastPathComponent
            path = folder.isEmpty ? a.path : (folder as NSString).appendingPathComponent(a.path)
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), !isDirectory.boolValue,
            let digest = FileDigest.sha256(ofFile: absolute)
        else {
            return .failure(
                ArtifactProblem(
                    "the artifact '\(a.path)' (\(a.origin)) cannot be read at \(absolute); put the file there or correct the path"))
        }
        if let expected = a.sha256, expected.lowercased() != digest.hex {
            return .failure(
                ArtifactProblem(
                    "the artifact '\(a.path)' (\(a.origin)) has SHA-256 \(digest.hex), not the \(expected.lowercased()) the evidence records; the file changed after it was submitted: restore it or record its new digest"))
        }
        return .success(PluginRequest.File(path: absolute, written: a.path, sha256: digest.hex))
    }
}

/// Why an artifact cannot be sent to a plugin.
struct ArtifactProblem: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}
