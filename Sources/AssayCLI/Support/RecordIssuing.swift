import AssayLedger
import AssayModel
import AssayRecognition
import AssayRecords
import Foundation

/// Issuing records for granted recognition decisions: what `assay recognize` does when it is not a dry run.
enum RecordIssuing {
    /// Signs an OB 3.0 credential (VC-JWT) for every granted decision in `decisions` with the key at
    /// `keyPath` and stores it in the ledger at `ledgerPath` (created if missing), idempotently: a grant the
    /// ledger already holds (same candidate, program, rule and evidence digest) is reported, not issued again.
    ///
    /// - Parameters:
    ///   - rubricSHA256: SHA-256 (hex) of the rubric file `program` was loaded from.
    ///   - issuedAt: the issue time written into every new record (inject it for reproducible output).
    ///   - issuerName: the institution's name for the credential's issuer profile, if known.
    ///   - linesToStandardError: print the per-record lines on standard error (when standard output carries
    ///     CSV or JSON decisions).
    /// - Returns: 0 when every grant has its record, 1 when the key or ledger could not be used (the message
    ///   says why and what to do), 3 on an internal error.
    ///
    /// Prints one line per granted decision, in order: `issued ID  CANDIDATE  TARGET  rule RULE`,
    /// `already issued ID  CANDIDATE  TARGET  rule RULE`, `revoked ID  CANDIDATE  TARGET  rule RULE: revoked on
    /// TIME (REASON); not issued again`, or `not issued  CANDIDATE  TARGET  rule RULE: conflicts with active
    /// record ID (rule R) for TARGET; revoke it first`; then `N issued, M already issued[, R revoked, C in
    /// conflict] in LEDGER` and the ledger's head (`head: row N sha256 HASH`) for the registrar to keep.
    /// A revoked or conflicting grant makes the run exit 1, with a hint.
    ///
    /// `holdBack`: candidates whose grants must wait, with why — a decision waiting on an incomplete result
    /// (a higher-priority rule that is waiting could still take the grant), or evidence that cannot be trusted
    /// or counted as it stands. Their granted decisions are not issued; one line per candidate, in the order
    /// of the decisions: `not issued  CANDIDATE: N granted decision(s) held back: WHY`; the run then exits 1.
    static func issue(
        _ decisions: [RecognitionDecision], program: Program, rubricSHA256: String, keyPath: String, ledgerPath: String,
        issuedAt: Date, issuerName: String? = nil, decisionDate: String? = nil, holdBack: [String: HoldBack] = [:],
        linesToStandardError: Bool = false, output: Output
    ) -> Int32 {
        let say: (String) -> Void = { linesToStandardError ? output.err($0 + "\n") : output.line($0) }
        var heldBack: [(candidate: String, count: Int)] = []
        var decisions = decisions
        if !holdBack.isEmpty {
            var position: [String: Int] = [:]
            for d in decisions where d.isGranted && holdBack[d.candidate] != nil {
                if let i = position[d.candidate] {
                    heldBack[i].count += 1
                } else {
                    position[d.candidate] = heldBack.count
                    heldBack.append((d.candidate, 1))
                }
            }
            decisions.removeAll { holdBack[$0.candidate] != nil }
        }
        let key: SigningKey
        do { key = try SigningKey.load(path: keyPath) } catch {
            output.err("assay: \(error)\n")
            return AssayCommand.ExitCode.checkFailed
        }
        let ledger: Ledger
        do { ledger = try Ledger(path: ledgerPath, create: true, wait: LedgerWait.seconds()) } catch {
            output.err("assay: \(error)\n")
            return AssayCommand.ExitCode.checkFailed
        }
        let signer = RecordSigner(program: program, rubricSHA256: rubricSHA256, key: key, issuerName: issuerName, decisionDate: decisionDate)
        for (candidate, count) in heldBack {
            // Records issued in an earlier run are not touched; say so, lest "not issued" read as "has none".
            let active = (try? ledger.records(candidate: candidate, status: .active).count) ?? 0
            let kept = active == 0 ? "" : " (the \(active) active record\(active == 1 ? "" : "s") \(candidate) already has stay\(active == 1 ? "s" : "") as \(active == 1 ? "it is" : "they are"))"
            say("not issued  \(candidate): \(count) granted decision\(count == 1 ? "" : "s") held back: \(holdBack[candidate]!.words)\(kept)")
        }
        var issued = 0
        var already = 0
        var revoked = 0
        var conflicts = 0
        do {
            try ledger.issue(decisions, signer: signer, issuedAt: issuedAt) { outcome in
                switch outcome {
                case .issued(let r):
                    issued += 1
                    say("issued \(r.id)  \(r.candidate)  \(r.target)  rule \(r.rule)")
                case .alreadyIssued(let id, let candidate, let rule, let target):
                    already += 1
                    say("already issued \(id)  \(candidate)  \(target)  rule \(rule)")
                case .revoked(let id, let candidate, let rule, let target, let revokedAt, let reason):
                    revoked += 1
                    say("revoked \(id)  \(candidate)  \(target)  rule \(rule): revoked on \(revokedAt) (\(reason)); not issued again")
                case .conflict(let candidate, let rule, let target, let activeRecord, let activeRule):
                    conflicts += 1
                    say("not issued  \(candidate)  \(target)  rule \(rule): conflicts with active record \(activeRecord) (rule \(activeRule)) for \(target); revoke it first")
                }
            }
        } catch let e as LedgerError where e.code == .record || e.code == .wrongIssuer || e.code == .locked {
            output.err("assay: \(e.message)\n")
            return AssayCommand.ExitCode.checkFailed
        } catch {
            output.err("assay: internal error: \(error)\n")
            return AssayCommand.ExitCode.internalError
        }
        var summary = "\(issued) issued, \(already) already issued"
        if revoked > 0 { summary += ", \(revoked) revoked (not issued again)" }
        if conflicts > 0 { summary += ", \(conflicts) in conflict with an active record" }
        let waiting = heldBack.filter { if case .awaitingEvidence = holdBack[$0.candidate] { return true } else { return false } }
            .map(\.count).reduce(0, +)
        let doubtful = heldBack.map(\.count).reduce(0, +) - waiting
        if waiting > 0 { summary += ", \(waiting) held back (awaiting evidence)" }
        if doubtful > 0 { summary += ", \(doubtful) held back (evidence to correct)" }
        say(summary + " in \(ledgerPath)")
        if let head = try? ledger.head() { say("head: row \(head.row) sha256 \(head.hash) (keep it; 'assay verify --ledger \(ledgerPath) --head \(head.row):\(head.hash)' checks it)") }
        if revoked > 0 {
            output.err(
                "assay: a revoked record is never issued again for the same candidate, rule and evidence; a corrected record needs new evidence or a new rule\n")
        }
        if conflicts > 0 {
            output.err("assay: a course or component is credited by one active record at a time; revoke the active record first to issue another\n")
        }
        return revoked + conflicts + heldBack.count > 0 ? AssayCommand.ExitCode.checkFailed : AssayCommand.ExitCode.ok
    }

    /// The issue time for new records: `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds
    /// convention) when set — tests and the demo use it for byte-identical records — otherwise now.
    static func issueTime(environment: [String: String] = ProcessInfo.processInfo.environment) -> Date {
        if let text = environment["SOURCE_DATE_EPOCH"], let seconds = Int(text) {
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return Date()
    }
}

/// Why a candidate's grants are not issued in this run.
enum HoldBack: Equatable {
    /// Other decisions of the candidate (these rules) wait on an incomplete result.
    case awaitingEvidence(rules: [String])
    /// The candidate's evidence cannot be trusted or counted as it stands (read twice, possibly misread, an
    /// item recognition cannot count): `what` says which, with its place.
    case evidenceToCorrect(String)

    var words: String {
        switch self {
        case .awaitingEvidence(let rules):
            let which = rules.isEmpty ? "other decisions await" : "rule\(rules.count == 1 ? "" : "s") \(rules.joined(separator: ", ")) wait\(rules.count == 1 ? "s" : "") for"
            return "\(which) an incomplete result; issue them once the results are complete"
        case .evidenceToCorrect(let what): return "\(what); correct the evidence and run again"
        }
    }
}
