import AssayDesign
import AssayModel
import Foundation
import Testing

@Suite("The integration matrix")
struct IntegrationMatrixTests {
    @Test("a small program with one gap of each kind gives exactly these rows and verdicts")
    func rows() throws {
        let m = IntegrationMatrix(program: try Fixtures.program("gaps.xml"))
        let rows = m.rows.map {
            [$0.post, $0.requirement, $0.taughtBy.joined(separator: " "), $0.testedBy.joined(separator: " "),
             $0.attestedBy.joined(separator: " "), $0.verdict.words]
        }
        #expect(
            rows == [
                ["tech", "r-all", "C1", "cup/S1", "cert1", "taught + tested + attested"],
                ["tech", "r-untaught", "", "cup/A3", "cert1/k1", "not taught"],
                ["tech", "r-untested", "C1", "", "cert1/k1", "not tested"],
                ["analyst", "r-unattested", "C1", "cup/A3", "", "not attested"],
                ["analyst", "r-nothing", "", "", "", "not taught, not tested, not attested"],
            ])
    }

    @Test("reverse gaps: a course, an aspect (not the aspects under a mapped section), a component and a certificate")
    func reverseGaps() throws {
        let m = IntegrationMatrix(program: try Fixtures.program("gaps.xml"))
        #expect(
            m.reverseGaps.map(\.words) == [
                "course C2 (Elective with no mapping) covers no requirement",
                "aspect A4 (Aspect four) of competition cup tests no requirement, nor does a section above it",
                "component k2 (Theory) of certificate cert1 attests no requirement of its own",
                "certificate cert2 (Certificate of attendance) attests no requirement, nor does any of its components",
            ])
        #expect(m.reverseGaps.map(\.reference) == ["C2", "cup/A4", "cert1/k2", "cert2"])
        #expect(m.hasGaps)
    }

    @Test("the summary counts every kind of gap")
    func summary() throws {
        let s = IntegrationMatrix(program: try Fixtures.program("gaps.xml")).summary
        let counts: [Int] = [s.posts, s.requirements, s.integrated, s.withGaps]
        let missing: [Int] = [s.notTaught, s.notTested, s.notAttested]
        let reverse: [Int] = [
            s.coursesCoveringNothing, s.aspectsTestingNothing, s.certificatesAttestingNothing, s.componentsAttestingNothing,
        ]
        #expect(counts == [2, 5, 1, 4])
        #expect(missing == [2, 2, 2])
        #expect(reverse == [1, 1, 1, 1])
    }

    @Test("the text form starts with the summary, names every gap and fits 100 columns")
    func text() throws {
        let text = MatrixWriter.text(IntegrationMatrix(program: try Fixtures.program("gaps.xml")))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            Array(lines[0...5]) == [
                "Integration matrix: Gap Finder (program gaps, version 2026.1)",
                "",
                "Summary",
                "  5 requirements in 2 posts: 1 taught + tested + attested, 4 with gaps",
                "  not taught 2 · not tested 2 · not attested 2",
                "  mapped to no requirement: 1 course, 1 competition aspect, 1 certificate, 1 certificate component",
            ])
        #expect(lines.contains("  r-nothing             —                 —                 —                     GAP: not taught,"))
        #expect(lines.contains("  r-untested            C1                —                 cert1/k1              GAP: not tested"))
        #expect(lines.contains("  course C2 (Elective with no mapping) covers no requirement"))
        for line in lines { #expect(line.count <= MatrixWriter.textWidth, "\(line)") }
    }

    @Test("the bundled program's text matrix fits 100 columns, CJK titles counted as two cells each")
    func bundledWidth() throws {
        let m = IntegrationMatrix(program: try Fixtures.program(atPath: Fixtures.bundled))
        #expect(m.summary.requirements == 22)
        #expect(m.rows.first { $0.requirement == "dsa-assist" }?.verdict.words == "not tested, not attested")
        for line in MatrixWriter.text(m).split(separator: "\n") {
            let cells = line.unicodeScalars.reduce(0) { $0 + (($1.value >= 0x2E80 && $1.value <= 0x9FFF) || ($1.value >= 0xFF00 && $1.value <= 0xFF60) ? 2 : 1) }
            #expect(cells <= 100, "\(line)")
        }
    }

    @Test("the CSV form has one row per requirement, then one per reverse gap")
    func csv() throws {
        let csv = MatrixWriter.csv(IntegrationMatrix(program: try Fixtures.program("gaps.xml")))
        #expect(
            csv == """
                kind,post,id,title,taught_by,tested_by,attested_by,verdict
                requirement,tech,r-all,Does everything right,C1,cup/S1,cert1,taught + tested + attested
                requirement,tech,r-untaught,Learned on the job,,cup/A3,cert1/k1,not taught
                requirement,tech,r-untested,Never competed on,C1,,cert1/k1,not tested
                requirement,analyst,r-unattested,No certificate for it,C1,cup/A3,,not attested
                requirement,analyst,r-nothing,Forgotten by everyone,,,,"not taught, not tested, not attested"
                course,,C2,Elective with no mapping,,,,course C2 (Elective with no mapping) covers no requirement
                competition-aspect,,cup/A4,Aspect four,,,,"aspect A4 (Aspect four) of competition cup tests no requirement, nor does a section above it"
                certificate-component,,cert1/k2,Theory,,,,component k2 (Theory) of certificate cert1 attests no requirement of its own
                certificate,,cert2,Certificate of attendance,,,,"certificate cert2 (Certificate of attendance) attests no requirement, nor does any of its components"

                """)
    }

    @Test("the HTML form is one self-contained page with the gaps marked")
    func html() throws {
        let html = MatrixWriter.html(IntegrationMatrix(program: try Fixtures.program("gaps.xml")))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for external in ["src=", "href=", "<link", "<script", "url("] { #expect(!html.contains(external), "\(external)") }
        #expect(html.contains("<tr class=\"gap\" id=\"req-r-nothing\">"))
        #expect(html.contains("<tr class=\"ok\" id=\"req-r-all\">"))
        #expect(html.contains("<td class=\"verdict gap\">not taught, not tested, not attested</td>"))
        #expect(html.contains("<th class=\"col course unmapped\" title=\"Elective with no mapping\">C2</th>"))
        #expect(html.contains("<li class=\"competition-aspect\">aspect A4 (Aspect four) of competition cup tests no requirement, nor does a section above it</li>"))
        #expect(html.contains("@media print"))
        #expect(html == MatrixWriter.html(IntegrationMatrix(program: try Fixtures.program("gaps.xml"))))
    }
}
