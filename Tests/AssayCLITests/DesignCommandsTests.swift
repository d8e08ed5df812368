import AssayCLI
import Foundation
import Testing

/// `assay matrix`, `assay export-case` and `assay diff`, as a curriculum designer runs them.
@Suite("assay matrix, export-case and diff", .serialized)
struct DesignCommandsTests {
    static let rubric = "rubrics/medical-imaging-technology.xml"
    static let fixtures = "Tests/AssayDesignTests/Fixtures/"

    @Test("the bundled program's matrix: summary first, the DSA requirement named as a gap; exit 0")
    func matrix() {
        let r = runAssay(["matrix", Self.rubric])
        #expect(r.code == 0)
        #expect(r.out.contains("\nSummary\n  22 requirements in 5 posts: 16 taught + tested + attested, 6 with gaps\n"))
        #expect(r.out.contains("  dsa-assist            MIT-205, MIT-401  —                 —                     GAP: not tested,\n"))
        let csv = runAssay(["matrix", Self.rubric, "--format", "csv"])
        #expect(csv.out.contains("\nrequirement,dr-tech,dsa-assist,"))
        #expect(csv.out.contains(",MIT-205; MIT-401,,,\"not tested, not attested\"\n"))
    }

    @Test("matrix refuses a rubric with errors (exit 1) and a wrong format (exit 2)")
    func matrixErrors() {
        let bad = runAssay(["matrix", "examples/rubric-with-mistakes.xml"])
        #expect(bad.code == 1)
        #expect(bad.err.contains("[unknown-requirement]"))
        #expect(runAssay(["matrix", Self.rubric, "--format", "pdf"]).code == 2)
    }

    @Test("export-case writes the same bytes twice, with the version's year as lastChangeDateTime")
    func exportCase() {
        let a = runAssay(["export-case", Self.rubric])
        let b = runAssay(["export-case", Self.rubric])
        #expect(a.code == 0)
        #expect(a.out == b.out)
        #expect(a.out.contains("\"lastChangeDateTime\" : \"2025-01-01T00:00:00+00:00\""))
        #expect(a.out.contains("\"title\" : \"tests\""))
        #expect(runAssay(["export-case", Self.rubric, "--last-change", "soon"]).code == 2)
    }

    @Test("diff exits 1 when a weight change moves results, 1 when a rule change grants credit, 0 when only titles change, 1 when an input fails a check")
    func diffExitCodes() {
        let evidence = Self.fixtures + "whatif-evidence.xml"
        let weights = runAssay(["diff", Self.fixtures + "whatif-old.xml", Self.fixtures + "whatif-weights.xml", evidence, "--as-of", "2026-07-01"])
        #expect(weights.code == 1)
        #expect(weights.out.contains("  cup E1: rank 1, first → rank 2, second\n"))
        let rule = runAssay(["diff", Self.fixtures + "whatif-old.xml", Self.fixtures + "whatif-rule.xml", evidence, "--as-of", "2026-07-01", "--format", "csv"])
        #expect(rule.code == 1)
        #expect(rule.out.contains("\nrecognition,E2,cup-credits-C1,refused,\"granted (4 credits, grade 90)\","))
        let title = runAssay(["diff", Self.fixtures + "whatif-old.xml", Self.fixtures + "whatif-title.xml", evidence, "--as-of", "2026-07-01"])
        #expect(title.code == 0)
        #expect(title.out.hasSuffix("Summary: no rubric changes; no changes for anyone\n"))
        #expect(runAssay(["diff", Self.fixtures + "whatif-old.xml", evidence]).code == 2)
        #expect(runAssay(["diff", Self.fixtures + "whatif-old.xml", Self.fixtures + "whatif-title.xml", evidence, "--as-of", "July"]).code == 2)
        // An input that fails a check is 1 as everywhere in assay (DESIGN.md's exit codes), with the error on
        // standard error: an evidence file missing, a rubric with errors.
        let missing = runAssay(["diff", Self.fixtures + "whatif-old.xml", Self.fixtures + "whatif-title.xml", evidence, "nowhere.xml", "--as-of", "2026-07-01"])
        #expect(missing.code == 1)
        #expect(
            missing.err
                == "nowhere.xml: error: evidence file 'nowhere.xml' does not exist [file-unreadable]\n  hint: check the path\n"
                + "assay: nothing was compared: an evidence file could not be read\n")
        #expect(missing.out == "")  // no report without the missing file's candidates
        let broken = runAssay(["diff", Self.fixtures + "whatif-old.xml", "Tests/AssayLoaderTests/Fixtures/bad/dangling-tests.xml", evidence])
        #expect(broken.code == 1)
        #expect(broken.err.contains(": error: no post has a requirement 'r9' [unknown-requirement]"))
    }

    @Test("the 2026 draft example: two prizes swap, S2025010 gains MIT-201 credit; exit 1")
    func draftExample() {
        let r = runAssay([
            "diff", Self.rubric, "examples/design/medical-imaging-technology-2026-draft.xml", "examples/evidence/cohort-2025.xml",
            "examples/competition/nmit-2025-marks.csv", "--as-of", "2026-01-15", "--format", "csv",
        ])
        #expect(r.code == 1)
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("rubric,") }.count == 4)
        #expect(lines.filter { $0.hasPrefix("outcome,") }.count == 31)
        #expect(lines.filter { $0.hasPrefix("standing,") }.count == 11)
        #expect(lines.contains { $0.hasPrefix("standing,E04,nmit-2025,\"rank 5, second\",\"rank 3, first\",\"total 83.34 → 84.87;") })
        #expect(lines.contains { $0.hasPrefix("standing,E19,nmit-2025,\"rank 3, first\",\"rank 4, second\",") })
        #expect(lines.filter { $0.hasPrefix("recognition,") }.map { $0.split(separator: ",").prefix(4).joined(separator: ",") }
            == ["recognition,S2025010,nmit-transfers-dr,refused"])
    }
}
