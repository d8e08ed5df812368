import AssayModel
import AssayRecognition
import AssayRecords
import Foundation
import Testing

@testable import AssayLedger

/// Rewrites every row's prev_hash and hash, as anyone with write access to the file can (the reviewer's
/// rechain.py): only the signatures, the ledger's issuer and a kept head stand against it.
enum Rechain {
    static func run(_ path: String) throws {
        let ledger = try Ledger(path: path)
        var prev = Ledger.genesis
        var updates: [String] = []
        let s = try ledger.db.prepare(
            "SELECT row, kind, \(Ledger.recordColumns.split(separator: ",").dropFirst().joined(separator: ",")), reason, revoked_at FROM ledger ORDER BY row")
        while try s.step() {
            let row = s.int(0)
            let hash: String
            if s.text(1) == "issue" {
                hash = Ledger.hash(
                    issue: IssuedRecord(
                        id: s.text(2) ?? "", candidate: s.text(3) ?? "", program: s.text(4) ?? "", programVersion: s.text(5) ?? "",
                        rubricSHA256: s.text(6) ?? "", rule: s.text(7) ?? "", target: s.text(8) ?? "", evidenceSHA256: s.text(9) ?? "",
                        credential: s.text(10) ?? "", jwt: s.text(11) ?? "", issuedAt: s.text(12) ?? ""),
                    prev: prev)
            } else {
                hash = Ledger.hash(revoke: s.text(2) ?? "", reason: s.text(16) ?? "", at: s.text(17) ?? "", prev: prev)
            }
            updates.append("UPDATE ledger SET prev_hash = '\(prev)', hash = '\(hash)' WHERE row = \(row);")
            prev = hash
        }
        try Tamper.sql(path, updates.joined(separator: "\n"))
    }
}

@Suite("The ledger after review: its issuer, --id, revoked and conflicting grants, every column, heads")
struct LedgerReviewFixesTests {
    @Test("a key other than the ledger's issuer cannot issue into it")
    func wrongKeyRefused() throws {
        let l = try IssuedLedger()
        #expect(try l.ledger.issuer() == String(l.kid.prefix { $0 != "#" }))
        let other = try SigningKey.generate()
        let signer = RecordSigner(program: LedgerFixtures.program, rubricSHA256: "x", key: other)
        #expect(
            throws: LedgerError(
                .wrongIssuer,
                "the key is not this ledger's issuer: the records in \(l.path) are issued by \(String(l.kid.prefix { $0 != "#" })), and the key given is \(other.did.did); issue with the ledger's key, or into a new ledger for a new issuer")
        ) {
            try l.ledger.issue([LedgerFixtures.exemption("S2025030")], signer: signer, issuedAt: LedgerFixtures.issuedAt)
        }
        #expect(try l.ledger.recordCount() == 3)
    }

    @Test("a ledger made before the issuer was recorded takes its first record's signer as issuer")
    func legacyLedger() throws {
        let l = try IssuedLedger()
        try Tamper.sql(l.path, "DROP TABLE ledger_meta")
        let legacy = try Ledger(path: l.path, create: true)
        #expect(try legacy.issuer() == nil)
        #expect(try LedgerVerifier.verify(legacy).chainProblems == [
            "the ledger does not record its issuer (no 'issuer' in ledger_meta): its records are checked against its first record's signer, which nothing ties to the institution's key (give --issuer DID)"
        ])
        let other = try SigningKey.generate()
        #expect(throws: LedgerError.self) {
            try legacy.issue(
                [LedgerFixtures.exemption("S2025031")], signer: RecordSigner(program: LedgerFixtures.program, rubricSHA256: "x", key: other),
                issuedAt: LedgerFixtures.issuedAt)
        }
        let signer = RecordSigner(program: LedgerFixtures.program, rubricSHA256: "x", key: try LedgerFixtures.rfc8032Key())
        #expect(try legacy.issue([LedgerFixtures.exemption("S2025031")], signer: signer, issuedAt: LedgerFixtures.issuedAt) == Ledger.IssueCounts(issued: 1))
        #expect(try legacy.issuer() == String(l.kid.prefix { $0 != "#" }))
        #expect(try LedgerVerifier.verify(legacy).passed)
    }

    @Test("a record signed by another key, copied in and rechained, fails naming its signer")
    func foreignRecord() throws {
        let l = try IssuedLedger()
        let evilPath = try LedgerFixtures.ledgerPath()
        let evil = try Ledger(path: evilPath, create: true)
        let evilKey = try SigningKey.generate()
        try evil.issue(
            [LedgerFixtures.exemption("S2025040")], signer: RecordSigner(program: LedgerFixtures.program, rubricSHA256: "x", key: evilKey),
            issuedAt: LedgerFixtures.issuedAt)
        let foreign = try #require(try evil.records().first)
        try Tamper.sql(
            l.path,
            """
            INSERT INTO ledger (row, kind, record_id, candidate, program, program_version, rubric_sha256, rule, target, evidence_sha256,
              credential, jwt, issued_at, status, prev_hash, hash)
            VALUES (4, 'issue', '\(foreign.id)', '\(foreign.candidate)', '\(foreign.program)', '\(foreign.programVersion)',
              '\(foreign.rubricSHA256)', '\(foreign.rule)', '\(foreign.target)', '\(foreign.evidenceSHA256)',
              '\(foreign.credential.replacingOccurrences(of: "'", with: "''"))', '\(foreign.jwt)', '\(foreign.issuedAt)', 'active', '', '');
            """)
        try Rechain.run(l.path)
        let report = try l.report()
        #expect(!report.passed)
        #expect(report.chainProblems == [])
        #expect(l.problems(report) == [foreign.id: ["signed by \(evilKey.did.did), not by the ledger's issuer \(String(l.kid.prefix { $0 != "#" }))"]])
    }

    @Test("verify --id still recomputes every row's hash: an edited row 1 is named when checking row 2's record")
    func onlyStillChecksEveryRow() throws {
        let l = try IssuedLedger()
        try Tamper.sql(l.path, "UPDATE ledger SET target = 'MIT-202' WHERE row = 1")
        let report = try LedgerVerifier.verify(try Ledger(path: l.path), only: l.ids[1])
        #expect(!report.passed)
        #expect(report.records.map(\.record.id) == [l.ids[1]])
        #expect(report.records[0].problems == [])
        #expect(report.chainProblems == ["row 1 (record \(l.ids[0])): its contents do not match its hash — the row was changed after it was written"])
    }

    @Test("every indexed column is compared with the signed credential, even after rechaining")
    func everyColumn() throws {
        let l = try IssuedLedger()
        try Tamper.sql(
            l.path,
            "UPDATE ledger SET target = 'MIT-202', program_version = '2024.9', rubric_sha256 = 'ab', issued_at = '2020-01-01T00:00:00Z' WHERE row = 1")
        try Rechain.run(l.path)
        let report = try l.report()
        #expect(report.chainProblems == [])
        #expect(l.problems(report) == [
            l.ids[0]: [
                "the row's target is MIT-202 but the signed credential says MIT-201",
                "the row's program version is 2024.9 but the signed credential says 2025.1",
                "the row's rubric digest is ab but the signed credential says \(String(repeating: "cd", count: 32))",
                "the row's issue time is 2020-01-01T00:00:00Z but the signed credential says 2026-06-30T08:00:00Z",
            ]
        ])
    }

    @Test("a revoked grant is reported as revoked, not issued again and not 'already issued'")
    func revokedNotReissued() throws {
        let l = try IssuedLedger()
        _ = try l.ledger.revoke(l.ids[0], reason: "wrong certificate", at: LedgerFixtures.issuedAt)
        let signer = RecordSigner(program: LedgerFixtures.program, rubricSHA256: "x", key: try LedgerFixtures.rfc8032Key())
        var outcomes: [Ledger.IssueOutcome] = []
        let counts = try l.ledger.issue([LedgerFixtures.exemption()], signer: signer, issuedAt: LedgerFixtures.issuedAt) { outcomes.append($0) }
        #expect(counts == Ledger.IssueCounts(revoked: 1))
        #expect(outcomes == [
            .revoked(id: l.ids[0], candidate: "S2025001", rule: "radtech-exempts-dr", target: "MIT-201", revokedAt: "2026-06-30T08:00:00Z", reason: "wrong certificate")
        ])
        #expect(try l.ledger.recordCount() == 3)
    }

    @Test("a second active record for the same course from another rule is refused until the first is revoked")
    func conflictingGrant() throws {
        let l = try IssuedLedger()
        let signer = RecordSigner(program: LedgerFixtures.program, rubricSHA256: "x", key: try LedgerFixtures.rfc8032Key())
        let transfer = RecognitionDecision(
            candidate: "S2025001", ruleID: "nmit-transfers-dr", grant: .transferCredit(course: "MIT-201", grade: nil, map: [], origin: .synthetic()),
            verdict: .granted, credits: 4, grade: 90, evidence: [LedgerFixtures.award], reason: "won second prize in nmit-2025")
        var outcomes: [Ledger.IssueOutcome] = []
        let counts = try l.ledger.issue([transfer], signer: signer, issuedAt: LedgerFixtures.issuedAt) { outcomes.append($0) }
        #expect(counts == Ledger.IssueCounts(conflicts: 1))
        #expect(outcomes == [.conflict(candidate: "S2025001", rule: "nmit-transfers-dr", target: "MIT-201", activeRecord: l.ids[0], activeRule: "radtech-exempts-dr")])
        _ = try l.ledger.revoke(l.ids[0], reason: "superseded by the credit transfer", at: LedgerFixtures.issuedAt)
        #expect(try l.ledger.issue([transfer], signer: signer, issuedAt: LedgerFixtures.issuedAt) == Ledger.IssueCounts(issued: 1))
    }

    @Test("a kept head detects rewritten history and a cut-off tail")
    func keptHead() throws {
        let l = try IssuedLedger()
        let head = try l.ledger.head()
        #expect(head.row == 3)
        #expect(try LedgerVerifier.verify(try Ledger(path: l.path), head: head).passed)
        try Tamper.sql(l.path, "DELETE FROM ledger WHERE row = 3")
        let cut = try LedgerVerifier.verify(try Ledger(path: l.path), head: head)
        #expect(cut.chainProblems == ["the ledger has no row 3 (it ends at row 2), but you kept row 3 as a head: rows were cut off"])
        let l2 = try IssuedLedger()
        let head2 = try l2.ledger.head()
        try Tamper.sql(l2.path, "UPDATE ledger SET candidate = 'S2025099' WHERE row = 1")
        try Rechain.run(l2.path)
        let rewritten = try LedgerVerifier.verify(try Ledger(path: l2.path), head: head2)
        let now = try Ledger(path: l2.path).head().hash
        #expect(rewritten.chainProblems == ["row 3's hash is \(now), not the head you kept (\(head2.hash)): the history up to row 3 was rewritten"])
    }

    @Test("the decision date is recorded in assayProvenance")
    func decisionDate() throws {
        let signer = RecordSigner(
            program: LedgerFixtures.program, rubricSHA256: "x", key: try LedgerFixtures.rfc8032Key(), decisionDate: "2026-07-01")
        let record = try signer.sign(LedgerFixtures.exemption(), issuedAt: LedgerFixtures.issuedAt)
        let credential = try JSONParser.parse(record.credential)
        #expect(credential["assayProvenance"]?["decisionDate"]?.stringValue == "2026-07-01")
    }
}
