import AssayModel
import Foundation
import Testing

@testable import AssayCLI

/// Text tables with Chinese and fullwidth candidate ids: columns line up in a terminal, where each of those
/// characters takes two columns.
@Suite("Text tables with Chinese candidate ids", .serialized)
struct WideTextTableTests {
    static let rubric = "rubrics/medical-imaging-technology.xml"
    static let marks = ValidateCommandTests.root.appendingPathComponent("examples/competition/nmit-2025-marks.csv").path
    /// The example mark sheet with E01, E02 and E03 renamed 王小明, 李娜 and Ｓ０３ (fullwidth S03).
    static let renamed: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-wide-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("marks.csv").path
        let text = try! String(contentsOfFile: marks, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in
                for (old, new) in [("E01,", "王小明,"), ("E02,", "李娜,"), ("E03,", "Ｓ０３,")] where line.hasPrefix(old) {
                    return new + line.dropFirst(old.count)
                }
                return String(line)
            }.joined(separator: "\n")
        try! Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }()

    /// The lines of `text`, the mark sheet's path (in reasons) written SHEET so that two sheets compare.
    static func lines(_ text: String) -> [String] {
        text.replacingOccurrences(of: renamed, with: "SHEET").replacingOccurrences(of: marks, with: "SHEET")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test("assay score: the Chinese ids take two columns a character, so every column starts where the header's does")
    func score() {
        let before = runAssay(["score", Self.rubric, Self.marks])
        let after = runAssay(["score", Self.rubric, Self.renamed])
        #expect(after.code == before.code && after.code == 1)  // as before: one candidate's outcome is incomplete
        let new = Self.lines(after.out)
        #expect(Array(new.prefix(5)) == [
            "candidate  target     score  max  result  status",
            "王小明     nmit-2025  85.11  100          complete",
            "李娜       nmit-2025  83.74  100          complete",
            "Ｓ０３     nmit-2025  73.38  100          complete",
            "E04        nmit-2025  83.34  100          complete [P3.3: judges J1 (1) and J2 (3) are 2 apart, more than 1: re-mark]",
        ])
        // Every other candidate's line is the same bytes as with the ASCII ids.
        #expect(Array(new.dropFirst(4)) == Array(Self.lines(before.out).dropFirst(4)))
    }

    @Test("assay results: the standings line up with Chinese ids, and the tie notes name them")
    func results() {
        let before = runAssay(["results", Self.rubric, "nmit-2025", Self.marks])
        let after = runAssay(["results", Self.rubric, "nmit-2025", Self.renamed])
        #expect(after.code == before.code && after.code == 1)
        let new = Self.lines(after.out)
        guard let start = new.firstIndex(of: "STANDINGS") else {
            Issue.record("no STANDINGS in \(after.out)")
            return
        }
        #expect(Array(new[(start + 1)...(start + 5)]) == [
            "rank  candidate  total  award   note",
            "   1  E13        87.86  first",
            "   2  王小明     85.11  first",
            "   3  E19        83.74  first   tied with 李娜 on the total; ahead on P2.4 (8 to 6.2222)",
            "   4  李娜       83.74  second  tied with E19 on the total; behind on P2.4 (6.2222 to 8)",
        ])
        #expect(new.contains("  13  Ｓ０３     73.38  third"))
        // With the ids put back, the whole sheet is the ASCII one byte for byte (but the sheet's path and digest).
        let back = after.out.replacingOccurrences(of: "王小明     ", with: "E01        ")
            .replacingOccurrences(of: "李娜       ", with: "E02        ").replacingOccurrences(of: "李娜", with: "E02")
            .replacingOccurrences(of: "Ｓ０３     ", with: "E03        ")
        #expect(Array(Self.lines(back).dropFirst(3)) == Array(Self.lines(before.out).dropFirst(3)))
    }

    @Test("assay score past its alignment window: a streamed Chinese id is padded in display columns to the first rows' widths")
    func window() {
        let output = Output.captured()
        var writer = TextOutcomeWriter(output: output, alignWindow: 2)
        writer.write(TextTableTests.outcome("王小明", "5"))
        writer.write(TextTableTests.outcome("S2", "50"))
        writer.write(TextTableTests.outcome("李娜", "7.5"))  // past the window: printed as it comes
        writer.write(TextTableTests.outcome("欧阳娜娜娜娜", "8"))  // wider than the column: pushes its own line only
        writer.end(diagnostics: [])
        #expect(output.standardOutput == """
            candidate  target  score  max  result  status
            王小明     C           5  100  pass    complete
            S2         C          50  100  pass    complete
            李娜       C         7.5  100  pass    complete
            欧阳娜娜娜娜  C           8  100  pass    complete
            4 outcomes, 0 incomplete

            """)
    }
}
