public import AssayModel

/// What came back for one score request.
public enum PluginReply: Sendable, Hashable {
    /// A score and the plugin's explanation of it.
    case score(Exact, explanation: String)
    /// The plugin answered with an error message: it refuses this input (the input's fault, not the plugin's).
    case refused(String)
    /// No usable answer: the plugin crashed, hung, sent garbage or too much, or could not be started. The
    /// reason is written for a person (`exited with status 3`, `did not answer within 500 ms`).
    case failed(String)
}
