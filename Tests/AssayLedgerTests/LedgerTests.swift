import AssayLedger
import AssayModel
import AssayRecognition
import AssayRecords
import Foundation
import Testing

/// A ledger with three records (rows 1–3): a course exemption, a credit transfer, a component exemption.
struct IssuedLedger {
    let path: String
    let ledger: Ledger
    let ids: [String]
    let kid = "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw#z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"

    init() throws {
        path = try LedgerFixtures.ledgerPath()
        ledger = try Ledger(path: path, create: true)
        let signer = RecordSigner(program: LedgerFixtures.program, rubricSHA256: String(repeating: "cd", count: 32), key: try LedgerFixtures.rfc8032Key())
        var outcomes: [Ledger.IssueOutcome] = []
        let counts = try ledger.issue(
            [LedgerFixtures.exemption(), LedgerFixtures.transfer(), LedgerFixtures.componentExemption()], signer: signer,
            issuedAt: LedgerFixtures.issuedAt
        ) { outcomes.append($0) }
        precondition(counts == Ledger.IssueCounts(issued: 3, alreadyIssued: 0))
        ids = outcomes.map {
            if case .issued(let r) = $0 { return r.id }
            return "?"
        }
    }

    func report() throws -> LedgerReport { try LedgerVerifier.verify(try Ledger(path: path)) }

    /// Each record's problems, by record id, for records that have any.
    func problems(_ report: LedgerReport) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: report.records.filter { !$0.problems.isEmpty }.map { ($0.record.id, $0.problems) })
    }
}

@Suite("The ledger: idempotent issuing, hash chain, revocation")
struct LedgerTests {
    @Test("issuing the same grants again gives the same ids and no second record, even within one batch")
    func idempotent() throws {
        let l = try IssuedLedger()
        #expect(l.ids.count == 3 && !l.ids.contains("?"))
        let signer = RecordSigner(program: LedgerFixtures.program, rubricSHA256: String(repeating: "ef", count: 32), key: try LedgerFixtures.rfc8032Key())
        var again: [Ledger.IssueOutcome] = []
        let counts = try l.ledger.issue(
            [LedgerFixtures.exemption(), LedgerFixtures.exemption(), LedgerFixtures.exemption("S2025009")], signer: signer,
            issuedAt: LedgerFixtures.issuedAt.addingTimeInterval(86400), batchSize: 1
        ) { again.append($0) }
        #expect(counts == Ledger.IssueCounts(issued: 1, alreadyIssued: 2))
        #expect(again.count == 3)
        #expect(again[0] == .alreadyIssued(id: l.ids[0], candidate: "S2025001", rule: "radtech-exempts-dr", target: "MIT-201"))
        #expect(again[1] == again[0])
        guard case .issued(let fresh) = again[2] else {
            Issue.record("S2025009's grant should be issued")
            return
        }
        #expect(try l.ledger.recordCount() == 4)
        #expect(try l.ledger.records(candidate: "S2025009").map(\.id) == [fresh.id])
        #expect(try l.ledger.records(target: "MIT-202").map(\.id) == [l.ids[1]])
        #expect(try l.report().passed)
    }

    @Test("a refused decision is not issued")
    func refusedSkipped() throws {
        let l = try IssuedLedger()
        var refused = LedgerFixtures.exemption("S2025020")
        refused.verdict = .refused
        let signer = RecordSigner(program: LedgerFixtures.program, rubricSHA256: "x", key: try LedgerFixtures.rfc8032Key())
        #expect(try l.ledger.issue([refused], signer: signer, issuedAt: LedgerFixtures.issuedAt) == Ledger.IssueCounts())
        #expect(try l.ledger.recordCount() == 3)
    }

    @Test("an untouched ledger verifies: 3 records, chain intact, head is row 3's hash")
    func intact() throws {
        let l = try IssuedLedger()
        let report = try l.report()
        #expect(report.passed)
        #expect(report.records.map(\.record.id) == l.ids)
        #expect(report.chainProblems == [])
        #expect(report.rows == 3)
        #expect(report.headHash.count == 64)
    }

    @Test("one changed byte in a stored credential is caught by the row hash and the signature check")
    func editedByte() throws {
        let l = try IssuedLedger()
        try Tamper.sql(l.path, #"UPDATE ledger SET credential = replace(credential, '"creditsEarned":3.5', '"creditsEarned":4.5') WHERE row = 2"#)
        let report = try l.report()
        #expect(!report.passed)
        #expect(report.chainProblems == [])
        #expect(l.problems(report) == [
            l.ids[1]: [
                "row 2: its contents do not match its hash — the row was changed after it was written",
                "the stored credential differs from the signed one",
            ]
        ])
    }

    @Test("an edited index column is caught and named")
    func editedColumn() throws {
        let l = try IssuedLedger()
        try Tamper.sql(l.path, "UPDATE ledger SET candidate = 'S2025099' WHERE row = 1")
        #expect(l.problems(try l.report()) == [
            l.ids[0]: [
                "row 1: its contents do not match its hash — the row was changed after it was written",
                "the row's candidate is S2025099 but the signed credential says S2025001",
            ]
        ])
    }

    @Test("a deleted row is named, and so is the row that no longer follows its predecessor")
    func deletedRow() throws {
        let l = try IssuedLedger()
        try Tamper.sql(l.path, "DELETE FROM ledger WHERE row = 2")
        let report = try l.report()
        #expect(!report.passed)
        #expect(report.chainProblems == [
            "row 2 is missing (the ledger goes from row 1 to row 3): a row was deleted",
            "row 3 (record \(l.ids[2])) follows a row that is not in the ledger: the row before it was deleted or replaced",
        ])
        #expect(l.problems(report).isEmpty)
        // The last row is row 3, though 2 rows are left.
        #expect(report.rows == 2 && report.headRow == 3)
    }

    @Test("reordered rows are named with the row each should follow")
    func reorderedRows() throws {
        let l = try IssuedLedger()
        try Tamper.sql(l.path, "UPDATE ledger SET row = -2 WHERE row = 2; UPDATE ledger SET row = 2 WHERE row = 3; UPDATE ledger SET row = 3 WHERE row = -2")
        let report = try l.report()
        #expect(!report.passed)
        #expect(report.chainProblems == [
            "row 2 (record \(l.ids[2])) should follow row 3, not row 1: rows were reordered",
            "row 3 (record \(l.ids[1])) should follow row 1, not row 2: rows were reordered",
        ])
    }

    @Test("a signature swapped in from another record fails the signature check")
    func swappedSignature() throws {
        let l = try IssuedLedger()
        let records = try l.ledger.records()
        let first = records[0].jwt.split(separator: ".")
        let other = records[1].jwt.split(separator: ".")
        try Tamper.sql(l.path, "UPDATE ledger SET jwt = '\(first[0]).\(first[1]).\(other[2])' WHERE row = 1")
        #expect(l.problems(try l.report()) == [
            l.ids[0]: [
                "row 1: its contents do not match its hash — the row was changed after it was written",
                "the signature does not verify against the issuer key \(l.kid)",
            ]
        ])
    }

    @Test("a revoked record is reported as revoked with its reason; the chain still verifies")
    func revokeThenVerify() throws {
        let l = try IssuedLedger()
        let when = LedgerFixtures.issuedAt.addingTimeInterval(3600)
        let revoked = try l.ledger.revoke(l.ids[1], reason: "issued in error: the prize was withdrawn", at: when)
        #expect(revoked.status == .revoked)
        #expect(revoked.revokedAt == "2026-06-30T09:00:00Z")
        let report = try l.report()
        #expect(!report.passed)
        #expect(report.chainProblems == [])
        #expect(report.rows == 4)
        #expect(l.problems(report).isEmpty)
        let entry = try #require(report.records.first { $0.record.id == l.ids[1] })
        #expect(entry.record.status == .revoked)
        #expect(entry.record.revocationReason == "issued in error: the prize was withdrawn")
        #expect(!entry.isValid)
        #expect(report.records.filter(\.isValid).count == 2)
        #expect(try l.ledger.records(status: .revoked).map(\.id) == [l.ids[1]])
        #expect(throws: LedgerError(.alreadyRevoked, "record \(l.ids[1]) is already revoked (2026-06-30T09:00:00Z: issued in error: the prize was withdrawn)")) {
            try l.ledger.revoke(l.ids[1], reason: "again", at: when)
        }
        #expect(throws: LedgerError(.unknownRecord, "the ledger \(l.path) has no record nope; 'assay records --ledger \(l.path)' lists them")) {
            try l.ledger.revoke("nope", reason: "x", at: when)
        }
    }

    @Test("un-revoking a record by editing its status is caught; cutting off its revocation changes the head")
    func editedStatus() throws {
        let l = try IssuedLedger()
        _ = try l.ledger.revoke(l.ids[0], reason: "wrong candidate", at: LedgerFixtures.issuedAt)
        try Tamper.sql(l.path, "UPDATE ledger SET status = 'active', status_reason = NULL, status_time = NULL WHERE row = 1")
        let report = try l.report()
        #expect(l.problems(report) == [l.ids[0]: ["the status columns do not match its revocation in row 4 — the status was edited"]])
        #expect(report.records[0].record.status == .revoked)
        // Cutting the last row off is the one edit the chain alone cannot show: the head a registrar kept does.
        let kept = (report.rows, report.headHash)
        try Tamper.sql(l.path, "DELETE FROM ledger WHERE row = 4")
        let truncated = try l.report()
        #expect(truncated.rows == 3 && kept.0 == 4)
        #expect(truncated.headHash != kept.1)
    }
}
