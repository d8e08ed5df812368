public import AssayModel
import Foundation

/// Reads evidence files — XML (`urn:assay:evidence:1`) or CSV mark sheets — into candidates.
///
/// With a single file each candidate is handed on as soon as it is complete (an XML `<candidate>` element
/// closing; a CSV candidate's last row, see ``CSVEvidenceReader``), so memory stays bounded however large the
/// file. With several files a candidate's items may be spread across them, so they are gathered first and
/// handed on in order of first appearance.
///
/// A *fatal* problem — a file that cannot be read as evidence at all (see ``isFatal(_:)``) — is always known
/// before any candidate is handed on, and then none is: a result sheet never leaves out a file's candidates
/// without saying so first.
public struct EvidenceReader: Sendable {
    /// The program the evidence must be for (`<evidence program="…">`), if checked.
    public let program: String?
    /// The character set of CSV mark sheets.
    public let encoding: MarkSheetEncoding

    public init(program: String?, encoding: MarkSheetEncoding = .automatic) {
        self.program = program
        self.encoding = encoding
    }

    /// The codes of diagnostics that mean a whole file could not be read as evidence.
    static let fatalCodes: Set<String> = [
        "file-unreadable", "csv-encoding", "csv-empty", "csv-header", "csv-header-duplicate", "csv-unsorted",
        "evidence-workbook", "evidence-is-rubric", "evidence-csv-name", "xml-empty", "wrong-root", "wrong-program",
        "xml-doctype-refused",
    ]

    /// Whether `diagnostic` says a whole file could not be read as evidence (not one row or item of it): a
    /// command then writes no results at all.
    public static func isFatal(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.severity == .error && fatalCodes.contains(diagnostic.code)
    }

    /// Reads `paths` (`.csv` by extension, otherwise XML), calling `emit` per candidate. Returns file-level
    /// diagnostics (a malformed file, a wrong root); item-level problems travel with their candidate. When a
    /// returned diagnostic is fatal (``isFatal(_:)``), `emit` was never called.
    public func read(_ paths: [String], emit: (CandidateEvidence) -> Void) -> [Diagnostic] {
        // What each file is, before anything is read: a workbook, a misnamed mark sheet, a rubric.
        let kinds = paths.compactMap { EvidenceFileKind.problem($0, readAsCSV: Self.isCSV($0)) }
        if !kinds.isEmpty { return kinds }
        if paths.count == 1 {
            if Self.isCSV(paths[0]) { return CSVEvidenceReader(path: paths[0], encoding: encoding).read(emit) }
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
                diagnostics += CSVEvidenceReader(path: path, encoding: encoding).read(gather)
            } else {
                diagnostics += XMLEvidenceReader(path: path, expectedProgram: program).read(gather)
            }
        }
        if diagnostics.contains(where: Self.isFatal) { return diagnostics }
        for id in order { if let c = byID[id] { emit(c) } }
        return diagnostics
    }

    static func isCSV(_ path: String) -> Bool { path.lowercased().hasSuffix(".csv") }
}
