import AssayModel
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The character set of a CSV mark sheet.
///
/// Spreadsheets save CSV in the computer's own character set unless told otherwise: Excel on a Chinese
/// Windows saves "CSV (逗号分隔)" as GBK, which GB18030 contains. With ``automatic`` a mark sheet that is
/// valid UTF-8 is read as UTF-8; one that is not, but decodes cleanly as GB18030, is read as GB18030 and a
/// warning says so.
public enum MarkSheetEncoding: String, Sendable, CaseIterable {
    /// UTF-8 when the whole file is valid UTF-8, otherwise GB18030 when it decodes cleanly as that.
    case automatic = "auto"
    /// UTF-8 only (with or without the byte-order mark).
    case utf8 = "utf-8"
    /// GB18030 (and so GBK and GB2312), converted with glibc's `iconv`.
    case gb18030 = "gb18030"
}

/// A value, or the diagnostic that says why there is none.
enum Refusable<Value> {
    case success(Value)
    case failure(Diagnostic)
}

/// A mark sheet's text as UTF-8 bytes behind a file descriptor: the file itself when it is UTF-8, or an
/// unlinked temporary file holding its conversion from GB18030 (converted a block at a time with glibc's
/// `iconv`, so memory does not grow with the file). Readers `pread` it from ``start`` (after a byte-order
/// mark) and may read it more than once.
struct MarkSheetContent {
    let descriptor: Int32
    /// Where the text starts: after the UTF-8 byte-order mark, if any.
    let start: Int
    /// Set when the file was read as GB18030 without being told to: a warning for standard error.
    let note: Diagnostic?

    func close() { _ = Glibc.close(descriptor) }

    /// Opens `path` as UTF-8 text, converting it first when it is (or is said to be) GB18030. A file that is
    /// neither is refused as a whole, with the line and column of its first byte that is not UTF-8.
    static func open(_ path: String, encoding: MarkSheetEncoding) -> Refusable<MarkSheetContent> {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let exists = FileManager.default.fileExists(atPath: path)
            return .failure(
                Diagnostic(
                    .error, "file-unreadable", exists ? "cannot read mark sheet '\(path)'" : "mark sheet '\(path)' does not exist",
                    hint: exists ? "check the file's permissions" : "check the path", at: SourceLocation(file: path, line: 0)))
        }
        var firstBad: (line: Int, column: Int)?
        if encoding != .gb18030 {
            switch validateUTF8(fd) {
            case .valid(let bom): return .success(MarkSheetContent(descriptor: fd, start: bom ? 3 : 0, note: nil))
            case .invalid(let line, let column): firstBad = (line, column)
            case .unreadable(let reason):
                Glibc.close(fd)
                return .failure(
                    Diagnostic(.error, "file-unreadable", "cannot read mark sheet '\(path)': \(reason)", at: SourceLocation(file: path, line: 0)))
            }
        }
        if encoding == .utf8, let firstBad {
            Glibc.close(fd)
            return .failure(
                Diagnostic(
                    .error, "csv-encoding", "the mark sheet is not UTF-8 text (line \(firstBad.line), column \(firstBad.column) is not UTF-8)",
                    hint: "save it from the spreadsheet as \"CSV UTF-8\", or give --encoding gb18030 if it is Chinese Excel's \"CSV (逗号分隔)\"",
                    at: SourceLocation(file: path, line: firstBad.line, column: firstBad.column)))
        }
        let converted = convertFromGB18030(fd)
        Glibc.close(fd)
        switch converted {
        case .success(let out):
            let note =
                encoding == .automatic
                ? Diagnostic(
                    .warning, "csv-encoding-gb18030",
                    "the mark sheet is not UTF-8 text; it was read as GB18030 (GBK), the character set of Chinese Excel's \"CSV (逗号分隔)\"",
                    hint: "check the names in the output; save the sheet as \"CSV UTF-8\", or give --encoding gb18030 to say this is right",
                    at: SourceLocation(file: path, line: 0)) : nil
            return .success(MarkSheetContent(descriptor: out.descriptor, start: out.bom ? 3 : 0, note: note))
        case .failure(let failure):
            if let firstBad {
                return .failure(
                    Diagnostic(
                        .error, "csv-encoding",
                        "the mark sheet is neither UTF-8 nor GB18030 text (line \(firstBad.line), column \(firstBad.column) is not UTF-8)",
                        hint: "save it from the spreadsheet as \"CSV UTF-8\" (Excel: File ▸ Save As ▸ CSV UTF-8) and score that file",
                        at: SourceLocation(file: path, line: firstBad.line, column: firstBad.column)))
            }
            switch failure {
            case .invalid(let line):
                return .failure(
                    Diagnostic(
                        .error, "csv-encoding", "the mark sheet is not GB18030 text (line \(line) has bytes GB18030 does not have)",
                        hint: "give --encoding utf-8 or leave --encoding out if the sheet is UTF-8; otherwise save it as \"CSV UTF-8\"",
                        at: SourceLocation(file: path, line: line)))
            case .system(let reason):
                return .failure(
                    Diagnostic(
                        .error, "file-unreadable", "cannot convert mark sheet '\(path)' from GB18030: \(reason)",
                        hint: "check that TMPDIR is writable and has room", at: SourceLocation(file: path, line: 0)))
            }
        }
    }

    // MARK: - UTF-8

    enum UTF8Check {
        /// Valid; `bom`: it starts with the byte-order mark.
        case valid(bom: Bool)
        /// The first character that is not UTF-8 (columns count characters, as ``SourceLocation`` does).
        case invalid(line: Int, column: Int)
        case unreadable(String)
    }

    /// Checks the whole file, a block at a time, against UTF-8's well-formed byte sequences (Unicode table
    /// 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
    static func validateUTF8(_ fd: Int32) -> UTF8Check {
        let size = 1 << 16
        let block = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { block.deallocate() }
        var offset = 0
        var need = 0
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        var line = 1
        var column = 0
        var leadLine = 1
        var leadColumn = 1
        var bom = false
        while true {
            let n = pread(fd, block, size, off_t(offset))
            if n < 0 {
                if errno == EINTR { continue }
                return .unreadable(String(cString: strerror(errno)))
            }
            if n == 0 { break }
            if offset == 0, n >= 3, block[0] == 0xEF, block[1] == 0xBB, block[2] == 0xBF { bom = true }
            for i in 0..<n {
                let b = block[i]
                if need > 0 {
                    guard b >= low && b <= high else { return .invalid(line: leadLine, column: leadColumn) }
                    need -= 1
                    low = 0x80
                    high = 0xBF
                    continue
                }
                column += 1
                if b < 0x80 {
                    if b == 0x0A {
                        line += 1
                        column = 0
                    }
                    continue
                }
                leadLine = line
                leadColumn = column
                switch b {
                case 0xC2...0xDF: need = 1
                case 0xE0: (need, low) = (2, 0xA0)
                case 0xE1...0xEC, 0xEE...0xEF: need = 2
                case 0xED: (need, high) = (2, 0x9F)
                case 0xF0: (need, low) = (3, 0x90)
                case 0xF1...0xF3: need = 3
                case 0xF4: (need, high) = (3, 0x8F)
                default: return .invalid(line: line, column: column)
                }
            }
            offset += n
        }
        return need > 0 ? .invalid(line: leadLine, column: leadColumn) : .valid(bom: bom)
    }

    // MARK: - GB18030

    enum ConversionFailure: Error {
        /// A byte sequence GB18030 does not have (or the file ends inside one), on this line.
        case invalid(line: Int)
        case system(String)
    }

    /// Converts the whole file from GB18030 to UTF-8 into an unlinked temporary file, a block at a time.
    static func convertFromGB18030(_ fd: Int32) -> Result<(descriptor: Int32, bom: Bool), ConversionFailure> {
        let cd = iconv_open("UTF-8", "GB18030")
        guard Int(bitPattern: cd) != -1 else { return .failure(.system("iconv cannot convert from GB18030 here")) }
        defer { iconv_close(cd) }
        guard let out = temporaryFile() else { return .failure(.system("no temporary file (\(String(cString: strerror(errno))))")) }
        let inSize = 1 << 16
        let outSize = 4 * inSize + 16
        let input = UnsafeMutablePointer<CChar>.allocate(capacity: inSize)
        let output = UnsafeMutablePointer<CChar>.allocate(capacity: outSize)
        defer {
            input.deallocate()
            output.deallocate()
        }
        var readOffset = 0
        var writeOffset = 0
        var carried = 0
        var line = 1
        var bom: Bool?
        func fail(_ f: ConversionFailure) -> Result<(descriptor: Int32, bom: Bool), ConversionFailure> {
            Glibc.close(out)
            return .failure(f)
        }
        while true {
            let n = pread(fd, input + carried, inSize - carried, off_t(readOffset))
            if n < 0 {
                if errno == EINTR { continue }
                return fail(.system(String(cString: strerror(errno))))
            }
            readOffset += n
            let available = carried + n
            if n == 0 && carried > 0 { return fail(.invalid(line: line)) }
            if n == 0 { break }
            var inPointer: UnsafeMutablePointer<CChar>? = input
            var inLeft = available
            var outPointer: UnsafeMutablePointer<CChar>? = output
            var outLeft = outSize
            let result = iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft)
            let consumed = available - inLeft
            for i in 0..<consumed where input[i] == 0x0A { line += 1 }
            if result == -1 && errno == EILSEQ { return fail(.invalid(line: line)) }
            if result == -1 && errno != EINVAL && errno != E2BIG { return fail(.system(String(cString: strerror(errno)))) }
            let produced = outSize - outLeft
            if bom == nil, produced >= 3 {
                bom = UInt8(bitPattern: output[0]) == 0xEF && UInt8(bitPattern: output[1]) == 0xBB && UInt8(bitPattern: output[2]) == 0xBF
            }
            var written = 0
            while written < produced {
                let w = pwrite(out, output + written, produced - written, off_t(writeOffset + written))
                if w < 0 && errno == EINTR { continue }
                guard w > 0 else { return fail(.system("writing the converted sheet failed (\(String(cString: strerror(errno))))")) }
                written += w
            }
            writeOffset += produced
            // An incomplete sequence at the end of the block (EINVAL) goes to the front for the next block.
            carried = inLeft
            if carried > 0 { memmove(input, input + consumed, carried) }
        }
        return .success((out, bom ?? false))
    }

    /// An unlinked temporary file in `TMPDIR` (or /tmp), closed on exec.
    static func temporaryFile() -> Int32? {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((directory + "/assay-marksheet-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }
}
