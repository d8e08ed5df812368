import Foundation
import Testing

/// A mark sheet, an evidence file or a workbook given where the rubric belongs (the arguments in the wrong
/// order, most often) is named for what it is. libxml2 calls any file without a '<' "empty"; Assay used to
/// repeat that ("the file is empty [xml-empty]") about a 2 KB mark sheet, and then advised validating it.
@Suite("A file in the rubric's place is named for what it is")
struct ArgumentOrderTests {
    static let rubric = "rubrics/medical-imaging-technology.xml"
    static let marks = "examples/competition/nmit-2025-marks.csv"
    static let cohort = "examples/evidence/cohort-2025.xml"

    @Test("results with the mark sheet first: exit 1, 'a CSV mark sheet, not a rubric', nothing on standard output")
    func markSheetFirst() {
        let r = runAssay(["results", Self.marks, Self.rubric, "nmit-2025"])
        #expect(r.code == 1)
        #expect(r.out == "")
        #expect(
            r.err == """
                examples/competition/nmit-2025-marks.csv:1:1: error: 'nmit-2025-marks.csv' is a CSV mark sheet, not a rubric — are the arguments in the right order? [not-xml]
                    hint: give the rubric first and the mark sheets after it (see the command's --help)

                """)
    }

    @Test("score with the evidence first: exit 1, 'is evidence, not a rubric', nothing on standard output")
    func evidenceFirst() {
        let r = runAssay(["score", Self.cohort, Self.rubric])
        #expect(r.code == 1)
        #expect(r.out == "")
        #expect(
            r.err == """
                examples/evidence/cohort-2025.xml:16:1: error: 'cohort-2025.xml' is evidence, not a rubric — are the arguments in the right order? [wrong-root]
                    hint: give the rubric first and the evidence after it (see the command's --help)

                """)
    }

    @Test("validate names a workbook, a text file and an empty file each for what it is")
    func validateKinds() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files: [(String, Data, String)] = [
            ("program.xlsx", Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]),
             "error: 'program.xlsx' is an Excel workbook (.xlsx, a ZIP file), not a rubric [not-xml]"),
            ("notes.xml", Data("Program notes, version 2\n<program/>\n".utf8),
             "error: 'notes.xml' is not XML: a rubric starts with '<' and this file starts with 'Program notes, version 2' [not-xml]"),
            ("empty.xml", Data(), "error: the file is empty [xml-empty]"),
        ]
        for (name, bytes, message) in files {
            let path = dir.appendingPathComponent(name).path
            try bytes.write(to: URL(fileURLWithPath: path))
            let r = runAssay(["validate", path])
            #expect(r.code == 1, "\(name)")
            #expect(RecordsCLI.lines(r.out).first == "\(path):1:1: \(message)", "\(name)")
        }
    }
}
