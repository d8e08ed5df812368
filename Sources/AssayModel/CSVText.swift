import Foundation

/// RFC 4180 output, shared by every CSV Assay writes (outcomes, decisions, result sheets, matrix, diff).
public enum CSVText {
    /// The field as it goes into a CSV line: as it is, or in double quotes (inner quotes doubled) when it holds
    /// a comma, a quote or a line break. Bytes are looked at, not Characters: "\r\n" is one Character in
    /// Swift, and a Character test for "\n" misses it.
    public static func field(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
