import AssayLoader
import AssayModel
import Foundation

/// `assay validate FILE...`: checks rubric files and prints every problem as `path:line:col: severity: message [code]`.
enum ValidateCommand {
    static let help = """
        USAGE: assay validate [--format text|json] [--plugins DIR] [--quiet] RUBRIC...

        Checks each rubric file and reports every problem in one run:
          - the XML itself (well-formed; no DOCTYPE, entities or external files are ever read),
          - the rubric schema (rubrics/schema/rubric.xsd: element names, order, required attributes, value types),
          - the meaning: unique ids, references to requirements, courses, competitions, certificates, levels,
            components, awards and nodes; weights that add up to 100; scorers and their parameters (built-in and
            plugin scorers); maxima and pass marks; award quotas; certificate level order; recognition rules that
            can never fire or go round in a circle.

        Each problem is printed as
          path:line:column: error|warning: message [code]
              hint: what to do
        (the form editors and CI annotate; the column is left out when only the line is known).

        OPTIONS:
          --format text|json  text (default) or JSON with the same diagnostics
          --plugins DIR       folder of plugins whose scorers rubrics may use as plugin:NAME (default: ./plugins)
          --quiet             print only errors and warnings, no summary
          -h, --help          show this help

        EXIT: 0 no errors (warnings allowed), 1 at least one error, 2 wrong usage.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(arguments, options: ["--format", "--plugins"], flags: ["--quiet"])
        let format = try args.choice("--format", ["text", "json"], default: "text")
        guard !args.positional.isEmpty else { throw UsageError("validate needs at least one rubric file") }

        let pluginDirectory = args.value("--plugins") ?? "plugins"
        if args.value("--plugins") != nil, !FileManager.default.fileExists(atPath: pluginDirectory) {
            throw UsageError("the plugins folder '\(pluginDirectory)' does not exist")
        }
        let (plugins, pluginDiagnostics) = PluginManifestLoader.loadAll(in: pluginDirectory)
        let loader = RubricLoader(plugins: plugins)

        var files: [FileReport] = []
        var all = pluginDiagnostics
        for path in args.positional {
            let result = loader.load(path)
            all += result.diagnostics
            files.append(
                FileReport(
                    path: path, program: result.program?.id, errors: result.diagnostics.errorCount,
                    warnings: result.diagnostics.warningCount, meaningChecked: !result.meaningChecksSkipped))
        }

        switch format {
        case "json":
            output.out(try json(files: files, diagnostics: all))
        default:
            for d in all {
                output.line(d.formatted)
                if !d.hint.isEmpty { output.line("    hint: \(d.hint)") }
            }
            if !args.has("--quiet") {
                output.line(summary(files: files, diagnostics: all))
            }
        }
        return all.errorCount > 0 ? AssayCommand.ExitCode.checkFailed : AssayCommand.ExitCode.ok
    }

    struct FileReport: Encodable {
        var path: String
        var program: String?
        var errors: Int
        var warnings: Int
        var meaningChecked: Bool
    }

    static func summary(files: [FileReport], diagnostics: [Diagnostic]) -> String {
        let e = diagnostics.errorCount
        let w = diagnostics.warningCount
        let noun = files.count == 1 ? "rubric" : "rubrics"
        let failing = files.filter { $0.errors > 0 }.count
        var s = "checked \(files.count) \(noun): \(plural(e, "error")), \(plural(w, "warning"))"
        if failing > 0 { s += " (\(failing) of \(files.count) with errors)" }
        let skipped = files.filter { !$0.meaningChecked && $0.errors > 0 }.map(\.path)
        if !skipped.isEmpty {
            s += "\nnot yet checked for meaning (fix the XML and schema errors first): " + skipped.joined(separator: ", ")
        }
        return s
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    static func json(files: [FileReport], diagnostics: [Diagnostic]) throws -> String {
        struct JSONDiagnostic: Encodable {
            var file: String
            var line: Int
            var column: Int?
            var severity: String
            var code: String
            var message: String
            var hint: String
        }
        struct Report: Encodable {
            var files: [FileReport]
            var diagnostics: [JSONDiagnostic]
            var errors: Int
            var warnings: Int
        }
        let report = Report(
            files: files,
            diagnostics: diagnostics.map {
                JSONDiagnostic(
                    file: $0.location.file, line: $0.location.line, column: $0.location.column,
                    severity: $0.severity.rawValue, code: $0.code, message: $0.message, hint: $0.hint)
            }, errors: diagnostics.errorCount, warnings: diagnostics.warningCount)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }
}
