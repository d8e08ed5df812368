import AssayLedger
import AssayModel
import AssayRecognition
import AssayRecords
import CSQLite
import Foundation
import Testing

/// Another connection that holds the ledger file's write lock (`BEGIN IMMEDIATE`) until released, as a second
/// `assay recognize` or any program with the file open would: real SQLite, its own connection.
final class WriteLockHolder: @unchecked Sendable {
    private var db: OpaquePointer?

    init(_ path: String) throws {
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw Tamper.TamperError(message: "cannot open \(path)") }
        guard sqlite3_exec(db, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK else {
            throw Tamper.TamperError(message: "cannot lock \(path): \(String(cString: sqlite3_errmsg(db)))")
        }
    }

    /// Ends the transaction (writing nothing) and closes the connection.
    func release() {
        guard let db else { return }
        sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
        sqlite3_close(db)
        self.db = nil
    }

    deinit { release() }
}

@Suite("The ledger with another writer on the same file: waiting, retrying, and a clear message when it stays locked")
struct LedgerLockTests {
    static func signer() throws -> RecordSigner {
        RecordSigner(program: LedgerFixtures.program, rubricSHA256: String(repeating: "cd", count: 32), key: try LedgerFixtures.rfc8032Key())
    }

    @Test("a write waits while another connection holds the write lock, then issues, and the chain is intact")
    func waitsForTheOtherWriter() throws {
        let path = try LedgerFixtures.ledgerPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        _ = try Ledger(path: path, create: true)
        let holder = try WriteLockHolder(path)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { holder.release() }
        let started = Date()
        let counts = try Ledger(path: path, wait: 10).issue([LedgerFixtures.exemption()], signer: try Self.signer(), issuedAt: LedgerFixtures.issuedAt)
        #expect(Date().timeIntervalSince(started) >= 0.4)  // it did wait for the holder
        #expect(counts == Ledger.IssueCounts(issued: 1))
        let report = try LedgerVerifier.verify(try Ledger(path: path, readOnly: true))
        #expect(report.passed && report.rows == 1 && report.chainProblems.isEmpty)
    }

    @Test("a ledger that stays locked longer than the wait: the locked error names the file and what to do; nothing is written")
    func staysLocked() throws {
        let l = try IssuedLedger()
        defer { try? FileManager.default.removeItem(atPath: (l.path as NSString).deletingLastPathComponent) }
        let before = try l.ledger.head()
        let holder = try WriteLockHolder(l.path)
        let started = Date()
        var caught: LedgerError?
        do {
            try Ledger(path: l.path, wait: 0.5).issue([LedgerFixtures.exemption("S2025009")], signer: try Self.signer(), issuedAt: LedgerFixtures.issuedAt)
        } catch let e as LedgerError {
            caught = e
        }
        let waited = Date().timeIntervalSince(started)
        holder.release()
        #expect(caught?.code == .locked)
        #expect(
            caught?.message
                == "the ledger \(l.path) is locked: another process has been writing to it for more than 0.5 seconds (another 'assay recognize' or 'assay revoke' on the same ledger, or a program holding it open); nothing more was written — run the command again when it has finished (records already issued are not issued twice)"
        )
        #expect(waited >= 0.45 && waited < 5)
        #expect(try l.ledger.head() == before)
        #expect(try l.ledger.recordCount() == 3)
        // Revoking is refused the same way while the lock is held.
        let again = try WriteLockHolder(l.path)
        #expect(throws: LedgerError(.locked, caught!.message.replacingOccurrences(of: "0.5 seconds", with: "1 second"))) {
            _ = try Ledger(path: l.path, wait: 1).revoke(l.ids[0], reason: "test", at: LedgerFixtures.issuedAt)
        }
        again.release()
        #expect(try l.ledger.record(l.ids[0])?.status == .active)
        #expect(try LedgerVerifier.verify(try Ledger(path: l.path, readOnly: true)).passed)
    }

    @Test("another writer's commit between two batches does not fail the next batch (no stale snapshot: BEGIN IMMEDIATE reads the new head)")
    func commitBetweenBatches() throws {
        // Batch 1 finds its grant already issued and leaves its lookup on that row; before batch 2 another
        // connection revokes a record. Batch 2 must start on the new head (row 4), not fail with "database is
        // locked" (SQLITE_BUSY_SNAPSHOT, which SQLite returns at once, without waiting).
        let l = try IssuedLedger()
        defer { try? FileManager.default.removeItem(atPath: (l.path as NSString).deletingLastPathComponent) }
        let other = try Ledger(path: l.path)
        var revokedOnce = false
        var outcomes: [Ledger.IssueOutcome] = []
        let counts = try l.ledger.issue(
            [LedgerFixtures.exemption(), LedgerFixtures.exemption("S2025009")], signer: try Self.signer(), issuedAt: LedgerFixtures.issuedAt,
            batchSize: 1
        ) { outcome in
            outcomes.append(outcome)
            if !revokedOnce {
                revokedOnce = true
                _ = try? other.revoke(l.ids[1], reason: "granted in error", at: LedgerFixtures.issuedAt)
            }
        }
        #expect(counts == Ledger.IssueCounts(issued: 1, alreadyIssued: 1))
        #expect(try other.record(l.ids[1])?.status == .revoked)
        let report = try LedgerVerifier.verify(try Ledger(path: l.path, readOnly: true))
        #expect(report.rows == 5 && report.chainProblems.isEmpty)  // 3 issued, 1 revoke, 1 issued after it
        guard case .issued(let last)? = outcomes.last else {
            Issue.record("the second batch issued nothing: \(outcomes)")
            return
        }
        #expect(try l.ledger.record(last.id)?.row == 5)
    }
}
