public import AssayModel
import Foundation

/// Loads a rubric file into a ``Program``: parse (untrusted input, see ``XMLDocument``), validate against
/// `rubrics/schema/rubric.xsd`, build the model, then check its meaning with ``ProgramChecker``.
public struct RubricLoader: Sendable {
    /// Plugin manifests whose scorers rubrics may name as `plugin:ID`.
    public let plugins: [PluginManifest]

    static let schema = XMLSchema(xsd: EmbeddedSchemas.rubric, namespace: "urn:assay:rubric:1")

    public init(plugins: [PluginManifest] = []) {
        self.plugins = plugins
    }

    /// The outcome of loading one rubric file.
    public struct Result: Sendable {
        /// The program, when the file is well-formed and schema-valid (it may still have meaning errors).
        public var program: Program?
        /// Every problem found, in reading order.
        public var diagnostics: [Diagnostic]
        /// True when the schema failed, so the meaning checks did not run.
        public var meaningChecksSkipped: Bool

        /// The program if it has no errors at all.
        public var validProgram: Program? { diagnostics.errorCount == 0 ? program : nil }
    }

    /// Loads and checks the rubric at `path` (as the user wrote it; diagnostics name it so).
    public func load(_ path: String) -> Result {
        let (document, xmlDiagnostics) = XMLInput.load(
            path: path, schema: Self.schema, rootName: "program", what: "a rubric")
        guard let document, let rootNode = document.root else {
            return Result(program: nil, diagnostics: xmlDiagnostics.sortedForReading(), meaningChecksSkipped: true)
        }
        if !xmlDiagnostics.isEmpty {
            return Result(program: nil, diagnostics: xmlDiagnostics.sortedForReading(), meaningChecksSkipped: true)
        }
        var builder = ProgramBuilder(document: document)
        let program = builder.build(Element(node: rootNode, document: document))
        var checker = ProgramChecker(program: program, plugins: plugins)
        let diagnostics = builder.diagnostics + checker.run()
        return Result(program: program, diagnostics: diagnostics.sortedForReading(), meaningChecksSkipped: false)
    }
}
