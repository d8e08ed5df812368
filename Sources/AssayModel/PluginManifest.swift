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
    public var timeoutMilliseconds: Int
    public var maxResponseBytes: Int
    public var maxRestarts: Int
    public var origin: Origin

    public init(
        name: String, version: String, protocolVersion: Int, executable: String, arguments: [String] = [],
        directory: String, scorers: [ScorerSignature], timeoutMilliseconds: Int = 2000,
        maxResponseBytes: Int = 1_048_576, maxRestarts: Int = 3, origin: Origin = .synthetic()
    ) {
        self.name = name
        self.version = version
        self.protocolVersion = protocolVersion
        self.executable = executable
        self.arguments = arguments
        self.directory = directory
        self.scorers = scorers
        self.timeoutMilliseconds = timeoutMilliseconds
        self.maxResponseBytes = maxResponseBytes
        self.maxRestarts = maxRestarts
        self.origin = origin
    }
}
