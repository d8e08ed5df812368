/// One problem found in an input, in the words of the person who wrote it.
///
/// Every diagnostic has a stable `code` (kebab-case, never reworded: scripts and tests match on it), a
/// `message` that says what is wrong and a `hint` that says what to do about it.
public struct Diagnostic: Sendable, Hashable {
    /// How serious a problem is. Errors make `assay validate` exit 1; warnings do not.
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error
        case warning

        public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
    }

    public var severity: Severity
    /// Stable identifier of the check, e.g. `duplicate-id`.
    public var code: String
    public var message: String
    /// What to do about it; may be empty.
    public var hint: String
    public var location: SourceLocation

    public init(_ severity: Severity, _ code: String, _ message: String, hint: String = "", at location: SourceLocation) {
        self.severity = severity
        self.code = code
        self.message = message
        self.hint = hint
        self.location = location
    }

    /// `path:line:col: error: message [code]`.
    public var formatted: String {
        "\(location.description): \(severity.rawValue): \(message) [\(code)]"
    }
}

extension Array where Element == Diagnostic {
    /// Diagnostics in reading order: by file, line, column, then code and message (deterministic).
    public func sortedForReading() -> [Diagnostic] {
        sorted { a, b in
            if a.location != b.location { return a.location < b.location }
            if a.code != b.code { return a.code < b.code }
            return a.message < b.message
        }
    }

    public var errorCount: Int { filter { $0.severity == .error }.count }
    public var warningCount: Int { filter { $0.severity == .warning }.count }
}
