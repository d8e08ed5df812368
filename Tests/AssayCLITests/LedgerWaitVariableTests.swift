import Foundation
import Testing

@testable import AssayCLI

/// `ASSAY_LEDGER_WAIT` is read strictly: seconds from 0 to 3600, as digits with at most one point. Anything else
/// is wrong usage (exit 2) before any work, never a number converted unchecked (1e19 used to trap the process at
/// the first SQLITE_BUSY).
@Suite("ASSAY_LEDGER_WAIT: a number of seconds from 0 to 3600, anything else a usage error naming it", .serialized)
struct LedgerWaitVariableTests {
    static func message(_ text: String) -> String {
        "assay: ASSAY_LEDGER_WAIT must be the number of seconds to wait for another process writing to the ledger, from 0 to 3600 (such as 10 or 2.5), not '\(text)'; set it so, or unset it to wait 10 seconds\nRun 'assay --help' for usage.\n"
    }

    @Test("accepted: unset (10), whole numbers and decimals from 0 to 3600")
    func accepted() throws {
        #expect(try LedgerWait.seconds(environment: [:]) == 10)
        for (text, seconds) in [("0", 0.0), ("10", 10), ("2.5", 2.5), ("0.25", 0.25), ("3600", 3600), ("007", 7)] {
            #expect(try LedgerWait.seconds(environment: ["ASSAY_LEDGER_WAIT": text]) == seconds)
        }
    }

    @Test(
        "refused with the variable named: exponents, signs, infinities, words, empty, over an hour",
        arguments: ["1e19", "1e3", "-1", "+5", "inf", "nan", "ten", "", " 5", "5 ", "1.", ".5", "1.2.3", "3600.5", "99999999999999999999"])
    func refused(_ text: String) {
        #expect(throws: UsageError(String(Self.message(text).dropFirst("assay: ".count).prefix { $0 != "\n" }))) {
            try LedgerWait.seconds(environment: ["ASSAY_LEDGER_WAIT": text])
        }
    }

    @Test("ASSAY_LEDGER_WAIT=1e19 while another process holds the ledger: revoke and recognize exit 2 at once, the ledger unchanged")
    func hugeWaitWithTheLedgerLocked() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("issuer.pem").path
        let db = dir.appendingPathComponent("records.db").path
        #expect(runAssay(["keygen", "--out", key]).code == 0)
        #expect(runAssay(LedgerConcurrencyTests.recognize("S2025001", key: key, ledger: db)).code == 0)
        let before = LedgerConcurrencyTests.fileBytes(db)
        let listed = runAssay(["records", "--ledger", db]).out
        // The lock makes SQLite answer SQLITE_BUSY: before the fix, building the "locked" message trapped.
        let holder = try LedgerLockHolder(db)
        defer { holder.release() }
        let started = Date()
        let revoke = try AssayChild(
            ["revoke", "b9042946-8f72-8074-8f03-08812da8a0c2", "--ledger", db, "--reason", "granted in error"],
            environment: ["ASSAY_LEDGER_WAIT": "1e19"]
        ).wait()
        #expect(revoke.code == 2)
        #expect(revoke.out == "")
        #expect(revoke.err == Self.message("1e19"))
        let recognize = try AssayChild(LedgerConcurrencyTests.recognize("S2025002", key: key, ledger: db), environment: ["ASSAY_LEDGER_WAIT": "1e19"]).wait()
        #expect(recognize.code == 2)
        #expect(recognize.out == "")
        #expect(recognize.err == Self.message("1e19"))
        #expect(Date().timeIntervalSince(started) < 5)
        holder.release()
        #expect(LedgerConcurrencyTests.fileBytes(db) == before)
        #expect(runAssay(["records", "--ledger", db]).out == listed)
        // A dry run writes no ledger: the variable is not read.
        let dry = try AssayChild(
            ["recognize", RecordsCLI.rubric, RecordsCLI.cohort, "--as-of", "2025-09-01", "--candidate", "S2025002", "--dry-run", "--format", "csv"],
            environment: ["ASSAY_LEDGER_WAIT": "1e19"]
        ).wait()
        #expect(dry.code == 0 && dry.err == "")
    }
}
