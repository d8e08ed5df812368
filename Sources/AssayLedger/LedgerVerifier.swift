import AssayRecords
import Dispatch
import Foundation

/// What verifying a ledger found.
public struct LedgerReport: Sendable {
    /// One checked record and how it came out.
    public struct Entry: Sendable, Hashable {
        /// The record with its status as the revoke entries establish it; `credential` and `jwt` are left empty
        /// (read them with ``Ledger/record(_:)``).
        public var record: LedgerRecord
        /// What failed (signature, schema, the row's hash, stored vs signed credential…); empty when it verifies.
        public var problems: [String]
        /// Verified, and not revoked.
        public var isValid: Bool { problems.isEmpty && record.status == .active }
    }

    /// The records checked, in row order.
    public var records: [Entry]
    /// Problems with the chain itself (missing or reordered rows, edited revocations), naming the row and
    /// record. An edited record row is reported with its record.
    public var chainProblems: [String]
    /// Rows in the ledger, and the last row's number and hash (the head a registrar can keep to detect
    /// truncation). The number is the row's own: with a row deleted it is not the count.
    public var rows: Int
    public var headHash: String
    public var headRow: Int
    /// The ledger's issuer (the did:key every record must be signed by), nil if the ledger records none.
    public var issuer: String?

    /// Nothing failed and nothing checked is revoked.
    public var passed: Bool { chainProblems.isEmpty && records.allSatisfy(\.isValid) }
}

/// Verifies a ``Ledger``: the hash chain over every row, and for each record (or only one) its VC-JWT
/// signature against the did:key issuer (``RecordVerifier``), the credential against the OB 3.0 rules Assay
/// checks (``CredentialCheck``), that the stored credential and indexed columns are what was signed, and its
/// status against the revoke entries.
public enum LedgerVerifier {
    /// Checks `ledger`; with `only`, reports just that record (the whole chain, every row's hash included,
    /// is still checked). Every record must be signed by the ledger's issuer, and, when `issuer` is given,
    /// the ledger's issuer must be `issuer`. With `head` (a row and the hash a registrar kept), that row
    /// must still exist with that hash.
    ///
    /// Reads the ledger twice — the chain columns of every row, then the records in chunks, checked in
    /// parallel — so memory stays small for large ledgers; the report's records therefore carry no credential or JWT text (empty strings).
    public static func verify(
        _ ledger: Ledger, only: String? = nil, issuer expectedIssuer: String? = nil, head: (row: Int, hash: String)? = nil
    ) throws -> LedgerReport {
        struct Row {
            var row: Int
            var kind: String
            var recordID: String
            var reason: String?
            var revokedAt: String?
            var prevHash: String
            var hash: String
        }
        // Pass 1: the chain.
        var rows: [Row] = []
        let s = try ledger.db.prepare("SELECT row, kind, record_id, reason, revoked_at, prev_hash, hash FROM ledger ORDER BY row")
        while try s.step() {
            rows.append(
                Row(row: s.int(0), kind: s.text(1) ?? "", recordID: s.text(2) ?? "", reason: s.text(3), revokedAt: s.text(4),
                    prevHash: s.text(5) ?? "", hash: s.text(6) ?? ""))
        }
        var rowOfHash: [String: Int] = [:]
        for r in rows { rowOfHash[r.hash] = r.row }
        var issueRow: [String: Int] = [:]
        for r in rows where r.kind == "issue" { issueRow[r.recordID] = r.row }

        var chain: [String] = []
        let ledgerIssuer = try ledger.issuer()
        if let expectedIssuer, ledgerIssuer != expectedIssuer {
            chain.append("the ledger's issuer is \(ledgerIssuer ?? "not recorded"), not \(expectedIssuer)")
        } else if ledgerIssuer == nil, rows.contains(where: { $0.kind == "issue" }) {
            chain.append(
                "the ledger does not record its issuer (no 'issuer' in ledger_meta): its records are checked against its first record's signer, which nothing ties to the institution's key (give --issuer DID)")
        }
        let requiredIssuer = try expectedIssuer ?? ledgerIssuer ?? ledger.firstRecordIssuer()
        if let head {
            if let kept = rows.first(where: { $0.row == head.row }) {
                if kept.hash != head.hash {
                    chain.append("row \(head.row)'s hash is \(kept.hash), not the head you kept (\(head.hash)): the history up to row \(head.row) was rewritten")
                }
            } else {
                chain.append("the ledger has no row \(head.row) (it ends at row \(rows.last?.row ?? 0)), but you kept row \(head.row) as a head: rows were cut off")
            }
        }
        var revocations: [String: Row] = [:]
        var expectedPrev = Ledger.genesis
        var expectedRow = 1
        for r in rows {
            let label = r.kind == "issue" ? "row \(r.row) (record \(r.recordID))" : "row \(r.row) (revocation of \(r.recordID))"
            if r.row > expectedRow {
                chain.append(
                    r.row == expectedRow + 1
                        ? "row \(expectedRow) is missing (the ledger goes from row \(expectedRow - 1) to row \(r.row)): a row was deleted"
                        : "rows \(expectedRow)–\(r.row - 1) are missing (the ledger goes from row \(expectedRow - 1) to row \(r.row)): rows were deleted")
            }
            if r.prevHash != expectedPrev {
                if let other = rowOfHash[r.prevHash] {
                    chain.append("\(label) should follow row \(other), not row \(r.row - 1): rows were reordered")
                } else {
                    chain.append("\(label) follows a row that is not in the ledger: the row before it was deleted or replaced")
                }
            }
            if r.kind == "revoke" {
                if let target = issueRow[r.recordID], target < r.row {
                    revocations[r.recordID] = r
                } else {
                    chain.append("\(label) revokes record \(r.recordID), which no earlier row issued")
                }
                if Ledger.hash(revoke: r.recordID, reason: r.reason ?? "", at: r.revokedAt ?? "", prev: r.prevHash) != r.hash {
                    chain.append("\(label): its contents do not match its hash — the row was changed after it was written")
                }
            } else if r.kind != "issue" {
                chain.append("row \(r.row) is of an unknown kind '\(r.kind)'")
            }
            expectedPrev = r.hash
            expectedRow = r.row + 1
        }

        // Pass 2: the records, read in chunks and checked on every core (each check is independent; the
        // report keeps row order).
        struct Item: Sendable {
            var record: LedgerRecord
            var prev: String
            var hash: String
            /// Check the record fully (signature, columns, status); otherwise only its row hash.
            var full: Bool
        }
        let revoked = revocations.mapValues { (row: $0.row, reason: $0.reason, revokedAt: $0.revokedAt) }
        let check: @Sendable (Item, inout RecordVerifier) -> LedgerReport.Entry = { item, verifier in
            var record = item.record
            var problems: [String] = []
            let recomputed = Ledger.hash(
                issue: IssuedRecord(
                    id: record.id, candidate: record.candidate, program: record.program, programVersion: record.programVersion,
                    rubricSHA256: record.rubricSHA256, rule: record.rule, target: record.target, evidenceSHA256: record.evidenceSHA256,
                    credential: record.credential, jwt: record.jwt, issuedAt: record.issuedAt),
                prev: item.prev)
            if recomputed != item.hash {
                problems.append("row \(record.row): its contents do not match its hash — the row was changed after it was written")
            }
            guard item.full else {
                record.issued.credential = ""
                record.issued.jwt = ""
                return LedgerReport.Entry(record: record, problems: problems)
            }
            let v = verifier.verify(jwt: record.jwt)
            problems += v.problems
            if let requiredIssuer, let signer = v.issuer, signer != requiredIssuer {
                problems.append("signed by \(signer), not by the ledger's issuer \(requiredIssuer)")
            }
            if let signed = v.credential {
                // Stored credentials are canonical JSON: any difference from the signed one, even reformatting, is an edit.
                if record.credential.utf8.elementsEqual(signed.canonicalBytes) == false {
                    problems.append("the stored credential differs from the signed one")
                }
                let provenance = signed["assayProvenance"]
                for (column, value, claimed) in [
                    ("record id", record.id, signed["id"]?.stringValue.map { String($0.dropFirst("urn:uuid:".count)) }),
                    ("candidate", record.candidate, provenance?["candidate"]?.stringValue),
                    ("program", record.program, provenance?["program"]?["id"]?.stringValue),
                    ("rule", record.rule, provenance?["rule"]?["id"]?.stringValue),
                    ("evidence digest", record.evidenceSHA256, provenance?["evidenceSHA256"]?.stringValue),
                    ("target", record.target, signedTarget(provenance?["grant"])),
                    ("program version", record.programVersion, provenance?["program"]?["version"]?.stringValue),
                    ("rubric digest", record.rubricSHA256, provenance?["rubricSHA256"]?.stringValue),
                    ("issue time", record.issuedAt, signed["validFrom"]?.stringValue),
                ] where value != claimed {
                    problems.append("the row's \(column) is \(value) but the signed credential says \(claimed ?? "nothing")")
                }
            }
            if let revocation = revoked[record.id] {
                if record.status != .revoked || record.revocationReason != revocation.reason || record.revokedAt != revocation.revokedAt {
                    problems.append("the status columns do not match its revocation in row \(revocation.row) — the status was edited")
                }
                record.status = .revoked
                record.revocationReason = revocation.reason
                record.revokedAt = revocation.revokedAt
            } else if record.status == .revoked {
                problems.append("the status says revoked but no row revokes it — the status was edited")
            }
            record.issued.credential = ""
            record.issued.jwt = ""
            return LedgerReport.Entry(record: record, problems: problems)
        }
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var entries: [LedgerReport.Entry] = []
        var chunk: [Item] = []
        func flush() {
            let items = chunk
            let results = UnsafeMutableBufferPointer<LedgerReport.Entry?>.allocate(capacity: items.count)
            results.initialize(repeating: nil)
            defer {
                _ = results.deinitialize()
                results.deallocate()
            }
            nonisolated(unsafe) let slots = results
            DispatchQueue.concurrentPerform(iterations: min(workers, items.count)) { w in
                var verifier = RecordVerifier()
                for i in stride(from: w, to: items.count, by: workers) { slots[i] = check(items[i], &verifier) }
            }
            entries += results.map { $0! }
            chunk.removeAll(keepingCapacity: true)
        }
        let q = try ledger.db.prepare("SELECT \(Ledger.recordColumns), prev_hash, hash FROM ledger WHERE kind = 'issue' ORDER BY row")
        while try q.step() {
            let record = Ledger.readRecord(q)
            chunk.append(Item(record: record, prev: q.text(15) ?? "", hash: q.text(16) ?? "", full: only == nil || record.id == only))
            if chunk.count == 256 * workers { flush() }
        }
        if !chunk.isEmpty { flush() }
        if only != nil {
            // Rows outside the chosen record are still part of the chain: an edited one is a chain problem.
            for e in entries where e.record.id != only {
                chain += e.problems.map { $0.replacingOccurrences(of: "row \(e.record.row):", with: "row \(e.record.row) (record \(e.record.id)):") }
            }
            entries.removeAll { $0.record.id != only }
        }
        return LedgerReport(
            records: entries, chainProblems: chain, rows: rows.count, headHash: rows.last?.hash ?? Ledger.genesis,
            headRow: rows.last?.row ?? 0, issuer: ledgerIssuer)
    }

    /// The target a credential's `assayProvenance.grant` names: the course, or `certificate/component`.
    static func signedTarget(_ grant: JSONValue?) -> String? {
        if let course = grant?["course"]?.stringValue { return course }
        guard let certificate = grant?["certificate"]?.stringValue, let component = grant?["component"]?.stringValue else { return nil }
        return certificate + "/" + component
    }
}
