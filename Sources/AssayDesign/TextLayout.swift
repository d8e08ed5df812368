import Foundation

/// Plain-text layout for terminal output: word wrapping and tables whose cells wrap inside fixed widths, so
/// that reports fit a given number of columns. Widths count characters (grapheme clusters); CJK characters
/// in titles take two terminal cells, and are counted as two.
enum TextLayout {
    /// Terminal cells `text` takes: two for East Asian wide characters, one otherwise.
    static func width(_ text: some StringProtocol) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
    }

    private static func isWide(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
            return true
        default: return false
        }
    }

    /// Lines of at most `width` cells, broken at spaces; a word longer than the width is cut (after a `/` when it
    /// has one).
    static func wrap(_ text: String, width limit: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var piece = String(word)
            var w = width(piece)
            if lineWidth > 0 && lineWidth + 1 + w <= limit {
                line += " " + piece
                lineWidth += 1 + w
                continue
            }
            if lineWidth > 0 {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            while w > limit {
                var head = ""
                var hw = 0
                var lastSlash: Int?
                for ch in piece {
                    let cw = width(String(ch))
                    if hw + cw > limit { break }
                    head.append(ch)
                    hw += cw
                    if ch == "/" { lastSlash = head.count }
                }
                // A reference such as `certificate/component` breaks after its slash rather than mid-word.
                if let cut = lastSlash, cut < head.count { head = String(head.prefix(cut)) }
                lines.append(head)
                piece = String(piece.dropFirst(head.count))
                w = width(piece)
            }
            line = piece
            lineWidth = w
        }
        if lineWidth > 0 || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// `text` wrapped to `width` cells, the first line after `first`, the others after `rest` (a hanging indent).
    static func paragraph(_ text: String, width limit: Int, first: String = "", rest: String = "") -> String {
        let available = limit - max(width(first), width(rest))
        return wrap(text, width: available).enumerated().map { ($0.offset == 0 ? first : rest) + $0.element }
            .joined(separator: "\n") + "\n"
    }

    /// `text` padded with spaces to `width` cells.
    static func pad(_ text: String, _ cells: Int) -> String {
        text + String(repeating: " ", count: max(0, cells - width(text)))
    }

    /// A table: each row's cells wrapped to the column widths, columns separated by `gap` spaces, every line
    /// starting with `indent`; trailing spaces trimmed.
    static func table(_ rows: [[String]], widths: [Int], indent: String = "", gap: Int = 1) -> String {
        var out = ""
        for row in rows {
            let cells = zip(row, widths).map { wrap($0, width: $1) }
            let height = cells.map(\.count).max() ?? 0
            for i in 0..<height {
                var line = indent
                for (c, cell) in cells.enumerated() {
                    line += pad(i < cell.count ? cell[i] : "", widths[c])
                    if c < cells.count - 1 { line += String(repeating: " ", count: gap) }
                }
                while line.hasSuffix(" ") { line.removeLast() }
                out += line + "\n"
            }
        }
        return out
    }
}
