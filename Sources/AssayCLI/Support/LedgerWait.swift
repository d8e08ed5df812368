import Foundation

/// How long a command that writes to a ledger (`recognize`, `revoke`) waits for another process writing to the
/// same ledger: `ASSAY_LEDGER_WAIT` seconds when set, otherwise 10.
enum LedgerWait {
    /// The wait when `ASSAY_LEDGER_WAIT` is not set.
    static let defaultSeconds: TimeInterval = 10
    /// The longest wait `ASSAY_LEDGER_WAIT` may ask for: an hour.
    static let maximumSeconds: TimeInterval = 3600

    /// The wait in seconds. `ASSAY_LEDGER_WAIT` must be a whole number or a decimal of seconds (digits, with at
    /// most one point: `10`, `2.5`, `0`) from 0 to 3600; anything else (`1e19`, `-1`, `inf`, `ten`, an empty
    /// value, more than 3600) throws ``UsageError`` naming the variable: exit 2, before any work is done.
    static func seconds(environment: [String: String] = ProcessInfo.processInfo.environment) throws(UsageError) -> TimeInterval {
        guard let text = environment["ASSAY_LEDGER_WAIT"] else { return defaultSeconds }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let digits = parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { ("0"..."9").contains($0) } }
        guard parts.count <= 2, digits, let seconds = Double(text), seconds <= maximumSeconds else {
            throw UsageError(
                "ASSAY_LEDGER_WAIT must be the number of seconds to wait for another process writing to the ledger, from 0 to \(Int(maximumSeconds)) (such as 10 or 2.5), not '\(text)'; set it so, or unset it to wait 10 seconds"
            )
        }
        return seconds
    }
}
