import CSQLite
import Foundation
import Testing

/// A running `assay` child process whose output is collected as it comes.
final class AssayChild: @unchecked Sendable {
    private let process = Process()
    private let done = DispatchSemaphore(value: 0)
    private let group = DispatchGroup()
    private var out = Data()
    private var err = Data()

    init(_ args: [String], environment: [String: String] = [:]) throws {
        process.executableURL = try RecordsCLI.binary()
        process.arguments = args
        process.currentDirectoryURL = RecordsCLI.root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.terminationHandler = { [done] _ in done.signal() }
        try process.run()
        for (pipe, isOut) in [(outPipe, true), (errPipe, false)] {
            group.enter()
            DispatchQueue.global().async { [self] in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                if isOut { out = data } else { err = data }
                group.leave()
            }
        }
    }

    /// Waits for the child to end: its exit status, standard output and standard error.
    func wait() -> (code: Int32, out: String, err: String) {
        group.wait()
        done.wait()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

/// Holds a ledger's write lock (`BEGIN IMMEDIATE` on its own SQLite connection) until released.
final class LedgerLockHolder: @unchecked Sendable {
    private var db: OpaquePointer?

    init(_ path: String) throws {
        guard sqlite3_open(path, &db) == SQLITE_OK, sqlite3_exec(db, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK else {
            Issue.record("cannot lock \(path)")
            throw CocoaError(.fileWriteUnknown)
        }
    }

    func release() {
        guard let db else { return }
        sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
        sqlite3_close(db)
        self.db = nil
    }

    deinit { release() }
}

@Suite("Two issuers on one ledger: real processes wait for each other; a ledger that stays locked is said clearly", .serialized)
struct LedgerConcurrencyTests {
    static func recognize(_ candidate: String, key: String, ledger: String) -> [String] {
        ["recognize", RecordsCLI.rubric, RecordsCLI.cohort, "--as-of", "2025-09-01", "--candidate", candidate, "--key", key, "--ledger", ledger, "--format", "csv"]
    }

    static func lockedMessage(_ db: String, seconds: String) -> String {
        "assay: the ledger \(db) is locked: another process has been writing to it for more than \(seconds) (another 'assay recognize' or 'assay revoke' on the same ledger, or a program holding it open); nothing more was written — run the command again when it has finished (records already issued are not issued twice)\n"
    }

    /// The ledger's bytes with every committed write in the main file (SQLite checkpoints the WAL into it
    /// when the last connection closes: a write held in the WAL would show here too).
    static func fileBytes(_ db: String) -> Data? {
        var handle: OpaquePointer?
        guard sqlite3_open(db, &handle) == SQLITE_OK else { return nil }
        sqlite3_exec(handle, "PRAGMA wal_checkpoint(TRUNCATE)", nil, nil, nil)
        sqlite3_close(handle)
        return FileManager.default.contents(atPath: db)
    }

    @Test("two assay recognize processes started together into one new ledger both issue their records; the chain is intact")
    func twoIssuers() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("issuer.pem").path
        #expect(runAssay(["keygen", "--out", key]).code == 0)
        for round in 1...4 {
            let db = dir.appendingPathComponent("records-\(round).db").path
            let env = ["SOURCE_DATE_EPOCH": "1782806400"]
            let first = try AssayChild(Self.recognize("S2025001", key: key, ledger: db), environment: env)
            let second = try AssayChild(Self.recognize("S2025002", key: key, ledger: db), environment: env)
            let a = first.wait()
            let b = second.wait()
            #expect(a.code == 0, "round \(round), S2025001: \(a.err)")
            #expect(b.code == 0, "round \(round), S2025002: \(b.err)")
            #expect(RecordsCLI.lines(a.err).contains("2 issued, 0 already issued in \(db)"))
            #expect(RecordsCLI.lines(b.err).contains("5 issued, 0 already issued in \(db)"))
            #expect(!(a.err + b.err).contains("locked") && !(a.err + b.err).contains("internal error"))
            let verified = runAssay(["verify", "--ledger", db])
            #expect(verified.code == 0)
            #expect(verified.out.contains("checked 7 records in \(db): 7 valid, 0 revoked, 0 failed\n"))
            #expect(verified.out.contains("chain: 7 rows, intact; head row 7 sha256 "))
            let ids = RecordsCLI.lines(runAssay(["records", "--ledger", db]).out).dropLast().map { String($0.prefix(36)) }
            #expect(
                Set(ids) == [
                    "b9042946-8f72-8074-8f03-08812da8a0c2", "e9ab9238-bd29-8cd5-b231-ee173e4798a9", "f08f6167-103e-8606-a920-ac687e60eb7f",
                    "a9c6dfa0-1746-8df4-a279-fee46f6d80db", "1f1889cd-67e6-85f0-a370-b93db0b78918", "2e2b1815-401c-8d27-bb6d-6b53539bf90f",
                    "a08c073e-a9a5-8c64-972d-ebbfbdd7a24e",
                ])
        }
    }

    @Test("recognize waits while another process holds the ledger's write lock, then issues")
    func waitsForTheHolder() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("issuer.pem").path
        let db = dir.appendingPathComponent("records.db").path
        #expect(runAssay(["keygen", "--out", key]).code == 0)
        #expect(runAssay(Self.recognize("S2025001", key: key, ledger: db)).code == 0)
        let holder = try LedgerLockHolder(db)
        let started = Date()
        let child = try AssayChild(Self.recognize("S2025002", key: key, ledger: db))
        Thread.sleep(forTimeInterval: 1.5)
        holder.release()
        let r = child.wait()
        #expect(Date().timeIntervalSince(started) >= 1.5)
        #expect(r.code == 0, "\(r.err)")
        #expect(RecordsCLI.lines(r.err).contains("5 issued, 0 already issued in \(db)"))
        let verified = runAssay(["verify", "--ledger", db])
        #expect(verified.code == 0 && verified.out.contains("chain: 7 rows, intact; head row 7 sha256 "))
    }

    @Test("a ledger that stays locked: recognize and revoke exit 1 naming the ledger and what to do; the ledger is unchanged")
    func staysLocked() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("issuer.pem").path
        let db = dir.appendingPathComponent("records.db").path
        #expect(runAssay(["keygen", "--out", key]).code == 0)
        #expect(runAssay(Self.recognize("S2025001", key: key, ledger: db)).code == 0)
        let listed = runAssay(["records", "--ledger", db]).out
        let before = Self.fileBytes(db)
        let holder = try LedgerLockHolder(db)
        defer { holder.release() }
        let started = Date()
        let r = try AssayChild(Self.recognize("S2025002", key: key, ledger: db), environment: ["ASSAY_LEDGER_WAIT": "1"]).wait()
        let waited = Date().timeIntervalSince(started)
        #expect(r.code == 1)
        #expect(r.err == Self.lockedMessage(db, seconds: "1 second"))
        #expect(waited >= 1 && waited < 8)
        let revoke = try AssayChild(
            ["revoke", "b9042946-8f72-8074-8f03-08812da8a0c2", "--ledger", db, "--reason", "granted in error"],
            environment: ["ASSAY_LEDGER_WAIT": "1.5"]
        ).wait()
        #expect(revoke.code == 1)
        #expect(revoke.out == "")
        #expect(revoke.err == Self.lockedMessage(db, seconds: "1.5 seconds"))
        holder.release()
        #expect(Self.fileBytes(db) == before && before != nil)
        #expect(runAssay(["records", "--ledger", db]).out == listed)
        #expect(runAssay(["verify", "--ledger", db]).code == 0)
    }
}
