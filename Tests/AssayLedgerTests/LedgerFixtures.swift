import AssayModel
import AssayRecognition
import AssayRecords
import CSQLite
import Foundation

/// The records tests' program and hand-made decisions, for the ledger tests (a copy: test targets do not share files).
enum LedgerFixtures {
    /// The RFC 8032 §7.1 TEST 1 key (a public test vector), from the records tests' fixtures.
    static func rfc8032Key() throws -> SigningKey {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("AssayRecordsTests/Fixtures/rfc8032-test1.pem")
        return try SigningKey(pem: try String(contentsOf: url, encoding: .utf8))
    }

    /// A fresh ledger file in a new temporary folder.
    static func ledgerPath() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("records.db").path
    }

    static let program = Program(
        id: "mit-bsc", version: "2025.1", title: "Medical Imaging Technology (BSc)",
        courses: [
            Course(
                id: "MIT-201", title: "X-ray and DR Imaging Technology", credits: Decimal(string: "4")!, pass: 60,
                assessment: ScoringNode(id: "total", scorer: ScorerReference(parsing: "value"), max: 100)),
            Course(
                id: "MIT-202", title: "CT Imaging Technology", credits: Decimal(string: "3.5")!, pass: 60,
                assessment: ScoringNode(id: "total", scorer: ScorerReference(parsing: "value"), max: 100)),
        ],
        certificates: [
            Certificate(
                id: "rad-tech", title: "Radiological Technologist", levels: [.init(id: "junior", rank: 1)],
                components: [.init(id: "theory-basic", title: "Theory: basic knowledge", max: 100, pass: 60)])
        ])

    static let certificate = EvidenceUse(
        kind: .certificate, description: "certificate rad-tech at junior, serial RT-2025-0042, issued 2025-06-01",
        canonical: "certificate|ref=rad-tech|level=junior|serial=RT-2025-0042|issued=2025-06-01")
    static let award = EvidenceUse(
        kind: .award, description: "second prize in nmit-2025", canonical: "award|competition=nmit-2025|award=second")

    static func exemption(_ candidate: String = "S2025001") -> RecognitionDecision {
        RecognitionDecision(
            candidate: candidate, ruleID: "radtech-exempts-dr", ruleTitle: "Radiological technologist exempts DR",
            grant: .exemptCourse(ref: "MIT-201", origin: .synthetic()), verdict: .granted, credits: 4,
            evidence: [certificate], reason: "holds rad-tech at junior, issued 2025-06-01, within 3 years")
    }

    static func transfer(_ candidate: String = "S2025002") -> RecognitionDecision {
        RecognitionDecision(
            candidate: candidate, ruleID: "nmit-transfers-ct", grant: .transferCredit(course: "MIT-202", grade: nil, map: [], origin: .synthetic()),
            verdict: .granted, credits: Decimal(string: "3.5")!, grade: Decimal(string: "85.5")!, evidence: [award],
            reason: "won second prize in nmit-2025")
    }

    static func componentExemption(_ candidate: String = "S2025003") -> RecognitionDecision {
        RecognitionDecision(
            candidate: candidate, ruleID: "basics-exempt-theory",
            grant: .exemptComponent(certificate: "rad-tech", component: "theory-basic", origin: .synthetic()), verdict: .granted,
            evidence: [certificate, award], reason: "scored 80 or more in the basics")
    }

    /// 2026-06-30T08:00:00Z.
    static let issuedAt = Date(timeIntervalSince1970: 1_782_806_400)
}

/// Edits a ledger behind Assay's back, as someone with the file would.
enum Tamper {
    static func sql(_ path: String, _ statements: String) throws {
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw TamperError(message: "cannot open \(path)") }
        defer { sqlite3_close(db) }
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(db, statements, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "?"
            sqlite3_free(error)
            throw TamperError(message: message)
        }
    }

    struct TamperError: Error { var message: String }
}
