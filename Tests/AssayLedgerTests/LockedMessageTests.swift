import AssayLedger
import Foundation
import Testing

@testable import AssayLedger

/// The "locked" error is built from whatever wait a caller gave `Ledger`: it must never trap.
@Suite("The ledger's locked error for any wait: no unchecked conversion")
struct LockedMessageTests {
    static func message(_ path: String, _ seconds: String) -> String {
        "the ledger \(path) is locked: another process has been writing to it for more than \(seconds) (another 'assay recognize' or 'assay revoke' on the same ledger, or a program holding it open); nothing more was written — run the command again when it has finished (records already issued are not issued twice)"
    }

    @Test("whole, decimal, huge, infinite and NaN waits give a message (1e19 used to trap in Int(_:))")
    func anyWait() {
        #expect(LedgerError.locked("r.db", waited: 1).message == Self.message("r.db", "1 second"))
        #expect(LedgerError.locked("r.db", waited: 10).message == Self.message("r.db", "10 seconds"))
        #expect(LedgerError.locked("r.db", waited: 2.5).message == Self.message("r.db", "2.5 seconds"))
        #expect(LedgerError.locked("r.db", waited: 1e19).message == Self.message("r.db", "1e+19 seconds"))
        #expect(LedgerError.locked("r.db", waited: .infinity).message == Self.message("r.db", "inf seconds"))
        #expect(LedgerError.locked("r.db", waited: .nan).message == Self.message("r.db", "nan seconds"))
    }

    @Test("a NaN wait on a locked ledger counts as no wait: the locked error at once, nothing written")
    func nanWait() throws {
        let l = try IssuedLedger()
        defer { try? FileManager.default.removeItem(atPath: (l.path as NSString).deletingLastPathComponent) }
        let before = try l.ledger.head()
        let holder = try WriteLockHolder(l.path)
        defer { holder.release() }
        let started = Date()
        #expect(throws: LedgerError(.locked, Self.message(l.path, "0 seconds"))) {
            _ = try Ledger(path: l.path, wait: .nan).revoke(l.ids[0], reason: "test", at: LedgerFixtures.issuedAt)
        }
        #expect(Date().timeIntervalSince(started) < 5)
        holder.release()
        #expect(try l.ledger.head() == before)
    }
}
