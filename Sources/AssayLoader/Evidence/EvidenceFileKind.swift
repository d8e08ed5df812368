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
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return Diagnostic(
                .error, "evidence-workbook", "'\(name)' is an Excel workbook (.xlsx, a ZIP file), not a mark sheet Assay can read",
                hint: saveAsCSV, at: here)
        }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Diagnostic(
                .error, "evidence-workbook", "'\(name)' is an Excel 97–2003 workbook (.xls), not a mark sheet Assay can read",
                hint: saveAsCSV, at: here)
        }
        var text = head[...]
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        if readAsCSV {
            if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
                return Diagnostic(
                    .error, "csv-encoding", "'\(name)' is UTF-16 text (what Excel saves as \"Unicode Text\", separated by tabs), not a CSV mark sheet",
                    hint: saveAsCSV, at: here)
            }
            return nil
        }
        let start = text.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if start.first == UInt8(ascii: "<") {
            let ascii = String(decoding: start, as: UTF8.self)
            if ascii.contains("urn:assay:rubric:1") {
                return Diagnostic(
                    .error, "evidence-is-rubric", "'\(name)' is a rubric, not evidence — are the arguments in the right order?",
                    hint: "give the rubric first and the evidence after it (see the command's --help)", at: here)
            }
            return nil
        }
        let firstLine = String(decoding: start.prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self).lowercased()
        if firstLine.contains(","), firstLine.contains("candidate") {
            let named = ext.isEmpty ? "without .csv at the end of its name" : "named .\(ext)"
            return Diagnostic(
                .error, "evidence-csv-name", "'\(name)' is a CSV mark sheet \(named); Assay reads only files named .csv as mark sheets",
                hint: "rename it to '\(((name as NSString).deletingPathExtension as String) + ".csv")' and give that name", at: here)
        }
        return nil
    }
}
