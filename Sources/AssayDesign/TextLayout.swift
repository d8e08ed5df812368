import AssayModel
import Foundation

/// Plain-text layout for terminal output: word wrapping and tables whose cells wrap inside fixed widths, so
/// that reports fit a given number of columns. Widths are terminal cells as ``TextTable`` measures them: a
/// CJK character in a title takes two, a combining mark none.
enum TextLayout {
    /// Terminal cells `text` takes (``TextTable/width(_:)-swift.type.method``).
    static func width(_ text: some StringProtocol) -> Int { TextTable.width(text) }

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

    /// A table: each row's cells wrapped to the column widths, columns separated by `gap` spaces, every line
    /// starting with `indent`; no padding at the end of a line.
    static func table(_ rows: [[String]], widths: [Int], indent: String = "", gap: Int = 1) -> String {
        let layout = TextTable(gap: gap, indent: indent)
        var out = ""
        for row in rows {
            let cells = zip(row, widths).map { wrap($0, width: $1) }
            let height = cells.map(\.count).max() ?? 0
            for i in 0..<height {
                out += layout.line(cells.map { i < $0.count ? $0[i] : "" }, widths: widths) + "\n"
            }
        }
        return out
    }
}
