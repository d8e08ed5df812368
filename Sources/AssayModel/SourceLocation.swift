/// A place in an input file that a person can open in an editor.
///
/// Lines and columns count from 1. Columns count characters (Unicode scalars), not bytes, so a
/// Chinese title before an error does not shift the caret. `column` is `nil` where the source of the
/// diagnostic (for example libxml2's schema validator) gives only a line: Assay never invents one.
public struct SourceLocation: Sendable, Hashable, Comparable {
    /// The file as the user named it on the command line.
    public var file: String
    /// 1-based line, or 0 when nothing more precise than the file is known.
    public var line: Int
    /// 1-based column in characters, when known.
    public var column: Int?

    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column` (or `file:line`, or `file` when the line is unknown) — the form editors and CI annotate.
    public var description: String {
        guard line > 0 else { return file }
        if let column { return "\(file):\(line):\(column)" }
        return "\(file):\(line)"
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.line != b.line { return a.line < b.line }
        return (a.column ?? 0) < (b.column ?? 0)
    }
}
