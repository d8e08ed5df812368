import AssayLoader
import AssayModel
import AssayPlugins
import Foundation

/// `assay plugins [list|check]`: what is installed, and whether each plugin starts, speaks protocol 1 and
/// passes its own self-tests.
enum PluginsCommand {
    static let help = """
        USAGE: assay plugins [list|check] [--plugins DIR]

        list (the default) shows every plugin in the plugins folder: name, version, protocol, and the scorers
        it offers (name them in a rubric as scorer="plugin:ID") with their parameters.

        check starts each plugin as a scoring run would (its own session and process group, the plugin folder
        as working directory, PATH and ASSAY_PLUGIN_RUN as its environment), checks its handshake, sends it the
        self-test cases of its plugin.xml, compares every answer exactly with the expected score, and stops it
        and everything it started. Anything the plugin writes to stderr is shown after its cases.

        OPTIONS:
          --plugins DIR  plugins folder (default: ./plugins)
          -h, --help     show this help

        EXIT: 0 every plugin passed (check) or the list was shown, 1 a manifest has errors or a check failed,
        2 wrong usage.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(arguments, options: ["--plugins"], flags: [])
        guard args.positional.count <= 1 else { throw UsageError("plugins takes one action: list or check") }
        let action = args.positional.first ?? "list"
        guard action == "list" || action == "check" else {
            throw UsageError("plugins takes list or check, not '\(action)'")
        }
        let directory = args.value("--plugins") ?? "plugins"
        if args.value("--plugins") != nil, !FileManager.default.fileExists(atPath: directory) {
            throw UsageError("the plugins folder '\(directory)' does not exist")
        }
        let (manifests, diagnostics) = PluginManifestLoader.loadAll(in: directory)
        for d in diagnostics {
            output.err(d.formatted + "\n")
            if !d.hint.isEmpty { output.err("    hint: \(d.hint)\n") }
        }
        if manifests.isEmpty {
            output.line("no plugins in '\(directory)' (each plugin is a folder with a plugin.xml; see plugins/README.md)")
            return diagnostics.errorCount > 0 || action == "check" ? AssayCommand.ExitCode.checkFailed : AssayCommand.ExitCode.ok
        }
        if action == "list" {
            for m in manifests {
                output.line("\(m.name) \(m.version) (protocol \(m.protocolVersion)) — \(m.directory)")
                output.line("    runs \(([m.executable] + m.arguments).joined(separator: " ")); timeout \(m.timeoutMilliseconds) ms, responses up to \(m.maxResponseBytes) bytes, \(m.maxRestarts) restarts; \(m.selfTests.count) self-test\(m.selfTests.count == 1 ? "" : "s")")
                for s in m.scorers {
                    output.line("    plugin:\(s.id) — \(s.summary)")
                    for p in s.parameters {
                        output.line("      - \(p.name)\(p.required ? " (required)" : ""): \(p.summary); \(p.type.description)")
                    }
                }
            }
            return diagnostics.errorCount > 0 ? AssayCommand.ExitCode.checkFailed : AssayCommand.ExitCode.ok
        }
        var passedCases = 0
        var allCases = 0
        var failedPlugins = 0
        for m in manifests {
            let check = PluginCheck.run(m)
            output.line("\(m.name) \(m.version): handshake \(check.handshakeProblem.map { "failed: \($0)" } ?? "ok (protocol \(m.protocolVersion))")")
            for c in check.cases {
                output.line("  \(c.passed ? "pass" : "FAIL")  \(c.name): \(c.detail)")
            }
            for d in check.diagnostics { output.err(d + "\n") }
            passedCases += check.cases.filter(\.passed).count
            allCases += check.cases.count
            if !check.passed { failedPlugins += 1 }
        }
        let noun = manifests.count == 1 ? "plugin" : "plugins"
        output.line(
            "checked \(manifests.count) \(noun): \(passedCases) of \(allCases) self-tests passed"
                + (failedPlugins > 0 ? ", \(failedPlugins) of \(manifests.count) failed" : ""))
        return failedPlugins > 0 || diagnostics.errorCount > 0 ? AssayCommand.ExitCode.checkFailed : AssayCommand.ExitCode.ok
    }
}
