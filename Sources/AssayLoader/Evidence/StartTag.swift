import CLibXML2

/// The start tag libxml2's SAX2 parser has just read, as its input buffer holds it: to say where in the file
/// the tag, or one of its attributes, stands (line and column), for an error about it.
///
/// libxml2 calls back with its cursor on the `>` or `/>` that ends the tag, and with its line and column
/// there. A push parser keeps the whole tag in its buffer while it reads it, so the `<` is found by going back
/// from the cursor (an attribute value never holds a raw `<`). A place's line is the cursor's less the line
/// breaks in between; its column is counted from the line break before it when the buffer still holds one,
/// else from the cursor's column when no line break lies between. Otherwise the column is not known and is
/// left out: never invented. Columns count characters (UTF-8 lead bytes), as ``SourceLocation`` does.
///
/// Only used for errors: finding a place costs a scan of the tag.
struct StartTag {
    private let base: UnsafePointer<xmlChar>
    private let cursor: UnsafePointer<xmlChar>
    private let line: Int
    private let column: Int
    /// The buffer starts at the file's first byte (nothing before it has been dropped).
    private let atFileStart: Bool
    /// The tag's `<`, if the buffer holds it.
    private let open: UnsafePointer<xmlChar>?

    init?(_ ctxt: xmlParserCtxtPtr) {
        guard let input = ctxt.pointee.input, let base = input.pointee.base, let cursor = input.pointee.cur, cursor >= base else {
            return nil
        }
        self.base = base
        self.cursor = cursor
        line = Int(input.pointee.line)
        column = Int(input.pointee.col)
        atFileStart = input.pointee.consumed == 0
        var p = cursor
        while p > base, p.pointee != UInt8(ascii: "<") { p -= 1 }
        open = p.pointee == UInt8(ascii: "<") ? p : nil
    }

    /// Where the tag's `<` is (line, column), or nil if the buffer no longer holds it.
    var start: (line: Int, column: Int?)? { open.map(place) }

    /// Where the attribute written `name` (with its prefix, if any) starts in the tag, or nil.
    func attribute(_ name: String) -> (line: Int, column: Int?)? {
        guard let open else { return nil }
        let wanted = Array(name.utf8)
        var p = open + 1
        func isSpace(_ c: xmlChar) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        // The element's name.
        while p < cursor, !isSpace(p.pointee), p.pointee != UInt8(ascii: "/"), p.pointee != UInt8(ascii: ">") { p += 1 }
        while p < cursor {
            while p < cursor, isSpace(p.pointee) { p += 1 }
            guard p < cursor, p.pointee != UInt8(ascii: "/"), p.pointee != UInt8(ascii: ">") else { return nil }
            let nameStart = p
            while p < cursor, !isSpace(p.pointee), p.pointee != UInt8(ascii: "=") { p += 1 }
            if p - nameStart == wanted.count, wanted.withUnsafeBufferPointer({ memcmp(nameStart, $0.baseAddress!, $0.count) == 0 }) {
                return place(nameStart)
            }
            // Past "=" and the quoted value.
            while p < cursor, p.pointee != UInt8(ascii: "\""), p.pointee != UInt8(ascii: "'") { p += 1 }
            guard p < cursor else { return nil }
            let quote = p.pointee
            p += 1
            while p < cursor, p.pointee != quote { p += 1 }
            p += 1
        }
        return nil
    }

    /// Where text that libxml2 has just handed to its `characters` callback, `p` a place in it, is. libxml2
    /// has counted lines to the end of the text when it calls back (for a CDATA section, to its `]]>`), so the
    /// line is its line less the line breaks after `p`. The column is counted from the line break before `p`
    /// when the text is still in the buffer (libxml2 hands plain text over in place, but copies text it has
    /// decoded or unescaped, and CDATA) and the buffer holds that line break: otherwise it is left out.
    static func place(of p: UnsafePointer<xmlChar>, textEnd: UnsafePointer<xmlChar>, _ ctxt: xmlParserCtxtPtr) -> (line: Int, column: Int?) {
        let input = ctxt.pointee.input
        var breaks = 0
        var q = p
        while q < textEnd {
            if q.pointee == 0x0A { breaks += 1 }
            q += 1
        }
        let line = Int(input?.pointee.line ?? 0) - breaks
        guard let base = input?.pointee.base, let end = input?.pointee.end, p >= base, p < end else { return (line, nil) }
        var lineStart = p
        while lineStart > base, (lineStart - 1).pointee != 0x0A { lineStart -= 1 }
        guard lineStart > base else { return (line, nil) }
        var n = 0
        q = lineStart
        while q < p {
            if q.pointee & 0xC0 != 0x80 { n += 1 }
            q += 1
        }
        return (line, n + 1)
    }

    /// The line and column of `p`, a place between the buffer's start and the cursor.
    private func place(_ p: UnsafePointer<xmlChar>) -> (line: Int, column: Int?) {
        func characters(_ from: UnsafePointer<xmlChar>, _ to: UnsafePointer<xmlChar>) -> Int {
            var n = 0
            var q = from
            while q < to {
                if q.pointee & 0xC0 != 0x80 { n += 1 }
                q += 1
            }
            return n
        }
        var breaks = 0
        var q = p
        while q < cursor {
            if q.pointee == 0x0A { breaks += 1 }
            q += 1
        }
        var lineStart = p
        while lineStart > base, (lineStart - 1).pointee != 0x0A { lineStart -= 1 }
        if lineStart == base, atFileStart {
            // The first line of the file: a UTF-8 byte-order mark is no column.
            if p - base >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { lineStart += 3 }
            return (line - breaks, characters(lineStart, p) + 1)
        }
        if lineStart > base { return (line - breaks, characters(lineStart, p) + 1) }
        // No line break before it in the buffer: from the cursor's column, if on the cursor's line.
        return (line - breaks, breaks == 0 && column > 0 ? column - characters(p, cursor) : nil)
    }
}
