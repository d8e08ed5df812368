import AssayLedger
import AssayRecords
import Foundation

/// `assay verify (FILE | --ledger DB [--id ID])`: check records — signature, schema, chain, status.
enum VerifyCommand {
    static let help = """
        USAGE: assay verify FILE [--issuer DID]
               assay verify --ledger DB [--id ID] [--issuer DID] [--head ROW:HASH]

        Checks signed records and says exactly what failed.

        FILE is a VC-JWT (as 'assay export ID --jwt' writes it) or a document from 'assay export ID'. Checked:
        the signature against the public key in the issuer's did:key (nothing is fetched), that the JWT's
        claims agree with the credential, and the Open Badges 3.0 credential's required fields and types.
        Anyone can sign a well-formed record with their own key: give --issuer DID (the institution's did:key,
        from a source you trust) to check that the record is the institution's.

        With --ledger, every record in the ledger (or only record ID) is checked as above, and also: that the
        stored credential is the signed one, the ledger's hash chain (an edited, deleted or reordered row is
        named by its row and record), and each record's status (a revoked record is reported with its reason
        and fails). Every record must be signed by the ledger's issuer (the key that first issued into it).
        The last line gives the chain's head (row and hash): keep it (recognize and revoke print it too) and
        give it back with --head to detect a truncated ledger or rewritten history.

        OPTIONS:
          --ledger DB     verify the records in this ledger
          --id ID         only this record (the whole chain, every row's hash included, is still checked)
          --issuer DID    the records must be signed by this did:key
          --head ROW:HASH row ROW must still have this hash (a head printed by recognize, revoke or verify)
          -h, --help      show this help

        EXIT: 0 everything verifies and nothing is revoked, 1 something failed or is revoked, 2 wrong usage.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(arguments, options: ["--ledger", "--id", "--issuer", "--head"], flags: [])
        let issuer = args.value("--issuer")
        if let issuer, !issuer.hasPrefix("did:key:") { throw UsageError("--issuer takes the issuer's did:key (did:key:z…), not '\(issuer)'") }
        if let path = args.value("--ledger") {
            guard args.positional.isEmpty else { throw UsageError("verify takes either a FILE or --ledger DB, not both") }
            var head: (row: Int, hash: String)?
            if let text = args.value("--head") {
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                guard parts.count == 2, let row = Int(parts[0]), row > 0, parts[1].count == 64 else {
                    throw UsageError("--head takes ROW:HASH as recognize, revoke and verify print it (e.g. 15:3f2a…), not '\(text)'")
                }
                head = (row, parts[1].lowercased())
            }
            return try verifyLedger(path, only: args.value("--id"), issuer: issuer, head: head, output: output)
        }
        guard args.value("--id") == nil else { throw UsageError("--id needs --ledger DB") }
        guard args.value("--head") == nil else { throw UsageError("--head needs --ledger DB") }
        guard args.positional.count == 1 else { throw UsageError("verify needs one FILE (a JWT or an exported record), or --ledger DB") }
        return verifyFile(args.positional[0], issuer: issuer, output: output)
    }

    static func verifyFile(_ path: String, issuer: String? = nil, output: Output) -> Int32 {
        guard let data = FileManager.default.contents(atPath: path) else {
            output.err("assay: cannot read \(path)\n")
            return AssayCommand.ExitCode.checkFailed
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        var jwt = text
        var exported: JSONValue?
        if text.hasPrefix("{") {
            do { exported = try JSONParser.parse(text) } catch {
                output.err("assay: \(path) is neither a JWT nor JSON: \(error)\n")
                return AssayCommand.ExitCode.checkFailed
            }
            guard let token = exported?["jwt"]?.stringValue else {
                output.err(
                    "assay: \(path) has no \"jwt\": a credential is verified by its signature; export the record with 'assay export ID --ledger DB', which includes it\n")
                return AssayCommand.ExitCode.checkFailed
            }
            jwt = token
        }
        var verifier = RecordVerifier()
        let v = verifier.verify(jwt: jwt)
        var problems = v.problems
        if let issuer, let signer = v.issuer, signer != issuer { problems.append("signed by \(signer), not by the issuer \(issuer)") }
        if let exported, let credential = exported["credential"], let signed = v.credential, credential != signed {
            problems.append("the credential in the file differs from the signed one")
        }
        let id = v.credential?["id"]?.stringValue.map { String($0.dropFirst("urn:uuid:".count)) } ?? "?"
        if problems.isEmpty {
            let provenance = v.credential?["assayProvenance"]
            let candidate = provenance?["candidate"]?.stringValue ?? "?"
            let rule = provenance?["rule"]?["id"]?.stringValue ?? "?"
            output.line("\(path): record \(id) verifies: signed by \(v.issuer ?? "?"), candidate \(candidate), rule \(rule)")
            if issuer == nil {
                output.line("issuer not checked: give --issuer DID (the institution's did:key) to check who signed it")
            }
            if let revocation = exported?["revocation"] {
                output.line(
                    "\(path): record \(id) was revoked on \(revocation["revokedAt"]?.stringValue ?? "?"): \(revocation["reason"]?.stringValue ?? "")")
                return AssayCommand.ExitCode.checkFailed
            }
            output.line("status not checked: a file cannot say whether the issuer has since revoked it; the issuer's 'assay verify --ledger' does")
            return AssayCommand.ExitCode.ok
        }
        for p in problems { output.line("\(path): record \(id): \(p)") }
        output.line("\(path): record \(id) FAILED verification (\(problems.count) problem\(problems.count == 1 ? "" : "s"))")
        return AssayCommand.ExitCode.checkFailed
    }

    static func verifyLedger(
        _ path: String, only: String?, issuer: String? = nil, head: (row: Int, hash: String)? = nil, output: Output
    ) throws -> Int32 {
        let report: LedgerReport
        do {
            let ledger = try Ledger(path: path, readOnly: true)
            if let only, try ledger.record(only) == nil {
                output.err("assay: the ledger \(path) has no record \(only); 'assay records --ledger \(path)' lists them\n")
                return AssayCommand.ExitCode.checkFailed
            }
            report = try LedgerVerifier.verify(ledger, only: only, issuer: issuer, head: head)
        } catch let e as LedgerError where e.code == .open {
            output.err("assay: \(e.message)\n")
            return AssayCommand.ExitCode.checkFailed
        }
        var valid = 0
        var revoked = 0
        var failed = 0
        for entry in report.records {
            let r = entry.record
            for p in entry.problems { output.line("record \(r.id) (row \(r.row)): \(p)") }
            if r.status == .revoked {
                output.line("record \(r.id) (row \(r.row)): revoked on \(r.revokedAt ?? "?"): \(r.revocationReason ?? "")")
            }
            if !entry.problems.isEmpty {
                failed += 1
            } else if r.status == .revoked {
                revoked += 1
            } else {
                valid += 1
            }
        }
        for p in report.chainProblems { output.line(p) }
        let n = report.records.count
        output.line("checked \(n) record\(n == 1 ? "" : "s") in \(path): \(valid) valid, \(revoked) revoked, \(failed) failed")
        output.line(
            "chain: \(report.rows) row\(report.rows == 1 ? "" : "s"), "
                + (report.chainProblems.isEmpty ? "intact" : "\(report.chainProblems.count) problem\(report.chainProblems.count == 1 ? "" : "s")")
                + (report.chainProblems.isEmpty
                    ? "; head row \(report.headRow) sha256 \(report.headHash)"
                    : "; last row \(report.headRow) sha256 \(report.headHash) (not a head to keep until the problems are resolved)"))
        return report.passed ? AssayCommand.ExitCode.ok : AssayCommand.ExitCode.checkFailed
    }
}
