import Foundation

/// What a file is, judged from its first bytes, for saying so when it was given in the wrong place: a
/// spreadsheet workbook, UTF-16 text, a CSV mark sheet, or XML (a rubric or something else).
enum FileKind: Equatable {
    /// An Excel workbook: `.xlsx` (a ZIP file) or `.xls` (an OLE compound file).
    case workbook(xlsx: Bool)
    /// UTF-16 text (what Excel saves as "Unicode Text").
    case utf16
    /// Text whose first line has commas and a `candidate` column: a long-form mark sheet.
    case markSheet
    /// XML in the rubric namespace.
    case rubric
    /// Anything else.
    case other

    /// Judges `head`, the file's first bytes (4 KB are plenty).
    init(head: some Collection<UInt8>) {
        let bytes = Array(head.prefix(4096))
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { self = .workbook(xlsx: true); return }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { self = .workbook(xlsx: false); return }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { self = .utf16; return }
        var text = bytes[...]
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        let start = text.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if start.first == UInt8(ascii: "<") {
            self = String(decoding: start, as: UTF8.self).contains("urn:assay:rubric:1") ? .rubric : .other
            return
        }
        let firstLine = String(decoding: start.prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self).lowercased()
        self = firstLine.contains(",") && firstLine.contains("candidate") ? .markSheet : .other
    }

    /// "an Excel workbook (.xlsx, a ZIP file)", …: what to call the file in a message; nil for `.other`.
    var described: String? {
        switch self {
        case .workbook(xlsx: true): "an Excel workbook (.xlsx, a ZIP file)"
        case .workbook(xlsx: false): "an Excel 97–2003 workbook (.xls)"
        case .utf16: "UTF-16 text (what Excel saves as \"Unicode Text\")"
        case .markSheet: "a CSV mark sheet"
        case .rubric: "a rubric"
        case .other: nil
        }
    }
}
