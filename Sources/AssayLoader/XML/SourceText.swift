import AssayModel
import Foundation

/// The bytes of an input file with a line index, for turning byte offsets into `line:column`.
struct SourceText: Sendable {
    let file: String
    let bytes: [UInt8]
    /// Byte offset at which each line starts (line 1 at index 0).
    private let lineStarts: [Int]

    init(data: Data, file: String) {
        self.file = file
        self.bytes = [UInt8](data)
        var starts = [0]
        starts.reserveCapacity(bytes.count / 40 + 1)
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// 1-based line and character column of a byte offset.
    func location(ofOffset offset: Int) -> SourceLocation {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        var column = 1
        var i = lineStarts[lo]
        let end = min(offset, bytes.count)
        while i < end {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        // Skip a UTF-8 byte-order mark at the very start: editors do not count it.
        if lo == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]), offset >= 3 { column -= 1 }
        return SourceLocation(file: file, line: lo + 1, column: column)
    }

    /// The character column of the last occurrence of `needle` on `line` that starts before `column`
    /// (or anywhere on the line when `column` is nil).
    func find(_ needle: String, onLine line: Int, before column: Int?) -> Int? {
        guard line >= 1, line <= lineStarts.count else { return nil }
        let start = lineStarts[line - 1]
        let end = line < lineStarts.count ? lineStarts[line] : bytes.count
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        var best: Int?
        var searchRange = text.startIndex..<text.endIndex
        while let r = text.range(of: needle, range: searchRange) {
            let col = text.unicodeScalars.distance(from: text.startIndex, to: r.lowerBound) + 1
            if let column, col >= column { break }
            best = col
            searchRange = r.upperBound..<text.endIndex
        }
        return best
    }

    /// The indentation of the line holding `offset` (its character column) when only spaces and tabs come
    /// before `offset` on that line; nil when something else does.
    func indentation(at offset: Int) -> Int? {
        guard offset >= 0, offset < bytes.count else { return nil }
        var i = offset - 1
        while i >= 0, bytes[i] != UInt8(ascii: "\n") {
            guard bytes[i] == 0x20 || bytes[i] == 0x09 else { return nil }
            i -= 1
        }
        return offset - i
    }

    /// Byte offset at which `line` (1-based) starts; the end of the text past the last line.
    func offset(ofLine line: Int) -> Int {
        line >= 1 && line <= lineStarts.count ? lineStarts[line - 1] : bytes.count
    }

    /// Offsets of every end tag `</name>` (its `<`) in `range`.
    func endTags(named name: String, in range: Range<Int>) -> [Int] {
        let needle = Array("</\(name)".utf8)
        var out: [Int] = []
        var i = max(range.lowerBound, 0)
        let end = min(range.upperBound, bytes.count) - needle.count
        while i <= end {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) {
                let after = i + needle.count
                if after >= bytes.count || bytes[after] == UInt8(ascii: ">") || bytes[after] == 0x20 || bytes[after] == 0x09
                    || bytes[after] == 0x0A || bytes[after] == 0x0D
                {
                    out.append(i)
                }
            }
            i += 1
        }
        return out
    }

    /// Whether the start tag beginning at `offset` (its `<`) ends with `/>`.
    func isSelfClosing(startTagAt offset: Int) -> Bool {
        let end = endOfTag(at: offset)  // just past its '>', or the end of the file when it has none
        return end <= bytes.count && end - 2 > offset && bytes[end - 1] == UInt8(ascii: ">") && bytes[end - 2] == UInt8(ascii: "/")
    }

    /// A tag that begins a line: where its `<` is, its indentation, whether it is an end tag, its name.
    struct LineTag: Sendable, Equatable {
        let offset: Int
        let indentation: Int
        let isEnd: Bool
        let name: String
    }

    /// The first tag after the start tag at `offset` (its `<`) that begins a line at an indentation of at most
    /// `indentation`, looking no further than `limit`; comments, CDATA sections and processing instructions are
    /// skipped. Nil when there is none, or when an end tag `</name>` that does not begin a line comes first
    /// (the element was closed on a line with other content, as in `<name>text</name>`).
    func nextLineTag(afterStartTagAt offset: Int, named name: String, indentationAtMost indentation: Int, before limit: Int) -> LineTag? {
        let end = min(limit, bytes.count)
        var i = endOfTag(at: offset)
        while i < end {
            guard bytes[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            if starts(with: "<!--", at: i) {
                i = skip(past: "-->", from: i + 4)
                continue
            }
            if starts(with: "<![CDATA[", at: i) {
                i = skip(past: "]]>", from: i + 9)
                continue
            }
            if starts(with: "<?", at: i) {
                i = skip(past: "?>", from: i + 2)
                continue
            }
            if starts(with: "<!", at: i) {
                i = endOfTag(at: i)
                continue
            }
            let isEnd = i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "/")
            var nameEnd = i + (isEnd ? 2 : 1)
            let nameStart = nameEnd
            while nameEnd < bytes.count, ![0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/")].contains(bytes[nameEnd]) {
                nameEnd += 1
            }
            let tagName = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
            if let indent = self.indentation(at: i) {
                if indent <= indentation { return LineTag(offset: i, indentation: indent, isEnd: isEnd, name: tagName) }
            } else if isEnd && tagName == name {
                return nil
            }
            i = endOfTag(at: i)
        }
        return nil
    }

    private func starts(with prefix: String, at offset: Int) -> Bool {
        let p = Array(prefix.utf8)
        return offset + p.count <= bytes.count && bytes[offset..<(offset + p.count)].elementsEqual(p)
    }

    /// The offset just past the first `terminator` at or after `from` (the end of the text when there is none).
    private func skip(past terminator: String, from: Int) -> Int {
        var i = from
        while i < bytes.count {
            if starts(with: terminator, at: i) { return i + terminator.utf8.count }
            i += 1
        }
        return bytes.count
    }

    /// The offset just past the `>` that ends the tag beginning at `offset` (quoted `>` skipped).
    private func endOfTag(at offset: Int) -> Int {
        var i = offset + 1
        var quote: UInt8?
        while i < bytes.count {
            let b = bytes[i]
            if let q = quote {
                if b == q { quote = nil }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: ">") {
                return i + 1
            }
            i += 1
        }
        return bytes.count
    }

    func lastIndex(of byte: UInt8, before offset: Int) -> Int? {
        var i = min(offset, bytes.count) - 1
        while i >= 0 {
            if bytes[i] == byte { return i }
            i -= 1
        }
        return nil
    }

    /// Locations of a start tag beginning at `offset` (its `<`) and of each of its attributes, found in one
    /// pass that counts lines and columns as it goes.
    func origin(ofStartTagAt offset: Int) -> Origin {
        let start = location(ofOffset: offset)
        var line = start.line
        var column = start.column ?? 1
        var attributes: [String: SourceLocation] = [:]
        var i = offset
        let n = bytes.count
        // Advances one byte, keeping line and (character) column.
        func step() {
            if bytes[i] == 0x0A {
                line += 1
                column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        step()
        while i < n, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">"), bytes[i] != UInt8(ascii: "/") { step() }
        while i < n {
            while i < n, isSpace(bytes[i]) { step() }
            guard i < n, bytes[i] != UInt8(ascii: ">"), bytes[i] != UInt8(ascii: "/") else { break }
            let nameStart = i
            let nameLocation = SourceLocation(file: file, line: line, column: column)
            while i < n, bytes[i] != UInt8(ascii: "="), !isSpace(bytes[i]) { step() }
            let name = String(decoding: bytes[nameStart..<i], as: UTF8.self)
            while i < n, isSpace(bytes[i]) || bytes[i] == UInt8(ascii: "=") { step() }
            guard i < n else { break }
            let quote = bytes[i]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { break }
            step()
            while i < n, bytes[i] != quote { step() }
            if i < n { step() }
            attributes[name] = nameLocation
        }
        return Origin(element: start, attributes: attributes)
    }
}
