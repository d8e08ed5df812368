import Foundation
import Testing

/// `assay validate` and `assay results` on a 5-judge panel out of 10 with no `scale` (issue 13, item 4),
/// run as the real executable: the rubric validated clean, every mark out of 10 was refused as "above the
/// maximum 3" without naming scale, and the judges' report still computed offsets from the refused marks.
@Suite("assay results with a judges' scale that does not match the marks")
struct JudgesScaleCommandTests {
    static let rubric = "Tests/AssayResultsTests/Fixtures/panel-out-of-ten.xml"
    static let marks = "Tests/AssayResultsTests/Fixtures/panel-out-of-ten.csv"
    /// The same sheet without E1–E3, whose marks are out of 10.
    static let valid = "Tests/AssayResultsTests/Fixtures/panel-out-of-ten-valid.csv"

    @Test("validate warns at the node's max, naming scale, and exits 0 (a warning)")
    func validate() throws {
        let r = try RecordsCLI.exec(try RecordsCLI.binary(), ["validate", Self.rubric])
        #expect(r.code == 0)
        #expect(
            r.out == """
                \(Self.rubric):8:62: warning: node 'A' is a judges' panel scored out of 10, but gives no scale, so each judge marks from 0 to 3 (the default) and any higher mark is refused [scale-mismatch]
                    hint: if judges mark out of 10, add <param name="scale" value="10"/>; if they mark 0 to 3, add <param name="scale" value="3"/> to say so
                checked 1 rubric: 0 errors, 1 warning

                """)
    }

    @Test("results: refused marks name the scale, exit 1; standings and judges' figures are those without them")
    func results() throws {
        let assay = try RecordsCLI.binary()
        let all = try RecordsCLI.exec(assay, ["results", Self.rubric, "K", Self.marks])
        let alone = try RecordsCLI.exec(assay, ["results", Self.rubric, "K", Self.valid])
        #expect(all.code == 1)
        #expect(alone.code == 0)
        let lines = RecordsCLI.lines(all.out)
        let e1 = try #require(lines.first { $0.hasPrefix("  E1: ") })
        #expect(
            e1.hasPrefix(
                "  E1: A: judge J1's mark 7 is above 3, the top of the judges' scale (the default: node 'A' gives no scale) (\(Self.marks) row 2); A: judge J2's mark 8 is above 3"
            ))
        #expect(lines.contains("NOT RANKED — no complete result (3)"))
        // Standings and the judges' section: line for line those of the sheet without E1–E3, but for the note.
        func section(_ lines: [String], from start: String, to end: String?) -> [String] {
            let from = lines.firstIndex(of: start) ?? lines.endIndex
            let to = end.flatMap { e in lines[from...].firstIndex { $0.hasPrefix(e) } } ?? lines.endIndex
            return Array(lines[from..<to])
        }
        let others = RecordsCLI.lines(alone.out)
        #expect(section(lines, from: "STANDINGS", to: "NOT RANKED") == section(others, from: "STANDINGS", to: "AWARDS"))
        #expect(section(lines, from: "STANDINGS", to: "NOT RANKED").count == 4)
        let judges = section(lines, from: "JUDGES", to: "    A: ")
        #expect(judges == section(others, from: "JUDGES", to: "    A: "))
        #expect(judges.contains("    J1  −12.5 % of the mark range (−0.38 points) over 2 marks"))
        #expect(
            lines.last
                == "    A: 2 entrants, judges J1 J2 J3 J4 J5, exact 50.0 %, within one mark step 100.0 %, 0 spread flags; ICC(2,1) 0.72, ICC(3,1) 0.65, ICC(2,5) 0.93, ICC(3,5) 0.90; 15 marks refused by scoring (outside 0 to 3, the judges' scale) left out of these figures, with the other marks of the panels of 3 entrants (E1, E2, E3), which scoring refused whole"
        )
        #expect(others.last == "    A: 2 entrants, judges J1 J2 J3 J4 J5, exact 50.0 %, within one mark step 100.0 %, 0 spread flags; ICC(2,1) 0.72, ICC(3,1) 0.65, ICC(2,5) 0.93, ICC(3,5) 0.90")
    }
}
