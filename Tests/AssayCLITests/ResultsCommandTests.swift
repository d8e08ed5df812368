import AssayCLI
import Foundation
import Testing

/// `assay score` and `assay results` on the bundled program and the examples, as a judge runs them.
@Suite("assay score and assay results on the examples", .serialized)
struct ResultsCommandTests {
    static let rubric = "rubrics/medical-imaging-technology.xml"
    static let marks = "examples/competition/nmit-2025-marks.csv"

    @Test("the CSV result sheet ranks 31 entrants, shares rank 9, gives 3/7/9 prizes and lists E17 apart; exit 1")
    func csvSheet() {
        let r = runAssay(["results", Self.rubric, "nmit-2025", Self.marks, "--format", "csv"])
        #expect(r.code == 1)
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "rank,candidate,total,standardised,award,status")
        #expect(
            Array(lines[1...5]) == [
                "1,E13,87.86,,first,complete", "2,E01,85.11,,first,complete", "3,E19,83.74,,first,complete",
                "4,E02,83.74,,second,complete", "5,E04,83.34,,second,complete",
            ])
        #expect(lines.contains("9,E16,79.02,,second,complete"))
        #expect(lines.contains("9,E32,79.02,,second,complete"))
        #expect(lines.count == 33)
        #expect(
            lines.last
                == ",E17,,,,\"incomplete: P3.2: 2 of 3 judges marked (J1 1 at examples/competition/nmit-2025-marks.csv row 550, J3 1 at examples/competition/nmit-2025-marks.csv row 551)\"")
        let awards = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[4] }
        #expect(awards.filter { $0 == "first" }.count == 3)
        #expect(awards.filter { $0 == "second" }.count == 7)
        #expect(awards.filter { $0 == "third" }.count == 9)
    }

    @Test("the text sheet names the inputs with their SHA-256, and the same inputs give the same bytes")
    func textSheet() {
        let a = runAssay(["results", Self.rubric, "nmit-2025", Self.marks])
        let b = runAssay(["results", Self.rubric, "nmit-2025", Self.marks])
        #expect(a.out == b.out)
        let lines = a.out.split(separator: "\n").map(String.init)
        #expect(lines[1].hasPrefix("rubric   rubrics/medical-imaging-technology.xml  sha256 "))
        #expect(lines[1].count == "rubric   rubrics/medical-imaging-technology.xml  sha256 ".count + 64)
        #expect(a.out.contains("  · second: entrants tied at rank 9 straddle the quota boundary; the quota expands from 6 to 7 (ties=\"expand\")\n"))
        #expect(a.out.contains("    P3.3 E04: J1 1, J2 3, J3 2 — spread 2 > 1\n"))
    }

    @Test("the HTML sheet is one self-contained page whose standings table matches the CSV, with an inline SVG chart")
    func htmlSheet() throws {
        let html = runAssay(["results", Self.rubric, "nmit-2025", Self.marks, "--format", "html"]).out
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for external in ["src=\"http", "href=\"http", "<link", "<script", "url("] { #expect(!html.contains(external), "\(external)") }
        #expect(html.contains("<svg id=\"judge-offsets\""))
        let csv = runAssay(["results", Self.rubric, "nmit-2025", Self.marks, "--format", "csv"]).out
        let expected = csv.split(separator: "\n").dropFirst().compactMap { line -> String? in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return f[0].isEmpty ? nil : "\(f[0])|\(f[1])|\(f[2])|\(f[4])"
        }
        // Rows of the standings table: rank, candidate, total, award cells.
        let table = try #require(html.range(of: "<table id=\"standings\">").map { html[$0.upperBound...] })
        let body = table[..<(table.range(of: "</table>")!.lowerBound)]
        let rows = body.components(separatedBy: "<tr class=").dropFirst().map { row -> String in
            let cells = row.components(separatedBy: "<td").dropFirst().map { cell -> String in
                let start = cell.firstIndex(of: ">").map { cell.index(after: $0) } ?? cell.startIndex
                return String(cell[start...].prefix { $0 != "<" })
            }
            return "\(cells[0])|\(cells[1])|\(cells[2])|\(cells[3])"
        }
        #expect(rows == expected)
    }

    @Test("scoring the cohort: the three deliberate faults make exactly three outcomes incomplete, each with its place")
    func cohort() {
        let r = runAssay(["score", Self.rubric, "examples/evidence/cohort-2025.xml", "--format", "csv"])
        #expect(r.code == 1)
        let incomplete = r.out.split(separator: "\n").filter { $0.contains(",incomplete,") }
        #expect(
            incomplete == [
                "S2025005,MIT-102,,100,incomplete,lab-abdomen: nothing recorded",
                "S2025007,MIT-204,,100,incomplete,planes: value 56 is above the maximum 50 (examples/evidence/cohort-2025.xml:517)",
                "S2025011,MIT-101,,100,incomplete,\"grade for node 'midterm', which MIT-101 does not have (examples/evidence/cohort-2025.xml:764)\"",
            ])
        #expect(r.out.contains("S2025006,MIT-103,55.7,100,complete,fail\n"))
    }

    @Test("--explain shows every step of one student's outcomes")
    func explain() {
        let r = runAssay(["score", Self.rubric, "examples/evidence/cohort-2025.xml", "--explain", "S2025006", "--target", "MIT-103"])
        #expect(r.code == 0)
        #expect(r.out.hasPrefix("S2025006 — MIT-103 "))
        #expect(r.out.contains(": 55.7 of 100, fail (complete)\n"))
        #expect(r.out.contains("(examples/evidence/cohort-2025.xml:"))
    }
}
