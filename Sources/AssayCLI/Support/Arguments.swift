import AssayLoader

/// A small command-line parser: `--flag`, `--option VALUE`, `--option=VALUE`, and positional arguments.
/// Assay takes no third-party packages, and its commands need no more than this.
struct Arguments {
    private(set) var positional: [String] = []
    private var options: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// Parses `args` given the option names that take a value and the flags that do not.
    /// Throws ``UsageError`` for an unknown option or a missing value.
    init(_ args: [String], options valued: Set<String>, flags known: Set<String>) throws {
        var i = 0
        var onlyPositional = false
        while i < args.count {
            let arg = args[i]
            i += 1
            if onlyPositional || !arg.hasPrefix("-") || arg == "-" {
                positional.append(arg)
                continue
            }
            if arg == "--" {
                onlyPositional = true
                continue
            }
            var name = arg
            var inline: String?
            if let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inline = String(arg[arg.index(after: eq)...])
            }
            if valued.contains(name) {
                if let inline {
                    options[name, default: []].append(inline)
                } else if i < args.count {
                    options[name, default: []].append(args[i])
                    i += 1
                } else {
                    throw UsageError("\(name) needs a value")
                }
            } else if known.contains(name), inline == nil {
                flags.insert(name)
            } else {
                throw UsageError("unknown option '\(name)'")
            }
        }
    }

    func value(_ name: String) -> String? { options[name]?.last }
    func values(_ name: String) -> [String] { options[name] ?? [] }
    func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// The value of an option restricted to `allowed`, or `default` when absent.
    func choice(_ name: String, _ allowed: [String], default fallback: String) throws -> String {
        guard let v = value(name) else { return fallback }
        guard allowed.contains(v) else {
            throw UsageError("\(name) must be one of \(allowed.joined(separator: ", ")), not '\(v)'")
        }
        return v
    }
}

/// Wrong use of the command line: exit code 2 with the message and a pointer to `--help`.
struct UsageError: Error, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
}

extension Arguments {
    /// `--encoding auto|utf-8|gb18030` (also `utf8`, `gbk`, any case): the character set of CSV mark sheets.
    func markSheetEncoding() throws -> MarkSheetEncoding {
        guard let v = value("--encoding") else { return .automatic }
        switch v.lowercased() {
        case "auto": return .automatic
        case "utf-8", "utf8": return .utf8
        case "gb18030", "gbk", "gb2312": return .gb18030
        default: throw UsageError("--encoding must be one of auto, utf-8, gb18030, not '\(v)'")
        }
    }
}
