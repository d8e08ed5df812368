import Foundation

/// Why the ledger could not be opened, read or written, or a request on it could not be done.
public struct LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; compare with the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The file could not be opened or is not an Assay ledger.
        public static let open = Code("open")
        /// SQLite reported an error.
        public static let sqlite = Code("sqlite")
        /// No record has the given id.
        public static let unknownRecord = Code("unknown-record")
        /// The record is already revoked.
        public static let alreadyRevoked = Code("already-revoked")
        /// A record could not be built or signed.
        public static let record = Code("record")
        /// The signing key is not the ledger's issuer.
        public static let wrongIssuer = Code("wrong-issuer")
        /// Another process kept the ledger locked for longer than the wait allowed.
        public static let locked = Code("locked")
    }

    public let code: Code
    /// What failed and what to do.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// The ledger at `path` stayed locked by another process for `waited` seconds (any value: one that is not
    /// a finite number of seconds ≥ 0 is written as it is, never converted unchecked).
    static func locked(_ path: String, waited: Double) -> LedgerError {
        let seconds: String
        if waited.isFinite, waited >= 0, waited < 1e15, waited == waited.rounded() {
            seconds = String(Int64(waited))
        } else if waited.isFinite, waited >= 0, waited < 1e15 {
            seconds = String(format: "%.1f", waited)
        } else {
            seconds = "\(waited)"
        }
        return LedgerError(
            .locked,
            "the ledger \(path) is locked: another process has been writing to it for more than \(seconds) second\(seconds == "1" ? "" : "s") (another 'assay recognize' or 'assay revoke' on the same ledger, or a program holding it open); nothing more was written — run the command again when it has finished (records already issued are not issued twice)"
        )
    }
}
