import AssayModel
import Foundation
import Testing

@testable import AssayCLI

/// The text table of `assay score`: aligned for people, and bounded in memory however many candidates.
@Suite("assay score's text table", .serialized)
struct TextTableTests {
    @Test("the class of 2025 on one course: an aligned table, the incomplete outcome with its reason, a count")
    func cohortCourse() {
        let r = runAssay(["score", "rubrics/medical-imaging-technology.xml", "examples/evidence/cohort-2025.xml", "--target", "MIT-102"])
        #expect(r.code == 1)
        let lines = r.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(lines.prefix(3)) == [
            "candidate  target   score  max  result  status",
            "S2025001   MIT-102   87.9  100  pass    complete",
            "S2025002   MIT-102   92.7  100  pass    complete",
        ])
        #expect(lines.contains("S2025005   MIT-102      —  100  —       incomplete: lab-abdomen: nothing recorded"))
        #expect(lines.suffix(2) == ["12 outcomes, 1 incomplete", ""])
    }

    static func outcome(_ candidate: String, _ score: String) -> Outcome {
        Outcome(candidate: candidate, target: "C", kind: .course, value: Exact(plainText: score), max: Exact(plainText: "100")!, passed: true, status: .complete)
    }

    @Test("past the alignment window rows are printed as they come, with the first rows' widths; a longer cell pushes only its line")
    func window() {
        let output = Output.captured()
        var writer = TextOutcomeWriter(output: output, alignWindow: 2)
        writer.write(Self.outcome("S1", "5"))
        #expect(output.standardOutput == "")  // held until the widths are known
        writer.write(Self.outcome("S2", "50"))
        writer.write(Self.outcome("S300-held-long", "7.5"))
        writer.end(diagnostics: [])
        #expect(output.standardOutput == """
            candidate  target  score  max  result  status
            S1         C           5  100  pass    complete
            S2         C          50  100  pass    complete
            S300-held-long  C         7.5  100  pass    complete
            3 outcomes, 0 incomplete

            """)
    }
}
