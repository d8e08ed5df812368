import Foundation

/// How long a command that writes to a ledger (`recognize`, `revoke`) waits for another process writing to the
/// same ledger: `ASSAY_LEDGER_WAIT` seconds when set to a number ≥ 0, otherwise 10.
enum LedgerWait {
    /// The wait when `ASSAY_LEDGER_WAIT` is not set.
    static let defaultSeconds: TimeInterval = 10

    static func seconds(environment: [String: String] = ProcessInfo.processInfo.environment) -> TimeInterval {
        guard let text = environment["ASSAY_LEDGER_WAIT"], let seconds = Double(text), seconds.isFinite, seconds >= 0 else {
            return defaultSeconds
        }
        return seconds
    }
}
