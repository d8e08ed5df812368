/// A plain-text table for a terminal, with widths measured in terminal columns rather than characters.
///
/// A terminal gives an East Asian wide or fullwidth character (a Chinese title, a Hangul name, `、。「」`) two
/// columns, a combining mark or zero-width character none and everything else one, so padding by `count`
/// misaligns every row that holds Chinese text. ``width(_:)-swift.type.method`` measures as a terminal does,
/// after Unicode Standard Annex #11 (East Asian Width) and its data file `EastAsianWidth.txt`:
///
/// - 2 columns: `W` (wide) and `F` (fullwidth) characters of the main blocks: Hangul Jamo initials
///   (U+1100–115F), CJK radicals, Kangxi radicals, ideographic description characters and CJK symbols and
///   punctuation (U+2E80–303E), Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun and enclosed
///   CJK (U+3041–33FF), CJK unified ideographs and extension A (U+3400–4DBF, U+4E00–9FFF), Yi (U+A000–A4CF),
///   Hangul Jamo extended A (U+A960–A97F), Hangul syllables (U+AC00–D7A3), CJK compatibility ideographs
///   (U+F900–FAFF), vertical forms (U+FE10–FE19), CJK compatibility and small form variants (U+FE30–FE6F),
///   fullwidth forms (U+FF00–FF60, U+FFE0–FFE6), emoticons (U+1F600–1F64F) and the supplementary and tertiary
///   ideographic planes (U+20000–2FFFD, U+30000–3FFFD).
/// - 0 columns: combining marks (general categories `Mn`, `Me`), format characters (`Cf`: zero-width space,
///   joiners, marks of direction), control characters (`Cc`) and Hangul medial and final Jamo
///   (U+1160–11FF), which join the initial before them.
/// - 1 column: everything else, including the `A` (ambiguous) characters such as `—` and `·`, as a terminal
///   in a non-CJK locale shows them.
///
/// Scalars are measured one by one; emoji sequences joined by U+200D are not recognised as one picture.
///
/// A table's columns are separated by ``gap`` spaces and every line starts with ``indent``. A cell is padded
/// to its column's width on the right (or on the left in a right-aligned column); the last cell of a row is
/// not padded, and no line ends with padding.
public struct TextTable: Sendable, Equatable {
    /// Spaces between two columns.
    public var gap: Int
    /// What every line starts with (usually spaces).
    public var indent: String
    /// The columns (counted from 0) whose cells are padded on the left: numbers, ranks.
    public var rightAligned: Set<Int>

    /// A table with `gap` spaces between columns, lines starting with `indent`, and the columns in
    /// `rightAligned` aligned on the right.
    public init(gap: Int = 2, indent: String = "", rightAligned: Set<Int> = []) {
        self.gap = gap
        self.indent = indent
        self.rightAligned = rightAligned
    }

    // MARK: - Display width

    /// Terminal columns `text` takes (see the type's overview for the rules).
    public static func width(_ text: some StringProtocol) -> Int {
        var total = 0
        for scalar in text.unicodeScalars { total += width(scalar) }
        return total
    }

    /// Terminal columns one scalar takes: 0, 1 or 2.
    public static func width(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return 1 }  // printable ASCII, the common case
        if v < 0x1100 {
            // Below the first wide block: only controls and marks differ from one column.
            return zeroWidth(scalar) ? 0 : 1
        }
        if wide(v) { return 2 }
        if (0x1160...0x11FF).contains(v) { return 0 }
        return zeroWidth(scalar) ? 0 : 1
    }

    private static func zeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return true
        default: return false
        }
    }

    /// `W` and `F` ranges of `EastAsianWidth.txt` for the main blocks (see the overview).
    private static func wide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F600...0x1F64F, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default: return false
        }
    }

    /// `text` followed (or, when `right`, preceded) by the spaces that make it `columns` wide; `text` itself
    /// when it is already as wide or wider.
    public static func pad(_ text: String, to columns: Int, right: Bool = false) -> String {
        let missing = columns - width(text)
        guard missing > 0 else { return text }
        let spaces = String(repeating: " ", count: missing)
        return right ? spaces + text : text + spaces
    }

    // MARK: - Layout

    /// The width of each column: its widest cell. A row with fewer cells counts as empty in the rest.
    public func widths(_ rows: some Sequence<[String]>) -> [Int] {
        var result: [Int] = []
        for row in rows {
            for (c, cell) in row.enumerated() {
                let w = Self.width(cell)
                if c < result.count {
                    result[c] = max(result[c], w)
                } else {
                    result.append(contentsOf: repeatElement(0, count: c - result.count))
                    result.append(w)
                }
            }
        }
        return result
    }

    /// One line of the table, without its line break: each cell padded to its column's width (a cell wider
    /// than its column pushes the rest of its own line only), the last cell unpadded, no padding at the end;
    /// a row with no text at all gives an empty line (not even the indent).
    public func line(_ cells: [String], widths: [Int]) -> String {
        var line = ""
        var pending = 0  // spaces owed before the next text: written only if text follows
        for (c, cell) in cells.enumerated() {
            if c > 0 { pending += gap }
            let padding = max(0, (c < widths.count ? widths[c] : 0) - Self.width(cell))
            if rightAligned.contains(c) { pending += padding }
            if !cell.isEmpty {
                line += (line.isEmpty ? indent : "") + String(repeating: " ", count: pending) + cell
                pending = 0
            }
            if !rightAligned.contains(c) { pending += padding }
        }
        return line
    }

    /// The whole table, a line (ending in `\n`) per row, with `widths` or else the widest cell of each column.
    public func render(_ rows: [[String]], widths: [Int]? = nil) -> String {
        let w = widths ?? self.widths(rows)
        var out = ""
        for row in rows { out += line(row, widths: w) + "\n" }
        return out
    }
}
