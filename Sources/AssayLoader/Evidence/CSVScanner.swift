#if canImport(Glibc)
    import Glibc
#endif

/// One record of a mark sheet as ``CSVScanner`` found it: its fields' bytes one after another, each field's
/// place, and what went wrong with its quoting.
struct CSVRecord {
    struct Field {
        /// Offset of the field's bytes in ``CSVRecord/bytes``.
        var start: Int
        var count: Int
        /// Where the field starts in the file (its opening quote, if quoted): line and column (characters).
        var line: Int
        var column: Int
        /// Longer than ``CSVScanner/fieldLimit`` bytes: only the first bytes are kept.
        var isTooLong = false
        /// Line breaks inside the field's quotes (each kept as one LF): the field ends on `line + lineBreaks`.
        var lineBreaks = 0
    }

    /// Why a quote is taken as never closed.
    enum Unclosed: Equatable {
        /// Still open after ``CSVScanner/fieldLimit`` bytes, at the end of a line.
        case tooLong
        /// Still open at the end of the file.
        case endOfFile
        /// Closed, lines later, by a quote followed by other text than a comma or a line's end: that quote opens
        /// another cell, and this one was never closed.
        case strayText(line: Int)
    }

    /// The file's line the record starts on, and its byte offset in the text.
    var line = 0
    var offset = 0
    var bytes: [UInt8] = []
    var fields: [Field] = []
    /// The field (by index) whose opening quote is not closed where it may be: within
    /// ``CSVScanner/fieldLimit`` bytes, before the end of the file, and before a comma or a line's end.
    var unclosedQuote: Int?
    /// Why ``unclosedQuote`` is not closed.
    var unclosedReason = Unclosed.endOfFile
    /// Set when this record follows a quote left open (on this line) and cannot be a row of its own: it has not
    /// the header's number of fields. It is most likely a piece of the broken row, and no candidate's.
    var continues: Int?
    /// Set when the record holds a byte that may belong to a control character (below 0x20, 0x7F, 0xC2, the
    /// lead byte of C1, or 0xE2, that of the direction controls): only then is ``controlCharacter(_:)`` worth asking.
    var mayHoldControl = false
    /// Fields past ``CSVScanner/fieldCountLimit``: counted, not kept.
    var droppedFields = 0
    /// All the fields the record has, kept or not.
    var fieldCount: Int { fields.count + droppedFields }

    /// Ends a field: kept if the record has room for it, else only counted (its bytes let go).
    mutating func finish(_ field: Field) {
        if fields.count < CSVScanner.fieldCountLimit {
            fields.append(field)
        } else {
            droppedFields += 1
            bytes.removeSubrange(field.start...)
        }
    }

    /// Nothing but spaces, tabs and commas.
    var isBlank: Bool {
        unclosedQuote == nil && !fields.contains { $0.isTooLong } && !bytes.contains { $0 != 0x20 && $0 != 0x09 }
    }

    /// The first control character (C0, DEL or C1; a line break too) inside field `i`, spaces and tabs around
    /// it aside (they are trimmed), as its Unicode scalar value.
    func controlCharacter(_ i: Int) -> UInt32? {
        guard mayHoldControl else { return nil }
        let f = fields[i]
        var lo = f.start
        var hi = f.start + f.count
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
        var i = lo
        while i < hi {
            let b = bytes[i]
            if b < 0x20 || b == 0x7F { return UInt32(b) }
            if b == 0xC2, i + 1 < hi, bytes[i + 1] >= 0x80, bytes[i + 1] <= 0x9F { return UInt32(bytes[i + 1]) }
            if b == 0xE2, i + 2 < hi, let d = DirectionControl.scalar(b, bytes[i + 1], bytes[i + 2]) { return d }
            i += 1
        }
        return nil
    }

    func string(_ i: Int) -> String {
        let f = fields[i]
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[f.start..<f.start + f.count]), as: UTF8.self) }
    }

    mutating func reset(line: Int, offset: Int) {
        self.line = line
        self.offset = offset
        bytes.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        unclosedQuote = nil
        unclosedReason = .endOfFile
        continues = nil
        mayHoldControl = false
        droppedFields = 0
    }
}

/// Reads RFC 4180 records from UTF-8 text behind a file descriptor, a 64 KB block at a time, so that memory
/// does not grow with the file; it can be moved to a record's offset (``seek(offset:line:)``) to read the file
/// in another order.
///
/// Fields are separated by commas and may be quoted with `"…"` (a doubled `""` inside is a quote); records end
/// with LF or CRLF. A quoted field may run over line breaks, as RFC 4180 allows, but bounded: its quote must
/// close within ``fieldLimit`` bytes, before the end of the file, and before a comma or a line's end (a quote
/// followed by other text, lines later, opens another cell: this one was never closed). A quote that does not
/// is taken as never closed: the record ends there (``CSVRecord/unclosedQuote``) and reading goes back to the
/// line after the quote's own, so that a stray quote costs one record, never the rest of the file. The lines
/// that follow it and have not the header's number of fields (``expectedFieldCount``) are marked
/// ``CSVRecord/continues``: pieces of the broken row, not rows. No field keeps more than ``fieldLimit`` bytes.
struct CSVScanner {
    /// The most bytes a field keeps (longer fields are marked ``CSVRecord/Field/isTooLong``).
    static let fieldLimit = 4096
    /// The most fields a record keeps (a row of a million commas is counted, not held).
    static let fieldCountLimit = 1024
    private static let blockSize = 1 << 16

    let descriptor: Int32
    /// The header's number of fields, once known: after a quote left open, a record with another number of
    /// fields is marked ``CSVRecord/continues``.
    var expectedFieldCount: Int?
    /// The line of the last quote left open, while the records after it are pieces of its row.
    private(set) var quoteLeftOpen: Int?
    /// Set when reading the file failed (its reason); reading then stops as at the end.
    private(set) var readFailure: String?

    /// Blocks kept: reading an unsorted sheet by its index goes back and forth between a few places of the
    /// file (one a judge, for a sheet sorted by judge), and each keeps its block.
    private static let slots = 8
    private let storage: UnsafeMutablePointer<UInt8>
    private var slotOffsets = [Int](repeating: -1, count: Self.slots)
    private var slotCounts = [Int](repeating: 0, count: Self.slots)
    private var nextVictim = 0
    /// The current block: its slot's bytes, its offset in the file (a multiple of the block size), its size.
    private var block: UnsafeMutablePointer<UInt8>
    private var blockOffset = 0
    private var blockCount = 0
    private var index = 0
    private(set) var line = 1
    private var column = 1

    init(descriptor: Int32, start: Int) {
        self.descriptor = descriptor
        storage = .allocate(capacity: Self.blockSize * Self.slots)
        block = storage
        seek(offset: start, line: 1)
    }

    func deallocate() { storage.deallocate() }

    /// The byte offset of the next byte to read.
    var offset: Int { blockOffset + index }

    /// Goes to `offset` (the start of a record found earlier), which is on `line`.
    mutating func seek(offset: Int, line: Int) {
        let aligned = offset - offset % Self.blockSize
        if aligned != blockOffset || slotOffsets.allSatisfy({ $0 != aligned }) { load(aligned) }
        index = offset - aligned
        self.line = line
        column = 1
        quoteLeftOpen = nil
    }

    /// Makes the block at `aligned` current: from its slot if kept, else read into the oldest slot.
    private mutating func load(_ aligned: Int) {
        blockOffset = aligned
        if let slot = slotOffsets.firstIndex(of: aligned) {
            block = storage + slot * Self.blockSize
            blockCount = slotCounts[slot]
            return
        }
        let slot = nextVictim
        nextVictim = (nextVictim + 1) % Self.slots
        block = storage + slot * Self.blockSize
        blockCount = 0
        slotOffsets[slot] = -1
        guard readFailure == nil else { return }
        var n = 0
        while n < Self.blockSize {
            let r = pread(descriptor, block + n, Self.blockSize - n, off_t(aligned + n))
            if r < 0 && errno == EINTR { continue }
            if r < 0 { readFailure = String(cString: strerror(errno)) }
            if r <= 0 { break }
            n += r
        }
        blockCount = n
        slotOffsets[slot] = aligned
        slotCounts[slot] = n
    }

    @inline(__always)
    private mutating func peek() -> UInt8? {
        if index >= blockCount && !refill() { return nil }
        return block[index]
    }

    /// The next byte; counts columns (a character is counted at its first byte).
    @inline(__always)
    private mutating func next() -> UInt8? {
        if index >= blockCount && !refill() { return nil }
        let b = block[index]
        index += 1
        if b & 0xC0 != 0x80 { column += 1 }
        return b
    }

    /// Moves to the next block; false at the end of the file (the current block was not full).
    private mutating func refill() -> Bool {
        guard blockCount == Self.blockSize, index >= blockCount else { return false }
        load(blockOffset + Self.blockSize)
        index = 0
        return blockCount > 0
    }

    @inline(__always)
    private mutating func newLine() {
        line += 1
        column = 1
    }

    /// Reads the next record into `record`, and marks it ``CSVRecord/continues`` if it is a piece of the row of
    /// a quote left open; false at the end of the text.
    mutating func next(_ record: inout CSVRecord) -> Bool {
        let open = quoteLeftOpen
        guard read(&record) else { return false }
        quoteLeftOpen = open  // (reading goes back after a quote left open, which is not a seek to a new place)
        if let open, let count = expectedFieldCount, !record.isBlank {
            if record.fieldCount != count {
                record.continues = open
                return true
            }
            quoteLeftOpen = nil
        }
        if record.unclosedQuote != nil { quoteLeftOpen = record.line }
        return true
    }

    /// Reads the next record into `record`; false at the end of the text.
    private mutating func read(_ record: inout CSVRecord) -> Bool {
        guard peek() != nil else { return false }
        record.reset(line: line, offset: offset)
        var field = CSVRecord.Field(start: 0, count: 0, line: line, column: column)
        var quotedAlready = false
        func append(_ b: UInt8, to record: inout CSVRecord, _ field: inout CSVRecord.Field) {
            if field.count < Self.fieldLimit {
                record.bytes.append(b)
                field.count += 1
            } else {
                field.isTooLong = true
            }
        }
        func startField(_ record: inout CSVRecord) -> CSVRecord.Field {
            CSVRecord.Field(start: record.bytes.count, count: 0, line: line, column: column)
        }
        while let b = next() {
            switch b {
            case 0x22 where field.count == 0 && !quotedAlready && !field.isTooLong:
                quotedAlready = true
                let fieldIndex = record.fields.count
                /// The line after the quote's own, to read again from if the quote turns out never closed.
                var afterFirstBreak: (offset: Int, line: Int)?
                var unclosed: CSVRecord.Unclosed?
                quoted: while true {
                    guard let q = next() else {
                        unclosed = .endOfFile
                        break quoted
                    }
                    switch q {
                    case 0x22:
                        let after = peek()
                        if after == 0x22 {
                            _ = next()
                            append(0x22, to: &record, &field)
                            continue quoted
                        }
                        if field.lineBreaks > 0, let a = after, a != 0x2C, a != 0x0A, a != 0x0D, a != 0x20, a != 0x09 {
                            unclosed = .strayText(line: line)
                        }
                        break quoted
                    case 0x0A, 0x0D:
                        if q == 0x0D, peek() == 0x0A { _ = next() }
                        newLine()
                        if afterFirstBreak == nil { afterFirstBreak = (offset, line) }
                        if field.isTooLong {
                            unclosed = .tooLong
                            break quoted
                        }
                        field.lineBreaks += 1
                        append(0x0A, to: &record, &field)
                    default:
                        if q < 0x20 || q == 0x7F || q == 0xC2 || q == 0xE2 { record.mayHoldControl = true }
                        append(q, to: &record, &field)
                        if field.isTooLong, afterFirstBreak != nil {
                            unclosed = .tooLong
                            break quoted
                        }
                    }
                }
                if let unclosed {
                    if fieldIndex < Self.fieldCountLimit {
                        record.unclosedQuote = fieldIndex
                        record.unclosedReason = unclosed
                    }
                    record.finish(field)
                    if let again = afterFirstBreak { seek(offset: again.offset, line: again.line) }
                    return true
                }
            case 0x2C:
                record.finish(field)
                field = startField(&record)
                quotedAlready = false
            case 0x0D, 0x0A:
                if b == 0x0D, peek() == 0x0A { _ = next() }
                newLine()
                record.finish(field)
                return true
            case 0x00...0x1F, 0x7F, 0xC2, 0xE2:
                record.mayHoldControl = true
                append(b, to: &record, &field)
            default:
                append(b, to: &record, &field)
            }
        }
        record.finish(field)
        return true
    }
}
