import AssayDesign
import AssayModel
import Testing

/// `assay matrix`'s text form with the bundled rubric's Chinese titles, measured as a terminal shows them.
@Suite("The matrix text in terminal columns")
struct MatrixTextWidthTests {
    /// The test's own measure for the characters the bundled rubric uses: CJK ideographs, CJK punctuation and
    /// fullwidth forms take two columns, the rest one.
    static func columns(_ line: Substring) -> Int {
        line.unicodeScalars.reduce(0) {
            switch $1.value {
            case 0x3000...0x303F, 0x4E00...0x9FFF, 0xFF00...0xFF60: $0 + 2
            default: $0 + 1
            }
        }
    }

    @Test("every line fits 100 terminal columns, and the Chinese title counts two columns a character when wrapped")
    func bundled() throws {
        let text = MatrixWriter.text(IntegrationMatrix(program: try Fixtures.program(atPath: Fixtures.bundled)))
        let lines = text.split(separator: "\n")
        #expect(lines.allSatisfy { Self.columns($0) <= MatrixWriter.textWidth })
        #expect(lines.contains { Self.columns($0) != $0.count })  // the check above did meet Chinese text
        // 93 columns but 83 characters: counted in characters, " version" would still have fitted (83 + 8 = 91).
        #expect(lines[0] == "Integration matrix: Medical Imaging Technology (BSc) · 医学影像技术（本科） (program mit-bsc,")
        #expect(Self.columns(lines[0]) == 93)
        #expect(lines[1] == "version 2025.1)")
        #expect(lines.contains("post ct-tech: CT technologist (CT技师)"))
    }
}
