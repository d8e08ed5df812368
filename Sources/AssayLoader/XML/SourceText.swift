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
        var i = offset + 1
        var quote: UInt8?
        while i < bytes.count {
            let b = bytes[i]
            if let q = quote {
                if b == q { quote = nil }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: ">") {
                return i > offset && bytes[i - 1] == UInt8(ascii: "/")
            }
            i += 1
        }
        return false
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
