import AssayLedger
import AssayRecords
import Foundation

/// `assay records --ledger DB [--candidate ID] [--course ID] [--status active|revoked]`: list issued records.
enum RecordsCommand {
    static let help = """
        USAGE: assay records --ledger DB [--candidate ID] [--course ID] [--status active|revoked]

        Lists the records in a ledger, in issue order, one a line:
          ID  CANDIDATE  COURSE (or CERTIFICATE/COMPONENT)  RULE  ISSUED  STATUS
        then a count. A revoked record's line ends with when and why it was revoked.
        To check signatures and the ledger's integrity, use 'assay verify --ledger DB'.

        OPTIONS:
          --ledger DB                 the records ledger
          --candidate ID              only this candidate's records
          --course ID                 only records for this course (or CERTIFICATE/COMPONENT)
          --status active|revoked     only records with this status
          -h, --help                  show this help

        EXIT: 0 listed (even if none match), 1 the ledger cannot be read, 2 wrong usage.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(arguments, options: ["--ledger", "--candidate", "--course", "--status"], flags: [])
        guard args.positional.isEmpty else { throw UsageError("records takes no arguments besides its options") }
        guard let path = args.value("--ledger") else { throw UsageError("records needs --ledger DB") }
        let status = args.value("--status") == nil ? nil : LedgerRecord.Status(rawValue: try args.choice("--status", ["active", "revoked"], default: "active"))
        let records: [LedgerRecord]
        do {
            records = try Ledger(path: path, readOnly: true).records(candidate: args.value("--candidate"), target: args.value("--course"), status: status)
        } catch let e as LedgerError {
            output.err("assay: \(e.message)\n")
            return AssayCommand.ExitCode.checkFailed
        }
        for r in records {
            var line = "\(r.id)  \(r.candidate)  \(r.target)  \(r.rule)  \(r.issuedAt)  \(r.status.rawValue)"
            if r.status == .revoked { line += " \(r.revokedAt ?? ""): \(r.revocationReason ?? "")" }
            output.line(line)
        }
        let revoked = records.filter { $0.status == .revoked }.count
        output.line("\(records.count) record\(records.count == 1 ? "" : "s") (\(records.count - revoked) active, \(revoked) revoked)")
        return AssayCommand.ExitCode.ok
    }
}
