import AssayModel
public import AssayRecognition
public import AssayRecords
import CSQLite
public import Foundation

/// The ledger: every issued record in one SQLite 3 file (WAL journal), with its status and a tamper-evident
/// hash chain over rows.
///
/// ## Design
///
/// One table, `ledger`, holds the chain. Each row is an *entry* at position `row` (1, 2, 3, … with no gaps):
///
/// - an **issue** entry is a record (id, candidate, program and version, rubric SHA-256, rule, target course or
///   `certificate/component`, evidence SHA-256, the credential's canonical JSON, its VC-JWT, issue time) —
///   the view `records` shows exactly these, one row per record, with the current status;
/// - a **revoke** entry withdraws a record: the record id, the reason and the time. Revocation never edits or
///   deletes the issue entry's chained fields; it appends to the chain, so the chain still verifies and the
///   history stays. The issue entry's `status`, `status_reason` and `status_time` columns are a convenience
///   copy written in the same transaction; they are not hashed, and `verify` checks them against the revoke
///   entries (an edited status is reported).
///
/// Each entry's `hash` is SHA-256 (hex) over the canonical JSON (``JSONValue/canonical``) of its chained
/// fields plus `prev`, the previous entry's hash (64 zeros for row 1). Changing any byte of a chained field
/// breaks that entry's hash; deleting, inserting or reordering entries breaks the next entry's `prev_hash`;
/// forging a consistent chain still cannot forge the issuer's signatures. Truncating the tail, or rewriting
/// history and recomputing every hash after it, is what a chain alone cannot show: `recognize`, `revoke` and
/// `verify` print the head (last row and hash) for the registrar to keep elsewhere, and `verify --head` checks it.
/// A grant whose record was revoked is not issued again (``IssueOutcome/revoked``), and a grant for a course
/// or component the candidate already has an active record for, from another rule or evidence, is refused
/// (``IssueOutcome/conflict``).
///
/// The table `ledger_meta` holds the ledger's **issuer** (`issuer` = the did:key of the key that first issued
/// into it; for a ledger made before it was recorded, its first record's signer). Issuing with another key is
/// refused, and `verify` fails any record signed by another key. The row is not chained: rewriting it makes
/// every genuine record fail; rewriting it *and* every record is a new ledger, which only the institution's
/// published DID (`verify --issuer`) or a kept head (`verify --head`) shows.
///
/// Issuing is idempotent: a partial UNIQUE index on (candidate, program, rule, evidence SHA-256) over issue
/// entries, and a lookup before signing, inside `BEGIN IMMEDIATE` transactions of at most `batchSize`
/// records. A batch killed part-way loses only its open transaction; running it again skips what was
/// committed ("already issued") and issues the rest.
public final class Ledger {
    let db: SQLiteDatabase
    /// The ledger file.
    public let path: String

    /// The hash a first row chains to.
    public static let genesis = String(repeating: "0", count: 64)

    /// Opens the ledger at `path`; with `create`, makes the file and its tables if they do not exist.
    /// Without it, a missing file is an error that says how to make one. `readOnly` (for verify, records,
    /// export) opens it for reading only and changes nothing in it, not even its journal mode.
    ///
    /// `wait`: how long, in seconds, a write waits for another process writing to the same file (another
    /// `assay recognize` or `assay revoke`) before it gives up with ``LedgerError/Code/locked``. Writes are
    /// serialised: each transaction starts with `BEGIN IMMEDIATE`, so it reads the chain's head only once it
    /// holds the write lock, and one that finds the file locked is rolled back and run again.
    public init(path: String, create: Bool = false, readOnly: Bool = false, wait: TimeInterval = 10) throws {
        if !create, !FileManager.default.fileExists(atPath: path) {
            throw LedgerError(.open, "there is no ledger at \(path); records are issued into one with 'assay recognize … --key KEY --ledger \(path)'")
        }
        self.path = path
        db = try SQLiteDatabase(path: path, create: create && !readOnly, readOnly: readOnly, wait: wait)
        if !readOnly { try db.retrying { try db.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON") } }
        let hasTable = try db.prepare("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='ledger'")
        _ = try hasTable.step()
        if hasTable.int(0) == 0 {
            guard create, !readOnly else { throw LedgerError(.open, "\(path) is not an Assay ledger (it has no ledger table)") }
            try db.transaction {
                try db.execute(
                    """
                    CREATE TABLE IF NOT EXISTS ledger (
                      row INTEGER PRIMARY KEY,
                      kind TEXT NOT NULL CHECK (kind IN ('issue', 'revoke')),
                      record_id TEXT NOT NULL,
                      candidate TEXT, program TEXT, program_version TEXT, rubric_sha256 TEXT, rule TEXT, target TEXT,
                      evidence_sha256 TEXT, credential TEXT, jwt TEXT, issued_at TEXT,
                      reason TEXT, revoked_at TEXT,
                      status TEXT CHECK (status IN ('active', 'revoked')), status_reason TEXT, status_time TEXT,
                      prev_hash TEXT NOT NULL,
                      hash TEXT NOT NULL
                    );
                    CREATE UNIQUE INDEX IF NOT EXISTS ledger_one_record_per_grant
                      ON ledger(candidate, program, rule, evidence_sha256) WHERE kind = 'issue';
                    CREATE UNIQUE INDEX IF NOT EXISTS ledger_record_id ON ledger(record_id) WHERE kind = 'issue';
                    CREATE UNIQUE INDEX IF NOT EXISTS ledger_one_revocation ON ledger(record_id) WHERE kind = 'revoke';
                    CREATE TABLE IF NOT EXISTS ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE VIEW IF NOT EXISTS records AS
                      SELECT row, record_id AS id, candidate, program, program_version, rubric_sha256, rule, target,
                             evidence_sha256, credential, jwt, issued_at, status, status_reason, status_time
                      FROM ledger WHERE kind = 'issue';
                    """)
            }
        } else if create, !readOnly {
            try db.execute("CREATE TABLE IF NOT EXISTS ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        }
    }

    // MARK: - Issuer

    /// The did:key of the institution whose key issues this ledger's records, fixed by the first issuing run
    /// (nil for a ledger nothing has been issued into yet).
    public func issuer() throws -> String? {
        let t = try db.prepare("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='ledger_meta'")
        _ = try t.step()
        guard t.int(0) > 0 else { return nil }
        let s = try db.prepare("SELECT value FROM ledger_meta WHERE key = 'issuer'")
        return try s.step() ? s.text(0) : nil
    }

    /// The issuer named by the first record's credential (for a ledger that does not record its issuer);
    /// nil for an empty ledger.
    func firstRecordIssuer() throws -> String? {
        let first = try db.prepare("SELECT credential FROM ledger WHERE kind = 'issue' ORDER BY row LIMIT 1")
        guard try first.step(), let text = first.text(0) else { return nil }
        let credential = try? JSONParser.parse(text)
        return credential?["issuer"]?["id"]?.stringValue ?? credential?["issuer"]?.stringValue ?? "an unknown issuer"
    }

    /// Records `did` as the ledger's issuer if it has none; throws ``LedgerError/Code/wrongIssuer`` if it
    /// has another. Runs inside the caller's transaction.
    func claimIssuer(_ did: String) throws {
        if let existing = try issuer() {
            guard existing == did else {
                throw LedgerError(
                    .wrongIssuer,
                    "the key is not this ledger's issuer: the records in \(path) are issued by \(existing), and the key given is \(did); issue with the ledger's key, or into a new ledger for a new issuer")
            }
            return
        }
        // A ledger made before the issuer was recorded: its first record's signer is the issuer.
        if let signer = try firstRecordIssuer() {
            guard signer == did else {
                throw LedgerError(
                    .wrongIssuer,
                    "the key is not this ledger's issuer: the records in \(path) are issued by \(signer), and the key given is \(did); issue with the ledger's key, or into a new ledger for a new issuer")
            }
        }
        try db.prepare("INSERT INTO ledger_meta (key, value) VALUES ('issuer', ?1)").bind([did]).run()
    }

    // MARK: - Issuing

    /// What happened to one granted decision.
    public enum IssueOutcome: Sendable, Hashable {
        /// A new record was signed and stored.
        case issued(IssuedRecord)
        /// The ledger already holds the record for this candidate, program, rule and evidence.
        case alreadyIssued(id: String, candidate: String, rule: String, target: String)
        /// The ledger holds the record for this grant, and it has been revoked: it is not issued again.
        case revoked(id: String, candidate: String, rule: String, target: String, revokedAt: String, reason: String)
        /// The candidate already has an active record for the same course (or certificate component) from
        /// another rule or other evidence: nothing is issued until that record is revoked.
        case conflict(candidate: String, rule: String, target: String, activeRecord: String, activeRule: String)
    }

    /// How many records a call to ``issue(_:signer:issuedAt:batchSize:each:)`` issued, and how many grants the
    /// ledger already held.
    public struct IssueCounts: Sendable, Hashable {
        public var issued: Int
        public var alreadyIssued: Int
        /// Grants whose record was revoked (not issued again).
        public var revoked: Int
        /// Grants refused because an active record already credits the same course or component.
        public var conflicts: Int

        public init(issued: Int = 0, alreadyIssued: Int = 0, revoked: Int = 0, conflicts: Int = 0) {
            self.issued = issued
            self.alreadyIssued = alreadyIssued
            self.revoked = revoked
            self.conflicts = conflicts
        }
    }

    /// Signs and stores a record for every granted decision (others are skipped), in order, committing every
    /// `batchSize` records; `each` is called, in order, once a decision's transaction has committed. Outcomes
    /// are handed to `each` and not kept, so a batch of any size needs only one transaction's worth of memory.
    @discardableResult
    public func issue(
        _ decisions: [RecognitionDecision], signer: RecordSigner, issuedAt: Date, batchSize: Int = 1000,
        each: (IssueOutcome) -> Void = { _ in }
    ) throws -> IssueCounts {
        let granted = decisions.filter(\.isGranted)
        var counts = IssueCounts()
        let find = try db.prepare(
            "SELECT record_id, status, status_time, status_reason FROM ledger WHERE kind = 'issue' AND candidate = ?1 AND program = ?2 AND rule = ?3 AND evidence_sha256 = ?4")
        let active = try db.prepare(
            "SELECT record_id, rule FROM ledger WHERE kind = 'issue' AND candidate = ?1 AND program = ?2 AND target = ?3 AND status = 'active' ORDER BY row LIMIT 1")
        try db.transaction { try claimIssuer(signer.key.did.did) }
        let insert = try db.prepare(
            """
            INSERT INTO ledger (row, kind, record_id, candidate, program, program_version, rubric_sha256, rule, target,
              evidence_sha256, credential, jwt, issued_at, status, prev_hash, hash)
            VALUES (?1, 'issue', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'active', ?13, ?14)
            """)
        var start = 0
        while start < granted.count {
            let batch = granted[start..<min(start + max(batchSize, 1), granted.count)]
            let done: [IssueOutcome] = try db.transaction {
                var (row, prev) = try head()
                var done: [IssueOutcome] = []
                for decision in batch {
                    let identity = signer.identity(of: decision)
                    find.bind([decision.candidate, signer.builder.program.id, decision.ruleID, identity.evidenceSHA256])
                    let target = CredentialBuilder.target(of: decision.grant)
                    if try find.step() {
                        let existing = find.text(0) ?? identity.id
                        if find.text(1) == "revoked" {
                            done.append(
                                .revoked(
                                    id: existing, candidate: decision.candidate, rule: decision.ruleID, target: target,
                                    revokedAt: find.text(2) ?? "?", reason: find.text(3) ?? ""))
                        } else {
                            done.append(.alreadyIssued(id: existing, candidate: decision.candidate, rule: decision.ruleID, target: target))
                        }
                        continue
                    }
                    active.bind([decision.candidate, signer.builder.program.id, target])
                    if try active.step() {
                        done.append(
                            .conflict(
                                candidate: decision.candidate, rule: decision.ruleID, target: target, activeRecord: active.text(0) ?? "?",
                                activeRule: active.text(1) ?? "?"))
                        continue
                    }
                    let record: IssuedRecord
                    do { record = try signer.sign(decision, issuedAt: issuedAt) } catch {
                        throw LedgerError(.record, "cannot issue the record for \(decision.candidate) under rule \(decision.ruleID): \(error)")
                    }
                    row += 1
                    let hash = Self.hash(issue: record, prev: prev)
                    insert.bind([
                        row, record.id, record.candidate, record.program, record.programVersion, record.rubricSHA256, record.rule,
                        record.target, record.evidenceSHA256, record.credential, record.jwt, record.issuedAt, prev, hash,
                    ])
                    try insert.run()
                    prev = hash
                    done.append(.issued(record))
                }
                return done
            }
            for o in done {
                switch o {
                case .issued: counts.issued += 1
                case .alreadyIssued: counts.alreadyIssued += 1
                case .revoked: counts.revoked += 1
                case .conflict: counts.conflicts += 1
                }
                each(o)
            }
            start += batch.count
        }
        return counts
    }

    /// The last row number and its hash (0 and ``genesis`` for an empty ledger).
    public func head() throws -> (row: Int, hash: String) {
        let s = try db.prepare("SELECT row, hash FROM ledger ORDER BY row DESC LIMIT 1")
        guard try s.step() else { return (0, Self.genesis) }
        return (s.int(0), s.text(1) ?? "")
    }

    // MARK: - Revoking

    /// Revokes record `id` with `reason` at `time`: appends a revoke entry to the chain and marks the record.
    /// Throws ``LedgerError/Code/unknownRecord`` or ``LedgerError/Code/alreadyRevoked``.
    public func revoke(_ id: String, reason: String, at time: Date) throws -> LedgerRecord {
        try db.transaction {
            guard let record = try record(id) else {
                throw LedgerError(.unknownRecord, "the ledger \(path) has no record \(id); 'assay records --ledger \(path)' lists them")
            }
            if record.status == .revoked {
                throw LedgerError(.alreadyRevoked, "record \(id) is already revoked (\(record.revokedAt ?? "?"): \(record.revocationReason ?? ""))")
            }
            let (row, prev) = try head()
            let when = Timestamp.text(time)
            let hash = Self.hash(revoke: id, reason: reason, at: when, prev: prev)
            try db.prepare(
                "INSERT INTO ledger (row, kind, record_id, reason, revoked_at, prev_hash, hash) VALUES (?1, 'revoke', ?2, ?3, ?4, ?5, ?6)"
            ).bind([row + 1, id, reason, when, prev, hash]).run()
            try db.prepare(
                "UPDATE ledger SET status = 'revoked', status_reason = ?2, status_time = ?3 WHERE kind = 'issue' AND record_id = ?1"
            ).bind([id, reason, when]).run()
            var revoked = record
            revoked.status = .revoked
            revoked.revocationReason = reason
            revoked.revokedAt = when
            return revoked
        }
    }

    // MARK: - Reading

    static let recordColumns =
        "row, record_id, candidate, program, program_version, rubric_sha256, rule, target, evidence_sha256, credential, jwt, issued_at, status, status_reason, status_time"

    static func readRecord(_ s: Statement) -> LedgerRecord {
        LedgerRecord(
            row: s.int(0),
            issued: IssuedRecord(
                id: s.text(1) ?? "", candidate: s.text(2) ?? "", program: s.text(3) ?? "", programVersion: s.text(4) ?? "",
                rubricSHA256: s.text(5) ?? "", rule: s.text(6) ?? "", target: s.text(7) ?? "", evidenceSHA256: s.text(8) ?? "",
                credential: s.text(9) ?? "", jwt: s.text(10) ?? "", issuedAt: s.text(11) ?? ""),
            status: s.text(12) == "revoked" ? .revoked : .active, revocationReason: s.text(13), revokedAt: s.text(14))
    }

    /// How many records (issue entries) the ledger holds.
    public func recordCount() throws -> Int {
        let s = try db.prepare("SELECT count(*) FROM ledger WHERE kind = 'issue'")
        _ = try s.step()
        return s.int(0)
    }

    /// The record with `id`, or nil.
    public func record(_ id: String) throws -> LedgerRecord? {
        let s = try db.prepare("SELECT \(Self.recordColumns) FROM ledger WHERE kind = 'issue' AND record_id = ?1")
        s.bind([id])
        return try s.step() ? Self.readRecord(s) : nil
    }

    /// Records in issue order, optionally only a candidate's, a course's (or `certificate/component`'s), or
    /// those with a status.
    public func records(candidate: String? = nil, target: String? = nil, status: LedgerRecord.Status? = nil) throws -> [LedgerRecord] {
        let s = try db.prepare(
            """
            SELECT \(Self.recordColumns) FROM ledger WHERE kind = 'issue'
              AND (?1 IS NULL OR candidate = ?1) AND (?2 IS NULL OR target = ?2) AND (?3 IS NULL OR status = ?3)
            ORDER BY row
            """)
        s.bind([candidate, target, status?.rawValue])
        var out: [LedgerRecord] = []
        while try s.step() { out.append(Self.readRecord(s)) }
        return out
    }

    // MARK: - Hashes

    /// The chained hash of an issue entry.
    static func hash(issue r: IssuedRecord, prev: String) -> String {
        let fields: JSONValue = [
            "kind": "issue", "record": .string(r.id), "candidate": .string(r.candidate), "program": .string(r.program),
            "programVersion": .string(r.programVersion), "rubricSHA256": .string(r.rubricSHA256), "rule": .string(r.rule),
            "target": .string(r.target), "evidenceSHA256": .string(r.evidenceSHA256), "credential": .string(r.credential),
            "jwt": .string(r.jwt), "issuedAt": .string(r.issuedAt), "prev": .string(prev),
        ]
        return SHA256.hex(of: fields.canonicalBytes)
    }

    /// The chained hash of a revoke entry.
    static func hash(revoke id: String, reason: String, at time: String, prev: String) -> String {
        let fields: JSONValue = [
            "kind": "revoke", "record": .string(id), "reason": .string(reason), "revokedAt": .string(time), "prev": .string(prev),
        ]
        return SHA256.hex(of: fields.canonicalBytes)
    }
}
