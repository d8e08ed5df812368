import Foundation

/// The `assay` command line: one executable, one sub-command per job (DESIGN.md, "CLI surface").
///
/// Exit codes: 0 ok, 1 the input failed a check, 2 wrong usage, 3 internal error.
public enum AssayCommand {
    public enum ExitCode {
        public static let ok: Int32 = 0
        public static let checkFailed: Int32 = 1
        public static let usage: Int32 = 2
        public static let internalError: Int32 = 3
    }

    static let commands: [(name: String, summary: String)] = [
        ("validate", "check rubric files: XML, schema and meaning (references, weights, scorers, rules)"),
        ("score", "score candidates' evidence (XML, CSV mark sheets): outcomes with reasons, --explain for the trace"),
        ("results", "a competition's result sheet: standings, awards, judges' consistency (text, csv, json, xml, html)"),
        ("recognize", "recognise credit from certificates, awards and course results: each rule's decision with its reason"),
        ("scorers", "list the built-in scorers and their parameters"),
        ("keygen", "make an issuer key for signing records (Ed25519 or RSA), printed as a did:key"),
        ("records", "list the records in a ledger, by candidate, course or status"),
        ("verify", "verify records: signature, Open Badges 3.0 schema, the ledger's hash chain, revocation"),
        ("revoke", "revoke a record in the ledger, with a reason"),
        ("export", "a record's credential JSON and signed VC-JWT, for the candidate or another institution"),
        ("plugins", "list the installed scorer plugins, or check them: handshake and self-tests"),
        ("matrix", "the integration matrix: which requirements courses teach, competitions test, certificates attest; gaps"),
        ("export-case", "the program as a 1EdTech CASE 1.0 package (JSON)"),
        ("diff", "what-if: which outcomes, awards and recognitions change between two rubric versions"),
    ]

    static var help: String {
        var s = """
            assay — post–course–competition–certificate integration

            Maps a program's job requirements (posts) to the courses that teach them, the competitions that
            test them and the certificates that attest them, scores evidence, and recognises credit.

            USAGE: assay <command> [options]

            COMMANDS:

            """
        for c in commands { s += "  " + c.name.padding(toLength: 13, withPad: " ", startingAt: 0) + c.summary + "\n" }
        s += """

            Run 'assay <command> --help' for a command's options.
            Exit codes: 0 ok, 1 an input failed a check, 2 wrong usage, 3 internal error.

            """
        return s
    }

    /// Runs the command line `arguments` (without the program name), writing to `output`; returns the exit code.
    public static func run(_ arguments: [String], output: Output = .standard()) -> Int32 {
        guard let first = arguments.first else {
            output.err(help)
            return ExitCode.usage
        }
        let rest = Array(arguments.dropFirst())
        do {
            switch first {
            case "-h", "--help", "help":
                if let topic = rest.first, let text = commandHelp(topic) {
                    output.out(text)
                } else {
                    output.out(help)
                }
                return ExitCode.ok
            case "validate": return try ValidateCommand.run(rest, output: output)
            case "scorers": return try ScorersCommand.run(rest, output: output)
            case "score": return try ScoreCommand.run(rest, output: output)
            case "results": return try ResultsCommand.run(rest, output: output)
            case "plugins": return try PluginsCommand.run(rest, output: output)
            case "diff": return try DiffCommand.run(rest, output: output)
            case "export-case": return try ExportCaseCommand.run(rest, output: output)
            case "matrix": return try MatrixCommand.run(rest, output: output)
            case "recognize": return try RecognizeCommand.run(rest, output: output)
            case "keygen": return try KeygenCommand.run(rest, output: output)
            case "records": return try RecordsCommand.run(rest, output: output)
            case "verify": return try VerifyCommand.run(rest, output: output)
            case "revoke": return try RevokeCommand.run(rest, output: output)
            case "export": return try ExportCommand.run(rest, output: output)
            default:
                throw UsageError("unknown command '\(first)'")
            }
        } catch let usage as UsageError {
            output.err("assay: \(usage.message)\nRun 'assay --help' for usage.\n")
            return ExitCode.usage
        } catch {
            output.err("assay: internal error: \(error)\n")
            return ExitCode.internalError
        }
    }

    static func commandHelp(_ name: String) -> String? {
        switch name {
        case "validate": return ValidateCommand.help
        case "scorers": return ScorersCommand.help
        case "score": return ScoreCommand.help
        case "results": return ResultsCommand.help
        case "plugins": return PluginsCommand.help
        case "diff": return DiffCommand.help
        case "export-case": return ExportCaseCommand.help
        case "matrix": return MatrixCommand.help
        case "recognize": return RecognizeCommand.help
        case "keygen": return KeygenCommand.help
        case "records": return RecordsCommand.help
        case "verify": return VerifyCommand.help
        case "revoke": return RevokeCommand.help
        case "export": return ExportCommand.help
        default: return nil
        }
    }
}
