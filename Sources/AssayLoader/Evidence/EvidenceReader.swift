import AssayModel
import Foundation

/// Reads evidence files — XML (`urn:assay:evidence:1`) or CSV mark sheets — into candidates.
///
/// With a single XML file each candidate is handed on as soon as its element closes, so memory stays bounded
/// however large the file. With several files (or CSV, whose rows for one candidate may be anywhere), a
/// candidate's items may be spread across them, so they are gathered first and handed on in order of first
/// appearance.
public struct EvidenceReader: Sendable {
    /// The program the evidence must be for (`<evidence program="…">`), if checked.
    public let program: String?

    public init(program: String?) {
        self.program = program
    }

    /// Reads `paths` (`.csv` by extension, otherwise XML), calling `emit` per candidate. Returns file-level
    /// diagnostics (a malformed file, a wrong root); item-level problems travel with their candidate.
    public func read(_ paths: [String], emit: (CandidateEvidence) -> Void) -> [Diagnostic] {
        if paths.count == 1, !Self.isCSV(paths[0]) {
            return XMLEvidenceReader(path: paths[0], expectedProgram: program).read(emit)
        }
        var order: [String] = []
        var byID: [String: CandidateEvidence] = [:]
        var diagnostics: [Diagnostic] = []
        func gather(_ c: CandidateEvidence) {
            if byID[c.id] == nil {
                order.append(c.id)
                byID[c.id] = c
            } else {
                byID[c.id]!.merge(c)
            }
        }
        for path in paths {
            if Self.isCSV(path) {
                let (candidates, d) = CSVEvidenceReader(path: path).read()
                diagnostics += d
                candidates.forEach(gather)
            } else {
                diagnostics += XMLEvidenceReader(path: path, expectedProgram: program).read(gather)
            }
        }
        for id in order { if let c = byID[id] { emit(c) } }
        return diagnostics
    }

    static func isCSV(_ path: String) -> Bool { path.lowercased().hasSuffix(".csv") }
}
