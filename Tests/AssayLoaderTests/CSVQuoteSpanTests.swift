import AssayModel
import Foundation
import Testing

@testable import AssayLoader

/// Quoted cells that run over line breaks, as RFC 4180 allows, bounded: a quote closed within
/// ``CSVScanner/fieldLimit`` bytes makes one row of its lines (refused if the cell is an id or a value); a quote
/// that never closes costs its row, and the lines after it that cannot be rows are reported by line, in a sorted
/// sheet and in an unsorted one alike.
@Suite("CSV quoted cells over line breaks")
struct CSVQuoteSpanTests {
    static func read(_ name: String, _ text: String) throws -> (candidates: [String], diagnostics: [String], path: String) {
        try CSVMarkSheetStreamTests.read(name, text)
    }

    @Test("an unsorted sheet: the quote left open costs its row, the fragment after it is reported by line, each candidate once")
    func unclosedInUnsortedSheet() throws {
        let csv = """
            candidate,target,node,judge,value
            S2,K,B1,J1,1
            S1,K,B1,J1,"2
             note,
            S3,K,B1,J1,3
            S2,K,B1,J2,1.5
            S1,K,B1,J2,2.5

            """
        let r = try Self.read("unsorted-open.csv", csv)
        let message = "the quote that opens column E (value) on line 3 is not closed before the end of the file; the row is not read"
        #expect(
            r.candidates == [
                "S2: B1/J1=1@2 B1/J2=1.5@6",
                "S1: B1/J2=2.5@7 ! \(message) @3",
                "S3: B1/J1=3@5",
            ])
        #expect(
            r.diagnostics == [
                "\(r.path):3:12: error: \(message) [csv-quote]",
                "\(r.path):4:1: error: line 4 follows the quote left open on line 3 and is not a row of its own (it has 2 fields where the header has 5); it is not read [csv-quote-continued]",
            ])
    }

    @Test("a quote 'closed' by the next cell's opening quote, followed by text, is taken as never closed: the rows it ran over are read")
    func quoteClosedByStrayText() throws {
        let csv = """
            candidate,target,node,judge,value,reason
            S1,K,B1,"J1,2,
            S1,K,B1,J2,3,"late, but fine"
            S2,K,B1,J1,1,

            """
        let r = try Self.read("stray.csv", csv)
        let message =
            "the quote that opens column D (judge) on line 2 is not closed: the next quote, on line 3, is followed by other text, not by a comma or the line's end; the row is not read"
        #expect(r.candidates == ["S1: B1/J2=3@3 ! \(message) @2", "S2: B1/J1=1@4"])
        #expect(r.diagnostics == ["\(r.path):2:9: error: \(message) [csv-quote]"])
    }

    @Test("a target or a value whose quote closes lines later is one row, refused with the lines it covers; the next row is read")
    func closedOverLines() throws {
        let csv = """
            candidate,target,node,judge,value,reason
            S1,"K
            S1,K,B1,J1,1,
            S1,K",B1,J2,2,
            S2,K,B1,J1,"1
            ",
            S2,K,B1,J2,2,"checked
            twice"

            """
        let r = try Self.read("closed.csv", csv)
        let target = "the target id in column B (target) of row 2 runs over 3 lines (2 to 4); the row is not read"
        let value = "the value in column E (value) of row 5 runs over 2 lines (5 to 6); the row is not read"
        #expect(r.candidates == ["S1: ! \(target) @2", "S2: B1/J2=2@7 ! \(value) @5"])
        #expect(
            r.diagnostics == [
                "\(r.path):2:4: error: \(target) [csv-line-break]",
                "\(r.path):5:12: error: \(value) [csv-line-break]",
            ])
    }

    @Test("a C1 control character (U+0085) or a tab inside an id is refused; tabs and spaces around an id are trimmed as before")
    func controlCharactersInIds() throws {
        let csv = "candidate,target,node,judge,value\n"
            + "S1,K,B1,J\u{85}1,2\n"
            + "S1,K,B1,\"J\t2\",2\n"
            + "S1,K,B1,\t J3 \t,3\n"
            + "S1,K,B1,\u{A9}J4,3\n"
        let r = try Self.read("controls.csv", csv)
        let c1 = "the judge id in column D (judge) of row 2 holds the control character U+0085; the row is not read"
        let tab = "the judge id in column D (judge) of row 3 holds the control character U+0009; the row is not read"
        #expect(r.candidates == ["S1: B1/J3=3@4 B1/\u{A9}J4=3@5 ! \(c1) @2 ! \(tab) @3"])
        #expect(
            r.diagnostics == [
                "\(r.path):2:9: error: \(c1) [csv-control-character]",
                "\(r.path):3:9: error: \(tab) [csv-control-character]",
            ])
    }
}
