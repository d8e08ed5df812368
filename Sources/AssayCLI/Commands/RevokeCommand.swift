import AssayLedger
import AssayRecords
import Foundation

/// `assay revoke ID --ledger DB --reason TEXT`: withdraw a record.
enum RevokeCommand {
    static let help = """
        USAGE: assay revoke ID --ledger DB --reason TEXT

        Revokes record ID: the ledger appends a revocation (reason and time) to its hash chain and marks the
        record revoked. Nothing is deleted; 'assay verify' then reports the record as revoked, with the reason.
        Prints the ledger's new head (row and hash): keep it, 'assay verify --ledger DB --head ROW:HASH' checks it.
        A revocation cannot be undone — issue a new record instead.

        OPTIONS:
          --ledger DB       the records ledger
          --reason TEXT     why, in words the candidate and other institutions will read
          -h, --help        show this help

        Another process writing to the same ledger is waited for (up to 10 seconds, or ASSAY_LEDGER_WAIT seconds,
        0 to 3600).

        EXIT: 0 revoked, 1 no such record, it is already revoked, or the ledger stayed locked by another process,
        2 wrong usage.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(arguments, options: ["--ledger", "--reason"], flags: [])
        guard args.positional.count == 1 else { throw UsageError("revoke needs exactly one record ID") }
        guard let path = args.value("--ledger") else { throw UsageError("revoke needs --ledger DB") }
        guard let reason = args.value("--reason"), !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UsageError("revoke needs --reason TEXT: say why the record is withdrawn")
        }
        do {
            let ledger = try Ledger(path: path, wait: LedgerWait.seconds())
            let r = try ledger.revoke(args.positional[0], reason: reason, at: RecordIssuing.issueTime())
            output.line("revoked \(r.id)  \(r.candidate)  \(r.target)  \(r.revokedAt ?? ""): \(reason)")
            let head = try ledger.head()
            output.line("head: row \(head.row) sha256 \(head.hash) (keep it; 'assay verify --ledger \(path) --head \(head.row):\(head.hash)' checks it)")
            return AssayCommand.ExitCode.ok
        } catch let e as LedgerError where e.code != .sqlite {
            output.err("assay: \(e.message)\n")
            return AssayCommand.ExitCode.checkFailed
        }
    }
}
