public import Foundation

/// What a plugin folder declares in its `plugin.xml`: who it is, how to start it, and the scorers it
/// offers with their typed parameters.
public struct PluginManifest: Sendable, Hashable {
    public var name: String
    public var version: String
    /// Protocol version the plugin speaks.
    public var protocolVersion: Int
    /// Executable path relative to ``directory``.
    public var executable: String
    public var arguments: [String]
    /// The plugin's folder.
    public var directory: String
    /// The scorers it offers; rubrics name them `plugin:ID`.
    public var scorers: [ScorerSignature]
    /// Per request: while requests are outstanding, the oldest must be answered within this time.
    public var timeoutMilliseconds: Int
    /// From start to the plugin's hello.
    public var startTimeoutMilliseconds: Int
    public var maxResponseBytes: Int
    public var maxRestarts: Int
    /// Names of variables of Assay's environment passed on to the plugin; it gets PATH and these only.
    public var environment: [String]
    /// Cases `assay plugins check` runs: input and the score the plugin must give.
    public var selfTests: [SelfTest]
    public var origin: Origin

    public init(
        name: String, version: String, protocolVersion: Int, executable: String, arguments: [String] = [],
        directory: String, scorers: [ScorerSignature], timeoutMilliseconds: Int = 2000, startTimeoutMilliseconds: Int = 10_000,
        maxResponseBytes: Int = 1_048_576, maxRestarts: Int = 3, environment: [String] = [], selfTests: [SelfTest] = [],
        origin: Origin = .synthetic()
    ) {
        self.name = name
        self.version = version
        self.protocolVersion = protocolVersion
        self.executable = executable
        self.arguments = arguments
        self.directory = directory
        self.scorers = scorers
        self.timeoutMilliseconds = timeoutMilliseconds
        self.startTimeoutMilliseconds = startTimeoutMilliseconds
        self.maxResponseBytes = maxResponseBytes
        self.maxRestarts = maxRestarts
        self.environment = environment
        self.selfTests = selfTests
        self.origin = origin
    }

    /// The executable's full path (``executable`` is relative to the plugin folder).
    public var executablePath: String {
        executable.hasPrefix("/") ? executable : directory + "/" + executable
    }

    /// One self-test case from the manifest: what is sent (as for a rubric node of this scorer) and what must
    /// come back.
    public struct SelfTest: Sendable, Hashable {
        /// What is expected of the plugin.
        public enum Expectation: Sendable, Hashable {
            /// This score, exactly (as a decimal).
            case score(Decimal)
            /// An error answer (the plugin refuses the input).
            case refused
        }

        public var name: String
        /// The scorer id (without `plugin:`).
        public var scorer: String
        public var max: Decimal
        public var min: Decimal?
        public var parameters: [Parameter]
        public var items: [Item]
        /// Files relative to the plugin folder.
        public var artifacts: [String]
        public var expect: Expectation
        public var origin: Origin

        public init(
            name: String, scorer: String, max: Decimal, min: Decimal? = nil, parameters: [Parameter] = [],
            items: [Item] = [], artifacts: [String] = [], expect: Expectation, origin: Origin = .synthetic()
        ) {
            self.name = name
            self.scorer = scorer
            self.max = max
            self.min = min
            self.parameters = parameters
            self.items = items
            self.artifacts = artifacts
            self.expect = expect
            self.origin = origin
        }

        /// An evidence item of a self-test: kind (`mark`, `measure`, `grade`, `deduction`), judge, value.
        public struct Item: Sendable, Hashable {
            public var kind: String
            public var judge: String?
            public var value: String

            public init(kind: String, judge: String? = nil, value: String) {
                self.kind = kind
                self.judge = judge
                self.value = value
            }
        }
    }
}
