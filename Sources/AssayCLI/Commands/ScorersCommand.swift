import AssayLoader
import AssayModel

/// `assay scorers`: the built-in scorers (and installed plugin scorers) with their parameters.
enum ScorersCommand {
    static let help = """
        USAGE: assay scorers [--plugins DIR]

        Lists every scorer a rubric node may name in scorer="…": the built-in ones and those offered by
        installed plugins (written plugin:NAME), each with where it may stand in a scoring tree and its parameters.

        OPTIONS:
          --plugins DIR  folder of plugins (default: ./plugins)
          -h, --help     show this help

        EXIT: 0 listed (a plugin whose manifest has errors is reported on standard error and left out), 2 wrong
        usage.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(arguments, options: ["--plugins"], flags: [])
        guard args.positional.isEmpty else { throw UsageError("scorers takes no file arguments") }
        let (plugins, diagnostics) = PluginManifestLoader.loadAll(in: args.value("--plugins") ?? "plugins")
        for d in diagnostics { output.err(d.formatted + "\n") }
        var entries = BuiltinScorers.all.map { ($0.id, $0) }
        for p in plugins { entries += p.scorers.map { ("plugin:\($0.id)", $0) } }
        for (name, s) in entries {
            let place: String
            switch s.placement {
            case .leaf: place = "reads evidence"
            case .inner: place = "combines children"
            case .either: place = "reads evidence or combines children"
            }
            output.line("\(name) (\(place))")
            output.line("    \(s.summary)")
            for p in s.parameters {
                output.line("    - \(p.name)\(p.required ? " (required)" : ""): \(p.summary); \(p.type.description)")
            }
        }
        return AssayCommand.ExitCode.ok
    }
}
