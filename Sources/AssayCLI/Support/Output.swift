import Foundation

/// Where a command writes: standard output and standard error, or buffers in tests.
public final class Output: @unchecked Sendable {
    private var outBuffer = ""
    private var errBuffer = ""
    private let capture: Bool

    /// Writes straight to the process's stdout/stderr.
    public static func standard() -> Output { Output(capture: false) }
    /// Keeps what is written, for tests.
    public static func captured() -> Output { Output(capture: true) }

    private init(capture: Bool) { self.capture = capture }

    public var standardOutput: String { outBuffer }
    public var standardError: String { errBuffer }

    func out(_ text: String) {
        if capture { outBuffer += text } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    func err(_ text: String) {
        if capture { errBuffer += text } else { FileHandle.standardError.write(Data(text.utf8)) }
    }

    func line(_ text: String = "") { out(text + "\n") }
}
