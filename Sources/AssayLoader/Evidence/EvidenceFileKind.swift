import AssayModel
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What an evidence file given on the command line really is, from its first 4 KB, when that is something
/// Assay cannot read as evidence: a spreadsheet workbook, a mark sheet whose name does not end in `.csv`, or
/// a rubric given where evidence belongs. Without this, each would reach the XML reader and be called "empty".
enum EvidenceFileKind {
    /// A diagnostic saying what the file is and what to do, or nil when it may be read as its name says.
    static func problem(_ path: String, readAsCSV: Bool) -> Diagnostic? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }  // the reader says why it cannot be read
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 4096)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, 4096, 0) }
        guard n > 0 else { return nil }
        head.removeLast(4096 - n)
        let here = SourceLocation(file: path, line: 0)
        let name = (path as NSString).lastPathComponent
        let ext = (name as NSString).pathExtension
        let saveAsCSV = "open it in Excel and save it with File ▸ Save As ▸ \"CSV UTF-8 (Comma delimited) (*.csv)\"; give Assay that .csv file"
        switch FileKind(head: head) {
        case .workbook(let xlsx):
            return Diagnostic(
                .error, "evidence-workbook",
                "'\(name)' is \(xlsx ? "an Excel workbook (.xlsx, a ZIP file)" : "an Excel 97–2003 workbook (.xls)"), not a mark sheet Assay can read",
                hint: saveAsCSV, at: here)
        case .utf16 where readAsCSV:
            return Diagnostic(
                .error, "csv-encoding", "'\(name)' is UTF-16 text (what Excel saves as \"Unicode Text\", separated by tabs), not a CSV mark sheet",
                hint: saveAsCSV, at: here)
        case .rubric where !readAsCSV:
            return Diagnostic(
                .error, "evidence-is-rubric", "'\(name)' is a rubric, not evidence — are the arguments in the right order?",
                hint: "give the rubric first and the evidence after it (see the command's --help)", at: here)
        case .markSheet where !readAsCSV:
            let named = ext.isEmpty ? "without .csv at the end of its name" : "named .\(ext)"
            return Diagnostic(
                .error, "evidence-csv-name", "'\(name)' is a CSV mark sheet \(named); Assay reads only files named .csv as mark sheets",
                hint: "rename it to '\(((name as NSString).deletingPathExtension as String) + ".csv")' and give that name", at: here)
        default:
            return nil
        }
    }
}
