import AssayCLI
import Foundation
import Testing

/// Quotes that run over line breaks and ids that hold control characters, through `assay score` and
/// `assay results`: a quoted cell that closes on a later line is one row (refused if it is an id), a quote that
/// never closes costs its own row and the lines after it that cannot be rows are reported by line, never read
/// as candidates; no output ever prints an id with a control character. The other candidates' results are
/// those of the clean sheet.
@Suite("CSV quotes over line breaks and control characters, through score and results", .serialized)
struct CSVQuotedLineBreakTests {
    typealias Sheet = CSVMarkSheetCommandTests

    /// The candidates of the clean sheet: no other may appear.
    static let candidates = Set(Sheet.baseline.lines.keys)

    /// Every character of `text` that is a control character, line ends aside.
    static func controls(_ text: String) -> [String] {
        text.unicodeScalars.filter { $0 != "\n" && $0.properties.generalCategory == .control }.map {
            "U+" + String($0.value, radix: 16, uppercase: true)
        }
    }

    /// The sheet's lines with E03's mark by judge J1 on P1.1 replaced by `replacement` (one or more lines).
    static func withE03J1(_ replacement: [String]) throws -> (lines: [String], row: Int) {
        var lines = try Sheet.lines()
        let row = try #require(lines.firstIndex { $0.hasPrefix("E03,nmit-2025,P1.1,J1,") })
        lines.replaceSubrange(row...row, with: replacement)
        return (lines, row + 1)
    }

    @Test("a judge id whose quote closes on the next line is one row, refused at its quote; no made-up candidate; --explain unaffected")
    func judgeOverTwoLines() throws {
        let dir = try Sheet.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (lines, row) = try Self.withE03J1(["E03,nmit-2025,P1.1,\"J1", "J9\",2"])
        let path = try Sheet.write(lines, "judge-two-lines.csv", in: dir)
        let r = Sheet.scoreLines(path)
        #expect(r.code == 1)
        let message = "the judge id in column D (judge) of row \(row) runs over 2 lines (\(row) to \(row + 1)); the row is not read"
        #expect(
            r.err == """
                \(path):\(row):20: error: \(message) [csv-line-break]

                """)
        #expect(Set(r.lines.keys) == Self.candidates)
        #expect(
            r.lines["E03"]
                == "E03,nmit-2025,,100,incomplete,\"\(message) (SHEET row \(row)); P1.1: 2 of 3 judges marked (J2 2 at SHEET row \(row + 2), J3 2 at SHEET row \(row + 3))\"\n"
        )
        Sheet.othersUnchanged(r.lines, except: ["E03"])
        // The row after the two lines is read as usual.
        #expect(lines[row + 1].hasPrefix("E03,nmit-2025,P1.1,J2,"))

        let explained = runAssay(["score", Sheet.rubric, path, "--explain", "E03"])
        #expect(explained.code == 1)
        #expect(explained.out.contains("E03 — nmit-2025"))
        #expect(!explained.out.contains("J9"))
        #expect(Self.controls(explained.out) == [])
        let clean = runAssay(["score", Sheet.rubric, Sheet.marks, "--explain", "E04"])
        let other = runAssay(["score", Sheet.rubric, path, "--explain", "E04"])
        #expect(Sheet.rowless(other.out) == Sheet.rowless(clean.out.replacingOccurrences(of: Sheet.marks, with: path)))
        let table = runAssay(["score", Sheet.rubric, path])
        #expect(table.code == 1)
        #expect(!table.out.contains("J9"))
        let results = runAssay(["results", Sheet.rubric, "nmit-2025", path, "--format", "csv"])
        #expect(results.code == 1)
        #expect(!results.out.contains("J9"))
        #expect(results.out.split(separator: "\n").count == 33)
    }

    @Test("a quote that never closes costs its row; the next line, which cannot be a row, is reported by its line, never a candidate")
    func unclosedQuoteThenFragment() throws {
        let dir = try Sheet.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (lines, row) = try Self.withE03J1(["E03,nmit-2025,P1.1,\"J1", "J9,2"])
        let path = try Sheet.write(lines, "unclosed.csv", in: dir)
        let r = Sheet.scoreLines(path)
        #expect(r.code == 1)
        let message = "the quote that opens column D (judge) on line \(row) is not closed within 4,096 bytes; the row is not read"
        #expect(
            r.err == """
                \(path):\(row):20: error: \(message) [csv-quote]
                \(path):\(row + 1):1: error: line \(row + 1) follows the quote left open on line \(row) and is not a row of its own (it has 2 fields where the header has 5); it is not read [csv-quote-continued]

                """)
        #expect(Set(r.lines.keys) == Self.candidates)
        #expect(
            r.lines["E03"]
                == "E03,nmit-2025,,100,incomplete,\"\(message) (SHEET row \(row)); P1.1: 2 of 3 judges marked (J2 2 at SHEET row \(row + 2), J3 2 at SHEET row \(row + 3))\"\n"
        )
        Sheet.othersUnchanged(r.lines, except: ["E03"])
        let table = runAssay(["score", Sheet.rubric, path])
        #expect(!table.out.contains("J9"))
    }

    @Test("a quote left open on the last row, before the end of the file, is refused as such and the lines after it are reported")
    func unclosedAtEndOfFile() throws {
        let dir = try Sheet.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines = try Sheet.lines()
        let row = lines.count
        #expect(lines[row - 1].hasPrefix("E32,nmit-2025,P4.3,J3,"))
        lines[row - 1] = "E32,nmit-2025,P4.3,\"J3"
        lines += ["J9,2", "", "x"]
        let path = try Sheet.write(lines, "end.csv", in: dir)
        let r = Sheet.scoreLines(path)
        #expect(r.code == 1)
        #expect(
            r.err == """
                \(path):\(row):20: error: the quote that opens column D (judge) on line \(row) is not closed before the end of the file; the row is not read [csv-quote]
                \(path):\(row + 1):1: error: line \(row + 1) follows the quote left open on line \(row) and is not a row of its own (it has 2 fields where the header has 5); it is not read [csv-quote-continued]
                \(path):\(row + 3):1: error: line \(row + 3) follows the quote left open on line \(row) and is not a row of its own (it has 1 field where the header has 5); it is not read [csv-quote-continued]

                """)
        #expect(Set(r.lines.keys) == Self.candidates)
        #expect(r.lines["E32"]?.hasPrefix("E32,nmit-2025,,100,incomplete,\"the quote that opens column D (judge) on line \(row) is not closed before the end") == true)
        Sheet.othersUnchanged(r.lines, except: ["E32"])
    }

    @Test("ids with a control character (escape, bell) are refused at their cell; no output prints one")
    func controlCharacters() throws {
        let dir = try Sheet.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var (lines, row) = try Self.withE03J1(["E03,nmit-2025,P1.1,J1\u{1B}[31m,2"])
        let row2 = try #require(lines.firstIndex { $0.hasPrefix("E05,nmit-2025,P1.1,J2,") }) + 1
        lines[row2 - 1] = lines[row2 - 1].replacingOccurrences(of: "E05,", with: "E05\u{7},")
        let path = try Sheet.write(lines, "controls.csv", in: dir)
        let r = Sheet.scoreLines(path)
        #expect(r.code == 1)
        let message = "the judge id in column D (judge) of row \(row) holds the control character U+001B; the row is not read"
        #expect(
            r.err == """
                \(path):\(row):20: error: \(message) [csv-control-character]
                \(path):\(row2):1: error: the candidate id in column A (candidate) of row \(row2) holds the control character U+0007; the row is not read [csv-control-character]

                """)
        #expect(Set(r.lines.keys) == Self.candidates)
        #expect(r.lines["E03"]?.hasPrefix("E03,nmit-2025,,100,incomplete,\"\(message) (SHEET row \(row)); P1.1: 2 of 3 judges marked") == true)
        #expect(r.lines["E05"]?.contains("P1.1: 2 of 3 judges marked (J1 ") == true)
        Sheet.othersUnchanged(r.lines, except: ["E03", "E05"])
        for args in [
            ["score", Sheet.rubric, path], ["score", Sheet.rubric, path, "--format", "csv"],
            ["score", Sheet.rubric, path, "--explain", "E03"], ["score", Sheet.rubric, path, "--explain", "E05"],
            ["results", Sheet.rubric, "nmit-2025", path], ["results", Sheet.rubric, "nmit-2025", path, "--format", "csv"],
        ] {
            let out = runAssay(args)
            #expect(out.code == 1, "\(args)")
            #expect(Self.controls(out.out) == [], "\(args)")
            #expect(Self.controls(out.err) == [], "\(args)")
        }
    }

    @Test("a candidate id over two quoted lines is refused at its quote with no outcome; its lines are not a candidate")
    func candidateOverTwoLines() throws {
        let dir = try Sheet.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (lines, row) = try Self.withE03J1(["\"E03", "E99\",nmit-2025,P1.1,J1,2"])
        let path = try Sheet.write(lines, "candidate-two-lines.csv", in: dir)
        let r = Sheet.scoreLines(path)
        #expect(r.code == 1)
        #expect(
            r.err == """
                \(path):\(row):1: error: the candidate id in column A (candidate) of row \(row) runs over 2 lines (\(row) to \(row + 1)); the row is not read [csv-line-break]

                """)
        #expect(Set(r.lines.keys) == Self.candidates)
        #expect(r.lines["E03"]?.contains("P1.1: 2 of 3 judges marked (J2 2 at SHEET row \(row + 2), J3 2 at SHEET row \(row + 3))") == true)
        Sheet.othersUnchanged(r.lines, except: ["E03"])
    }
}
