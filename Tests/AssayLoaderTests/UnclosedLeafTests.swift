import AssayModel
import Foundation
import Testing

@testable import AssayLoader

/// A leaf `<node … />` whose `/>` became `>` (or a leaf whose `</node>` line was deleted), followed by
/// siblings at its own indentation: libxml2 pairs the enclosing node's `</node>` with it and blames the
/// enclosing node. The diagnostic must name the leaf. The broken rubrics are made here from the bundled ones
/// (rubrics/*.xml), at first, middle and last children in several courses and in the competition.
@Suite("An unclosed leaf node is reported on its own line, in the bundled rubrics")
struct UnclosedLeafTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    enum Breakage: Sendable {
        /// The line's `/>` becomes `>`.
        case openLeaf
        /// The line (a `</node>`) is deleted.
        case deleteEndTag
    }

    struct Case: Sendable, CustomStringConvertible {
        var rubric: String
        /// 1-based line of the real file to break, and a text that line must hold (so a change of the bundled
        /// rubric shows here instead of silently testing another line).
        var line: Int
        var holds: String
        var breakage: Breakage
        var position: String
        /// The diagnostic expected, at line:column of the broken file.
        var at: (line: Int, column: Int)
        var message: String

        var description: String { "\(rubric) line \(line) (\(position))" }
    }

    static func sibling(_ next: Int, _ linedUp: Int, _ enclosing: Int) -> String {
        "<node> is not closed: the next element, <node> on line \(next), starts at the same indentation (a sibling, not a child), and the </node> on line \(linedUp) lines up with the enclosing <node> on line \(enclosing)"
    }

    static func last(_ linedUp: Int, _ enclosing: Int, _ closer: String, _ closerLine: Int) -> String {
        "<node> is not closed: the </node> on line \(linedUp) lines up with the <node> on line \(enclosing), and nothing closes this one before </\(closer)> on line \(closerLine)"
    }

    static let mit = "rubrics/medical-imaging-technology.xml"
    static let me = "rubrics/medical-engineering.xml"

    static let cases: [Case] = [
        // MIT-101 (course grade: online, assignments, specimen-test, final).
        Case(rubric: mit, line: 98, holds: "<node id=\"online\"", breakage: .openLeaf, position: "first child", at: (98, 7), message: sibling(99, 105, 97)),
        // A comment stands between assignments and its sibling: it is not the next element.
        Case(rubric: mit, line: 99, holds: "<node id=\"assignments\"", breakage: .openLeaf, position: "middle child, comment next", at: (99, 7), message: sibling(101, 105, 97)),
        Case(rubric: mit, line: 104, holds: "<node id=\"final\"", breakage: .openLeaf, position: "last child", at: (104, 7), message: last(105, 97, "course", 106)),
        // A course with a nested mean of three labs.
        Case(rubric: mit, line: 116, holds: "<node id=\"lab-head\"", breakage: .openLeaf, position: "first of a nested node", at: (116, 9), message: sibling(117, 124, 112)),
        Case(rubric: mit, line: 117, holds: "<node id=\"lab-thorax\"", breakage: .openLeaf, position: "middle of a nested node", at: (117, 9), message: sibling(118, 124, 112)),
        Case(rubric: mit, line: 142, holds: "<node id=\"exp-sound-speed\"", breakage: .openLeaf, position: "last of a nested node", at: (142, 9), message: last(146, 131, "course", 147)),
        Case(rubric: mit, line: 166, holds: "<node id=\"positioning\"", breakage: .openLeaf, position: "first of a nested sum", at: (166, 9), message: sibling(167, 174, 157)),
        // The other bundled program.
        Case(rubric: me, line: 51, holds: "<node id=\"online\"", breakage: .openLeaf, position: "first child", at: (51, 7), message: sibling(52, 63, 50)),
        Case(rubric: me, line: 56, holds: "<node id=\"teacher-med\"", breakage: .openLeaf, position: "middle, three levels down", at: (56, 11), message: sibling(57, 63, 50)),
        Case(rubric: me, line: 78, holds: "<node id=\"equipment-dept\"", breakage: .openLeaf, position: "last of a nested node", at: (78, 9), message: last(81, 70, "course", 82)),
        Case(rubric: me, line: 93, holds: "<node id=\"unit-orders\"", breakage: .openLeaf, position: "middle of a nested sum", at: (93, 9), message: sibling(94, 104, 90)),
        // The competition nmit-2025: its leaves carry parameters, so the mistake there is a lost </node>.
        Case(rubric: mit, line: 436, holds: "</node>", breakage: .deleteEndTag, position: "competition: P1.2, a middle child", at: (430, 11), message: sibling(436, 525, 414)),
        Case(rubric: mit, line: 459, holds: "</node>", breakage: .deleteEndTag, position: "competition: P2.1, a first child", at: (456, 11), message: sibling(459, 525, 414)),
        Case(rubric: mit, line: 523, holds: "</node>", breakage: .deleteEndTag, position: "competition: P4.3, a last child", at: (519, 11), message: last(525, 414, "competition", 547)),
    ]

    @Test("the diagnostic names the leaf left open, with the exact message and line:column", arguments: cases)
    func leafLeftOpen(_ c: Case) throws {
        var lines = try String(contentsOf: Self.root.appendingPathComponent(c.rubric), encoding: .utf8)
            .components(separatedBy: "\n")
        let target = lines[c.line - 1]
        try #require(target.contains(c.holds), "line \(c.line) of \(c.rubric) is now: \(target)")
        switch c.breakage {
        case .openLeaf:
            try #require(target.hasSuffix("/>"))
            lines[c.line - 1] = String(target.dropLast(2)) + ">"
        case .deleteEndTag:
            try #require(target.trimmingCharacters(in: .whitespaces) == "</node>")
            lines.remove(at: c.line - 1)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-unclosed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("broken.xml").path
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))

        let result = RubricLoader().load(path)
        #expect(result.program == nil)
        #expect(result.diagnostics.count == 1)
        let d = try #require(result.diagnostics.first)
        #expect(d.code == "xml-unclosed-tag")
        #expect(d.location == SourceLocation(file: path, line: c.at.line, column: c.at.column))
        #expect(d.message == c.message)
    }

    @Test("the unbroken bundled rubrics load without a diagnostic (the cases above break only their one line)")
    func unbroken() {
        for rubric in [Self.mit, Self.me] {
            let result = RubricLoader().load(Self.root.appendingPathComponent(rubric).path)
            #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(rubric)")
        }
    }
}
