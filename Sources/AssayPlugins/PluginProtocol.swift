import Foundation

/// Protocol v1 between Assay and a plugin (plugins/PROTOCOL.md): newline-delimited JSON on the plugin's
/// stdin and stdout, one message a line, UTF-8.
///
/// - Assay: `{"type":"hello","protocol":1,"engine":"assay"}`; the plugin answers
///   `{"type":"hello","protocol":1,"name":…,"version":…,"scorers":[…]}`.
/// - Assay: `{"type":"score","id":N,…}` (several may be in flight); the plugin answers each, in any order,
///   `{"type":"result","id":N,"score":"3.5","explanation":"…"}` or `{"type":"error","id":N,"message":"…"}`.
/// - Assay: `{"type":"shutdown"}`; the plugin exits with status 0.
public enum PluginProtocol {
    /// The protocol version this Assay speaks.
    public static let version = 1

    /// The engine's hello line.
    static var helloLine: String { #"{"type":"hello","protocol":1,"engine":"assay"}"# + "\n" }

    /// The shutdown line.
    static var shutdownLine: String { #"{"type":"shutdown"}"# + "\n" }
}
