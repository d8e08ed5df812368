import AssayModel
import Testing

/// Where each column of `line` starts, in terminal columns, measured without ``TextTable``: the test's own
/// width of the few characters it uses (the CJK, fullwidth and punctuation ones take two columns, the
/// combining acute accent none), columns found as the starts of runs after two or more spaces.
func columnStarts(_ line: String) -> [Int] {
    let two: Set<Character> = [
        "医", "学", "影", "像", "技", "术", "王", "小", "明", "李", "娜", "、", "。", "「", "」", "Ｓ", "０", "３", "（", "）",
        "본", "과", "师", "本", "科",
    ]
    var starts: [Int] = []
    var column = 0
    var spaces = 2  // the first cell starts a column
    for scalar in line.unicodeScalars {
        let w = scalar == "\u{301}" ? 0 : (two.contains(Character(scalar)) ? 2 : 1)
        if scalar == " " {
            spaces += 1
        } else {
            if spaces >= 2 { starts.append(column) }
            spaces = 0
        }
        column += w
    }
    return starts
}

@Suite("A text table measured in terminal columns")
struct TextTableTests {
    @Test("wide and fullwidth characters take two columns, combining and zero-width ones none, the rest one")
    func widths() {
        #expect(TextTable.width("MIT-101") == 7)
        #expect(TextTable.width("医学影像技术") == 12)
        #expect(TextTable.width("、。「」") == 8)  // CJK punctuation
        #expect(TextTable.width("（本科）") == 8)  // fullwidth parentheses around ideographs
        #expect(TextTable.width("Ｓ０３") == 6)  // fullwidth Latin letters and digits
        #expect(TextTable.width("본과") == 4)  // Hangul syllables
        #expect(TextTable.width("e\u{301}") == 1)  // e and a combining acute accent
        #expect(TextTable.width("a\u{200B}b\u{200D}c") == 3)  // zero-width space and joiner
        #expect(TextTable.width("—·→") == 3)  // ambiguous: one column, as outside a CJK locale
        #expect(TextTable.width("\u{1100}\u{1161}") == 2)  // a conjoining Hangul initial and its vowel
        #expect(TextTable.width("𠀀") == 2)  // CJK extension B, beyond the 16-bit plane
        #expect(TextTable.width("") == 0)
    }

    @Test("Chinese, fullwidth and mixed ids and titles: every column starts at the same display column in every row")
    func chineseColumns() {
        let rows = [
            ["rank", "candidate", "title", "total", "note"],
            ["1", "王小明", "医学影像技术（本科）", "85.11", "first"],
            ["2", "Ｓ０３", "CT技师", "73.38", ""],
            ["10", "E19", "Rene\u{301}、「本科」。", "7.5", "tied"],
        ]
        let text = TextTable(rightAligned: [0, 3]).render(rows)
        let expected = """
                rank  candidate  title                 total  note
                   1  王小明     医学影像技术（本科）  85.11  first
                   2  Ｓ０３     CT技师                73.38
                  10  E19        Rene\u{301}、「本科」。        7.5  tied

                """
        // Bytes, not Strings: Swift's `==` would take é and e + U+0301 as equal.
        #expect(Array(text.utf8) == Array(expected.utf8))
        let lines = text.split(separator: "\n").map(String.init)
        // Left-aligned columns start together (6, 17, 46); right-aligned ones end together (rank at 4, total at 44).
        #expect(lines.map(columnStarts) == [[0, 6, 17, 39, 46], [3, 6, 17, 39, 46], [3, 6, 17, 39], [2, 6, 17, 41, 46]])
        // Byte for byte: padding is spaces only, as many as the display columns missing.
        #expect(lines[1].utf8.count == "   1  ".utf8.count + "王小明".utf8.count + 5 + "医学影像技术（本科）".utf8.count + 2 + "85.11  first".utf8.count)
    }

    @Test("ASCII tables pad by characters as before; the last cell and empty trailing cells leave no spaces")
    func asciiUnchanged() {
        let table = TextTable(gap: 2, indent: "  ")
        #expect(table.line(["a", "bb", "c"], widths: [3, 3, 3]) == "  a    bb   c")
        #expect(table.line(["a", "", ""], widths: [3, 3, 3]) == "  a")
        #expect(table.line(["", "", ""], widths: [3, 3, 3]) == "")
        #expect(table.line(["", "x"], widths: [3, 3]) == "       x")
        // A cell wider than its column pushes the rest of its own line only.
        #expect(table.line(["abcdef", "x"], widths: [3, 3]) == "  abcdef  x")
        #expect(TextTable(rightAligned: [1]).line(["a", "7", ""], widths: [1, 3, 1]) == "a    7")
        #expect(TextTable().widths([["ab", "医"], ["c"], ["d", "e", "fgh"]]) == [2, 2, 3])
    }
}
