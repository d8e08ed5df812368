import AssayModel
import Foundation

/// Reads plugin manifests (`plugins/<name>/plugin.xml`, namespace `urn:assay:plugin:1`).
public enum PluginManifestLoader {
    static let schema = XMLSchema(xsd: EmbeddedSchemas.plugin, namespace: "urn:assay:plugin:1")

    /// Every manifest found one level below `directory` (each subfolder with a `plugin.xml`), sorted by name.
    /// A missing directory yields no plugins and no diagnostics.
    public static func loadAll(in directory: String) -> (manifests: [PluginManifest], diagnostics: [Diagnostic]) {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: directory) else { return ([], []) }
        var manifests: [PluginManifest] = []
        var diagnostics: [Diagnostic] = []
        for entry in entries.sorted() {
            let path = (directory as NSString).appendingPathComponent(entry + "/plugin.xml")
            guard fm.fileExists(atPath: path) else { continue }
            let (manifest, d) = load(path)
            diagnostics += d
            if let manifest {
                if let earlier = manifests.first(where: { $0.name == manifest.name }) {
                    diagnostics.append(
                        Diagnostic(
                            .error, "plugin-duplicate", "two plugins are named '\(manifest.name)'",
                            hint: "the other is at \(earlier.origin.element.description); rename one",
                            at: manifest.origin.at("name")))
                } else {
                    manifests.append(manifest)
                }
            }
        }
        return (manifests, diagnostics)
    }

    /// Reads one manifest.
    public static func load(_ path: String) -> (PluginManifest?, [Diagnostic]) {
        let (document, diagnostics) = XMLInput.load(path: path, schema: schema, rootName: "plugin", what: "a plugin manifest")
        guard let document, diagnostics.isEmpty, let rootNode = document.root else { return (nil, diagnostics) }
        let root = Element(node: rootNode, document: document)
        let run = root.child(named: "run")
        let limits = root.child(named: "limits")
        let scorers = root.children(named: "scorer").map { s in
            ScorerSignature(
                id: s.attribute("id") ?? "", summary: s.attribute("summary") ?? "", placement: .leaf,
                parameters: s.children(named: "param").map { p in
                    ParameterSpec(
                        p.attribute("name") ?? "", parameterType(p.attribute("type") ?? "text"),
                        required: p.attribute("required") == "true" || p.attribute("required") == "1",
                        p.attribute("summary") ?? "")
                })
        }
        let manifest = PluginManifest(
            name: root.attribute("name") ?? "", version: root.attribute("version") ?? "",
            protocolVersion: root.attribute("protocol").flatMap { Int($0) } ?? 0,
            executable: run?.attribute("executable") ?? "", arguments: run?.children(named: "arg").map(\.text) ?? [],
            directory: (path as NSString).deletingLastPathComponent, scorers: scorers,
            timeoutMilliseconds: limits?.attribute("timeout-ms").flatMap { Int($0) } ?? 2000,
            maxResponseBytes: limits?.attribute("max-response-bytes").flatMap { Int($0) } ?? 1_048_576,
            maxRestarts: limits?.attribute("max-restarts").flatMap { Int($0) } ?? 3, origin: root.origin)
        return (manifest, [])
    }

    private static func parameterType(_ name: String) -> ParameterType {
        switch name {
        case "decimal": return .decimal
        case "integer": return .integer(min: Int.min)
        case "decimal-list": return .decimalList
        case "table": return .table
        case "boolean": return .boolean
        default: return .text
        }
    }
}
