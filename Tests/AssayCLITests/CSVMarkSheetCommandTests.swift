import AssayCLI
import Foundation
import Testing

/// Mark sheets as judges really send them — in GBK, as a workbook, misnamed, with a header column twice, a
/// quote left open, a judge id over two lines, a cell of 100 KB, sorted by judge — through `assay score` and
/// `assay results`: each gives its exit code and exact message, nothing is printed or written before a fatal
/// error is known, and the other candidates' results are those of the clean sheet.
@Suite("CSV mark sheets that go wrong, through score and results", .serialized)
struct CSVMarkSheetCommandTests {
    static let rubric = ValidateCommandTests.root.appendingPathComponent("rubrics/medical-imaging-technology.xml").path
    static let marks = ValidateCommandTests.root.appendingPathComponent("examples/competition/nmit-2025-marks.csv").path

    /// The example sheet's lines (header first).
    static func lines() throws -> [String] {
        try String(contentsOfFile: marks, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// A fresh directory for one test's files.
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("assay-csv-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ lines: [String], _ name: String, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `score --format csv` lines by candidate, with the sheet's path replaced by SHEET (to compare sheets).
    static func scoreLines(_ path: String, _ extra: [String] = []) -> (code: Int32, lines: [String: String], err: String) {
        let r = runAssay(["score", rubric, path, "--format", "csv"] + extra)
        var byCandidate: [String: String] = [:]
        for line in r.out.split(separator: "\n").dropFirst() {
            let candidate = String(line.prefix { $0 != "," })
            byCandidate[candidate, default: ""] += line.replacingOccurrences(of: path, with: "SHEET") + "\n"
        }
        return (r.code, byCandidate, r.err)
    }

    static let baseline = scoreLines(marks)

    /// `text` with every "row N" as "row #" (for a sheet with a line added, which moves the rows after it).
    static func rowless(_ text: String) -> String {
        text.replacingOccurrences(of: #"row [0-9]+"#, with: "row #", options: .regularExpression)
    }

    /// Every candidate of the clean sheet (32) but `except` has exactly its clean result (rows aside).
    static func othersUnchanged(_ lines: [String: String], except: Set<String>) {
        let expected = baseline.lines.filter { !except.contains($0.key) }
        #expect(expected.count == 32 - except.count)
        for (candidate, line) in expected {
            #expect(lines[candidate].map(rowless) == rowless(line), "\(candidate)")
        }
    }

    /// `text` converted to GB18030 by the iconv program.
    static func gb18030(_ text: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", "GB18030"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return data
    }

    // MARK: - Encoding (item 5)

    @Test("a GB18030 sheet (Chinese Excel's CSV) is read as GB18030 with a warning, and scores exactly as its UTF-8 twin")
    func gb18030Sheet() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Judge J1 is 李伟 in both sheets.
        let text = try Self.lines().map { $0.replacingOccurrences(of: ",J1,", with: ",李伟,") }
        let utf8 = try Self.write(text, "utf8.csv", in: dir)
        let gbk = dir.appendingPathComponent("gbk.csv").path
        let bytes = try Self.gb18030(text.joined(separator: "\n") + "\n")
        #expect(String(data: bytes, encoding: .utf8) == nil)
        try bytes.write(to: URL(fileURLWithPath: gbk))

        let a = runAssay(["results", Self.rubric, "nmit-2025", utf8, "--format", "csv"])
        let b = runAssay(["results", Self.rubric, "nmit-2025", gbk, "--format", "csv"])
        #expect(a.code == 1)  // E17 is incomplete in the example
        #expect(b.code == 1)
        #expect(b.out == a.out.replacingOccurrences(of: utf8, with: gbk))
        #expect(b.out.contains("2,E01,85.11,,first,complete"))
        #expect(
            b.err.hasPrefix(
                "\(gbk): warning: the mark sheet is not UTF-8 text; it was read as GB18030 (GBK), the character set of Chinese Excel's \"CSV (逗号分隔)\" [csv-encoding-gb18030]\n"
            ))
        // The judge's name comes out as written.
        let explained = runAssay(["score", Self.rubric, gbk, "--explain", "E01"])
        #expect(explained.out.contains("李伟 3"))
        // Said outright, no warning.
        let said = runAssay(["results", Self.rubric, "nmit-2025", gbk, "--format", "csv", "--encoding", "gb18030"])
        #expect(said.out == b.out)
        #expect(!said.err.contains("csv-encoding-gb18030"))
        // Said to be UTF-8: refused, with where, and nothing printed.
        let refused = runAssay(["score", Self.rubric, gbk, "--encoding", "utf-8"])
        #expect(refused.code == 1)
        #expect(refused.out == "")
        let row = try #require(text.firstIndex { $0.contains("李伟") }) + 1
        #expect(text[row - 1].hasPrefix("E01,nmit-2025,P1.1,李伟,"))
        let column = "E01,nmit-2025,P1.1,".count + 1
        #expect(
            refused.err == """
                \(gbk):\(row):\(column): error: the mark sheet is not UTF-8 text (line \(row), column \(column) is not UTF-8) [csv-encoding]
                  hint: save it from the spreadsheet as "CSV UTF-8", or give --encoding gb18030 if it is Chinese Excel's "CSV (逗号分隔)"
                assay: nothing was scored: an evidence file could not be read

                """)
        #expect(runAssay(["score", Self.rubric, gbk, "--encoding", "latin-1"]).code == 2)
    }

    @Test("a sheet in neither UTF-8 nor GB18030 prints no result sheet and writes no --out file: exit 1 and where")
    func neitherEncoding() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var data = Data((try Self.lines().prefix(3).joined(separator: "\n") + "\nE01,nmit-2025,P1.1,J").utf8)
        data.append(contentsOf: [0x80, 0xFF])  // no character in either
        data.append(Data(",3\n".utf8))
        let path = dir.appendingPathComponent("bad.csv").path
        try data.write(to: URL(fileURLWithPath: path))
        let out = dir.appendingPathComponent("sheet.html").path
        let r = runAssay(["results", Self.rubric, "nmit-2025", path, "--format", "html", "--out", out])
        #expect(r.code == 1)
        #expect(r.out == "")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(
            r.err == """
                \(path):4:21: error: the mark sheet is neither UTF-8 nor GB18030 text (line 4, column 21 is not UTF-8) [csv-encoding]
                  hint: save it from the spreadsheet as "CSV UTF-8" (Excel: File ▸ Save As ▸ CSV UTF-8) and score that file
                assay: no result sheet was made: an evidence file could not be read

                """)
        // score prints not even its table's header.
        let s = runAssay(["score", Self.rubric, path])
        #expect(s.code == 1)
        #expect(s.out == "")
    }

    @Test("a workbook, a CSV named .txt and a rubric given as evidence each say what the file is and what to do")
    func wrongFiles() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let xlsx = dir.appendingPathComponent("marks.xlsx").path
        try Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00] + Array(repeating: 0, count: 40)).write(to: URL(fileURLWithPath: xlsx))
        let out = dir.appendingPathComponent("sheet.html").path
        let a = runAssay(["results", Self.rubric, "nmit-2025", xlsx, "--format", "html", "--out", out])
        #expect(a.code == 1)
        #expect(a.out == "")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(
            a.err == """
                \(xlsx): error: 'marks.xlsx' is an Excel workbook (.xlsx, a ZIP file), not a mark sheet Assay can read [evidence-workbook]
                  hint: open it in Excel and save it with File ▸ Save As ▸ "CSV UTF-8 (Comma delimited) (*.csv)"; give Assay that .csv file
                assay: no result sheet was made: an evidence file could not be read

                """)

        let txt = try Self.write(try Self.lines(), "marks.txt", in: dir)
        let b = runAssay(["score", Self.rubric, txt])
        #expect(b.code == 1)
        #expect(b.out == "")
        #expect(
            b.err == """
                \(txt): error: 'marks.txt' is a CSV mark sheet named .txt; Assay reads only files named .csv as mark sheets [evidence-csv-name]
                  hint: rename it to 'marks.csv' and give that name
                assay: nothing was scored: an evidence file could not be read

                """)

        // Evidence and rubric swapped round in recognize: the rubric where the evidence belongs.
        let c = runAssay(["score", Self.rubric, Self.rubric, Self.marks])
        #expect(c.code == 1)
        #expect(c.out == "")
        #expect(
            c.err == """
                \(Self.rubric): error: 'medical-imaging-technology.xml' is a rubric, not evidence — are the arguments in the right order? [evidence-is-rubric]
                  hint: give the rubric first and the evidence after it (see the command's --help)
                assay: nothing was scored: an evidence file could not be read

                """)
    }

    @Test("recognize and diff, given a workbook, print nothing, decide nothing and exit 1 with the same words")
    func wrongFileInRecognizeAndDiff() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let xlsx = dir.appendingPathComponent("cohort.xlsx").path
        try Data([0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0, count: 60)).write(to: URL(fileURLWithPath: xlsx))
        let said =
            "\(xlsx): error: 'cohort.xlsx' is an Excel workbook (.xlsx, a ZIP file), not a mark sheet Assay can read [evidence-workbook]\n"
            + "  hint: open it in Excel and save it with File ▸ Save As ▸ \"CSV UTF-8 (Comma delimited) (*.csv)\"; give Assay that .csv file\n"
        let r = runAssay(["recognize", Self.rubric, xlsx, "--dry-run", "--as-of", "2026-01-15", "--format", "csv"])
        #expect(r.code == 1)
        #expect(r.out == "")
        #expect(r.err == said + "assay: nothing was decided: an evidence file could not be read\n")
        let draft = ValidateCommandTests.root.appendingPathComponent("examples/design/medical-imaging-technology-2026-draft.xml").path
        let d = runAssay(["diff", Self.rubric, draft, xlsx, "--as-of", "2026-01-15"])
        #expect(d.code == 1)
        #expect(d.out == "")
        #expect(d.err == said + "assay: nothing was compared: an evidence file could not be read\n")
    }

    // MARK: - CSV faults (item 6)

    @Test("a header naming a column twice is refused at the second one (file:1:column); nothing is scored")
    func duplicateHeaderColumn() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines = try Self.lines()
        lines[0] = "candidate,target,node,judge,value,judge"
        lines = [lines[0]] + lines.dropFirst().map { $0 + ",X" }
        let path = try Self.write(lines, "twice.csv", in: dir)
        let r = runAssay(["score", Self.rubric, path])
        #expect(r.code == 1)
        #expect(r.out == "")
        #expect(
            r.err == """
                \(path):1:35: error: the mark sheet's header names the column judge twice (columns D and F): it is not clear which to read [csv-header-duplicate]
                  hint: delete or rename one of the two columns
                assay: nothing was scored: an evidence file could not be read

                """)
    }

    @Test("an unclosed quote costs its own row only: file:line:column, its candidate incomplete, every later candidate scored as before")
    func unclosedQuote() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines = try Self.lines()
        let row = try #require(lines.firstIndex { $0.hasPrefix("E02,nmit-2025,P1.1,J2,") })
        lines[row] = lines[row].replacingOccurrences(of: ",J2,", with: ",\"J2,")
        let path = try Self.write(lines, "quote.csv", in: dir)
        let r = Self.scoreLines(path)
        #expect(r.code == 1)
        #expect(
            r.err.contains(
                "\(path):\(row + 1):20: error: the quote that opens column D (judge) on line \(row + 1) is not closed within 4,096 bytes; the row is not read [csv-quote]\n"
            ))
        #expect(
            r.lines["E02"]
                == "E02,nmit-2025,,100,incomplete,\"the quote that opens column D (judge) on line \(row + 1) is not closed within 4,096 bytes; the row is not read (SHEET row \(row + 1)); P1.1: 2 of 3 judges marked (J1 2 at SHEET row \(row), J3 3 at SHEET row \(row + 2))\"\n"
        )
        Self.othersUnchanged(r.lines, except: ["E02"])
    }

    // A judge id over two lines, and a quote that never closes followed by a fragment of its row: see
    // CSVQuotedLineBreakTests.

    // MARK: - Limits and order (item 11)

    @Test("a cell of 100 KB is refused with its place and never echoed; an id over 256 characters too")
    func hugeField() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines = try Self.lines()
        let row = try #require(lines.firstIndex { $0.hasPrefix("E05,nmit-2025,P1.1,J1,") })
        let huge = String(repeating: "9", count: 100_000)
        lines[row] = "E05,nmit-2025,P1.1,J1,\(huge)"
        let row2 = try #require(lines.firstIndex { $0.hasPrefix("E06,nmit-2025,P1.1,J2,") })
        let longJudge = String(repeating: "J", count: 300)
        lines[row2] = lines[row2].replacingOccurrences(of: ",J2,", with: ",\(longJudge),")
        let path = try Self.write(lines, "huge.csv", in: dir)
        let r = Self.scoreLines(path)
        #expect(r.code == 1)
        #expect(!r.lines.values.joined().contains("99999"))
        #expect(!r.err.contains("99999"))
        #expect(!r.lines.values.joined().contains(longJudge))
        #expect(r.err.contains("\(path):\(row + 1):23: error: column E (value) of row \(row + 1) is longer than 4,096 bytes; the row is not read [csv-too-long]\n"))
        #expect(
            r.err.contains(
                "\(path):\(row2 + 1):20: error: the judge id in column D (judge) of row \(row2 + 1) is longer than 256 characters; the row is not read [csv-too-long]\n"
            ))
        #expect(r.lines["E05"]?.hasPrefix("E05,nmit-2025,,100,incomplete,\"column E (value) of row \(row + 1) is longer than 4,096 bytes") == true)
        #expect(r.lines["E06"]?.contains("is longer than 256 characters; the row is not read (SHEET row \(row2 + 1))") == true)
        Self.othersUnchanged(r.lines, except: ["E05", "E06"])
    }

    @Test("a sheet sorted by judge, not by candidate, gives each candidate once, with exactly the results of the sorted sheet")
    func sortedByJudge() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = try Self.lines()
        // Judge by judge (grades first), keeping each judge's rows in file order.
        func judge(_ line: String) -> String { String(line.split(separator: ",", omittingEmptySubsequences: false)[3]) }
        let body = Array(lines.dropFirst())
        let byJudge = ["", "J1", "J2", "J3"].flatMap { j in body.filter { judge($0) == j } }
        #expect(byJudge.count == body.count)
        let path = try Self.write([lines[0]] + byJudge, "by-judge.csv", in: dir)
        let r = runAssay(["score", Self.rubric, path, "--format", "csv"])
        let candidates = r.out.split(separator: "\n").dropFirst().map { $0.prefix { $0 != "," } }
        #expect(candidates.count == 32)
        #expect(Set(candidates).count == 32)
        let sorted = runAssay(["results", Self.rubric, "nmit-2025", Self.marks, "--format", "csv"])
        let unsorted = runAssay(["results", Self.rubric, "nmit-2025", path, "--format", "csv"])
        #expect(unsorted.code == sorted.code)
        // The same sheet but for E17's row numbers, which moved.
        let strip = { (s: String) in s.split(separator: "\n").filter { !$0.contains("E17") }.joined(separator: "\n") }
        #expect(strip(unsorted.out) == strip(sorted.out))
        #expect(strip(unsorted.out).split(separator: "\n").count == 32)
        #expect(unsorted.err == sorted.err)
    }
}
