import AssayLoader
import AssayModel
import Foundation

/// A rubric that loaded with no errors, and the plugins found beside it: what every command after `validate`
/// starts from (score, results, recognize, matrix, diff, export-case).
struct ValidRubric {
    let program: Program
    /// The plugin manifests found in the plugins folder (their scorers may be named by the rubric).
    let plugins: [PluginManifest]

    /// Loads the rubric at `path` with the plugins in `pluginDirectory` (default `./plugins`). When the rubric
    /// has errors, prints them with the plugins folder's own problems and the advice to run `assay validate`,
    /// and returns nil (the command then exits 1).
    static func load(_ path: String, pluginDirectory: String?, output: Output) -> ValidRubric? {
        let (plugins, pluginDiagnostics) = PluginManifestLoader.loadAll(in: pluginDirectory ?? "plugins")
        let loaded = RubricLoader(plugins: plugins).load(path)
        guard let program = loaded.validProgram else {
            for d in pluginDiagnostics + loaded.diagnostics { output.err(d.formatted + "\n") }
            if let notXML = loaded.diagnostics.first(where: { ["not-xml", "wrong-root"].contains($0.code) }) {
                // Not a rubric at all (often the arguments in the wrong order): validating it would not help.
                output.err("    hint: \(notXML.hint)\n")
                return nil
            }
            output.err("assay: the rubric has errors; run 'assay validate \(path)' and fix them first\n")
            return nil
        }
        return ValidRubric(program: program, plugins: plugins)
    }
}
