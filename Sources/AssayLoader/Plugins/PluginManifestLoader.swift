public import AssayModel
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
            startTimeoutMilliseconds: limits?.attribute("start-timeout-ms").flatMap { Int($0) } ?? 10_000,
            maxResponseBytes: limits?.attribute("max-response-bytes").flatMap { Int($0) } ?? 1_048_576,
            maxRestarts: limits?.attribute("max-restarts").flatMap { Int($0) } ?? 3,
            environment: run?.children(named: "env").compactMap { $0.attribute("name") } ?? [],
            selfTests: root.children(named: "self-test").map(selfTest), origin: root.origin)
        var problems: [Diagnostic] = []
        if manifest.protocolVersion != 1 {
            problems.append(
                Diagnostic(
                    .error, "plugin-protocol",
                    "plugin '\(manifest.name)' speaks protocol \(manifest.protocolVersion); this Assay speaks protocol 1",
                    hint: "install a release of the plugin written for protocol 1 (plugins/PROTOCOL.md)",
                    at: root.origin.at("protocol")))
        }
        for test in manifest.selfTests where !manifest.scorers.contains(where: { $0.id == test.scorer }) {
            problems.append(
                Diagnostic(
                    .error, "plugin-self-test", "self-test '\(test.name)' names the scorer '\(test.scorer)', which the plugin does not offer",
                    hint: "name one of: " + manifest.scorers.map(\.id).joined(separator: ", "), at: test.origin.at("scorer")))
        }
        return problems.isEmpty ? (manifest, []) : (nil, problems)
    }

    private static func selfTest(_ e: Element) -> PluginManifest.SelfTest {
        let expect = e.attribute("expect") ?? ""
        return PluginManifest.SelfTest(
            name: e.attribute("name") ?? "", scorer: e.attribute("scorer") ?? "",
            max: e.attribute("max").flatMap { Decimal(plainText: $0) } ?? 0,
            min: e.attribute("min").flatMap { Decimal(plainText: $0) },
            parameters: e.children(named: "param").map {
                Parameter(name: $0.attribute("name") ?? "", value: $0.attribute("value") ?? "", origin: $0.origin)
            },
            items: e.children(named: "item").map {
                PluginManifest.SelfTest.Item(kind: $0.attribute("kind") ?? "measure", judge: $0.attribute("judge"), value: $0.attribute("value") ?? "")
            },
            artifacts: e.children(named: "artifact").compactMap { $0.attribute("path") },
            expect: expect == "refused" ? .refused : .score(Decimal(plainText: expect) ?? 0), origin: e.origin)
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
