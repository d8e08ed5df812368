import AssayModel
import Foundation
import Testing

@testable import AssayLoader

/// The CSV reader on its own: the order candidates come out in (sorted sheets as they stand, unsorted ones by
/// first appearance, each candidate once and whole), quotes in free-text columns, the bound on the index of an
/// unsorted sheet, and the encodings.
@Suite("CSV mark sheets read as a stream")
struct CSVMarkSheetStreamTests {
    /// Writes `text` (or `data`) to a fresh file and reads it; returns each candidate as "id: item values (rows)"
    /// and problems, in the order handed on, and the diagnostics.
    static func read(_ name: String, _ data: Data, segmentLimit: Int = CSVEvidenceReader.maxSegments) throws -> (
        candidates: [String], diagnostics: [String], path: String
    ) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-csv-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(name).path
        try data.write(to: URL(fileURLWithPath: path))
        var out: [String] = []
        let diagnostics = CSVEvidenceReader(path: path, segmentLimit: segmentLimit).read { c in
            let items = c.items.map { "\($0.node)/\($0.judge ?? "-")=\($0.value)@\($0.origin.line)" }
            let problems = c.problems.map { "! \($0.message) @\($0.origin.line)" }
            out.append("\(c.id): " + (items + problems).joined(separator: " "))
        }
        return (out, diagnostics.map(\.formatted), path)
    }

    static func read(_ name: String, _ text: String, segmentLimit: Int = CSVEvidenceReader.maxSegments) throws -> (
        candidates: [String], diagnostics: [String], path: String
    ) {
        try read(name, Data(text.utf8), segmentLimit: segmentLimit)
    }

    @Test("a sheet sorted by judge hands on each candidate once, whole, in order of first appearance, rows in file order")
    func unsortedSheet() throws {
        let csv = """
            candidate,target,node,judge,value
            S2,K,B1,J1,1
            S1,K,B1,J1,2
            S3,K,B1,J1,3
            S2,K,B1,J2,1.5
            S1,K,B1,J2,2.5

            S3,K,B1,J2,3.5
            S1,K,B2,,9

            """
        let r = try Self.read("by-judge.csv", csv)
        #expect(r.diagnostics == [])
        #expect(
            r.candidates == [
                "S2: B1/J1=1@2 B1/J2=1.5@5",
                "S1: B1/J1=2@3 B1/J2=2.5@6 B2/-=9@9",
                "S3: B1/J1=3@4 B1/J2=3.5@8",
            ])
    }

    @Test("a 1.3 MB sheet sorted by judge (runs far apart, many blocks) gives each of 20,000 candidates once with its 3 marks in order")
    func largeUnsortedSheet() throws {
        let n = 20_000
        var csv = "candidate,target,node,judge,value,reason\n"
        for j in 1...3 {
            for i in 0..<n { csv += "S\(i),K,B1,J\(j),\((i + j) % 4),\(i % 97 == 0 ? "\"checked\ntwice\"" : "")\n" }
        }
        let r = try Self.read("large.csv", csv)
        #expect(r.diagnostics == [])
        #expect(r.candidates.count == n)
        // Line of candidate i's mark by judge j: 2 + (j - 1) × (n + n / 97 + 1) + i + (line breaks before it).
        func line(_ i: Int, _ j: Int) -> Int { 2 + (j - 1) * (n + (n + 96) / 97) + i + (i + 96) / 97 }
        for i in [0, 1, 97, 9_999, 19_999] {
            #expect(
                r.candidates[i]
                    == "S\(i): " + (1...3).map { j in "B1/J\(j)=\((i + j) % 4)@\(line(i, j))" }.joined(separator: " "))
        }
    }

    @Test("an unsorted sheet with more runs than the index holds is refused as a whole, nothing handed on; a sorted one is not")
    func indexBound() throws {
        let unsorted = "candidate,target,node,judge,value\nA,K,B1,J1,1\nB,K,B1,J1,1\nA,K,B1,J2,1\nB,K,B1,J2,1\nC,K,B1,J1,1\n"
        let r = try Self.read("unsorted.csv", unsorted, segmentLimit: 3)
        #expect(r.candidates == [])
        #expect(
            r.diagnostics == [
                "\(r.path): error: the mark sheet's rows are not sorted by candidate, and they change candidate more than 3 times: too many to read in order [csv-unsorted]"
            ])
        // Within the bound, the same sheet is read.
        #expect(try Self.read("unsorted.csv", unsorted, segmentLimit: 5).candidates.count == 3)
        // A sorted sheet of many candidates needs no index at all.
        let sorted = "candidate,target,node,judge,value\n" + (0..<10).map { "S\($0),K,B1,J1,1\nS\($0),K,B1,J2,2\n" }.joined()
        let s = try Self.read("sorted.csv", sorted, segmentLimit: 3)
        #expect(s.diagnostics == [])
        #expect(s.candidates.count == 10)
        #expect(s.candidates[9] == "S9: B1/J1=1@20 B1/J2=2@21")
    }

    @Test("a reason over two quoted lines is kept; a reason whose quote never closes costs its row, and the rows after it are read")
    func quotesInReason() throws {
        let csv = "candidate,target,node,judge,value,reason\n"
            + "S1,K,B1,J1,2,\"slow start\nbut safe\"\n"
            + "S1,K,B1,J2,3,\"no reason given\n"
            + "S2,K,B1,J1,1,\n"
            + "S2,K,B1,J2,2,fine\n"
        let r = try Self.read("reason.csv", csv)
        #expect(
            r.candidates == [
                "S1: B1/J1=2@2 ! the quote that opens column F (reason) on line 4 is not closed before the end of the file; the row is not read @4",
                "S2: B1/J1=1@5 B1/J2=2@6",
            ])
        #expect(
            r.diagnostics == [
                "\(r.path):4:14: error: the quote that opens column F (reason) on line 4 is not closed before the end of the file; the row is not read [csv-quote]"
            ])
    }

    @Test("a row of 200,000 commas is counted, not held: refused with its real field count; the next row is read")
    func rowOfCommas() throws {
        let csv = "candidate,target,node,judge,value\nS1,K,B1,J1," + String(repeating: ",", count: 200_000) + "\"open\nS1,K,B1,J2,2\n"
        let r = try Self.read("commas.csv", csv)
        #expect(r.diagnostics == [])
        #expect(r.candidates == ["S1: B1/J2=2@3 ! the row has 200005 fields where the header has 5 (a cut-off or mistyped row); it was not read @2"])
    }

    @Test("a mark sheet that is not UTF-8 but GB18030 is converted; one that is neither is refused at its first bad character")
    func encodings() throws {
        // "李" in GB18030 is C0 EE; in UTF-8 it is E6 9D 8E.
        var gbk = Data("candidate,target,node,judge,value\nS1,K,B1,".utf8)
        gbk.append(contentsOf: [0xC0, 0xEE])
        gbk.append(Data(",2\n".utf8))
        let g = try Self.read("gbk.csv", gbk)
        #expect(g.candidates == ["S1: B1/李=2@2"])
        #expect(
            g.diagnostics == [
                "\(g.path): warning: the mark sheet is not UTF-8 text; it was read as GB18030 (GBK), the character set of Chinese Excel's \"CSV (逗号分隔)\" [csv-encoding-gb18030]"
            ])
        var bad = Data("candidate,target,node,judge,value\nS1,K,B1,é".utf8)
        bad.append(contentsOf: [0xFF])
        let b = try Self.read("bad.csv", bad)
        #expect(b.candidates == [])
        #expect(
            b.diagnostics == [
                "\(b.path):2:10: error: the mark sheet is neither UTF-8 nor GB18030 text (line 2, column 10 is not UTF-8) [csv-encoding]"
            ])
    }
}
