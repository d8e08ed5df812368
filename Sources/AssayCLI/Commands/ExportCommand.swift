import AssayLedger
import AssayRecords
import Foundation

/// `assay export ID --ledger DB`: a record's credential JSON and VC-JWT, to hand to the candidate or
/// another institution.
enum ExportCommand {
    static let help = """
        USAGE: assay export ID --ledger DB [--jwt] [--out FILE [--force]]

        Writes record ID as one JSON document: {"credential": the Open Badges 3.0 credential, "jwt": the signed
        VC-JWT, "status": active or revoked (with "revocation": reason and time)}. Anyone can check it with
        'assay verify FILE', or without Assay: the JWT is a standard JWS (EdDSA or RS256) whose key is in the
        issuer's did:key (see examples/records/README.md).

        OPTIONS:
          --ledger DB     the records ledger
          --jwt           write only the VC-JWT (one line), as wallets and JOSE libraries take it
          --out FILE      write to FILE instead of standard output (whole or not at all, never through a link;
                          an existing FILE is refused)
          --force         with --out, replace an existing FILE
          -h, --help      show this help

        EXIT: 0 written, 1 no such record, or FILE could not be written (it exists and --force was not given,
        it is a link or a folder, the disk is full: FILE is then as it was), 2 wrong usage.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(arguments, options: ["--ledger", "--out"], flags: ["--jwt", "--force"])
        guard args.positional.count == 1 else { throw UsageError("export needs exactly one record ID") }
        guard let path = args.value("--ledger") else { throw UsageError("export needs --ledger DB") }
        guard let destination = try ReportOutput(args, output: output) else { return AssayCommand.ExitCode.checkFailed }
        let id = args.positional[0]
        let record: LedgerRecord
        do {
            guard let r = try Ledger(path: path, readOnly: true).record(id) else {
                output.err("assay: the ledger \(path) has no record \(id); 'assay records --ledger \(path)' lists them\n")
                return AssayCommand.ExitCode.checkFailed
            }
            record = r
        } catch let e as LedgerError {
            output.err("assay: \(e.message)\n")
            return AssayCommand.ExitCode.checkFailed
        }
        let text: String
        if args.has("--jwt") {
            text = record.jwt + "\n"
        } else {
            var doc: [String: JSONValue] = [
                "credential": (try? JSONParser.parse(record.credential)) ?? .string(record.credential),
                "jwt": .string(record.jwt),
                "status": .string(record.status.rawValue),
            ]
            if record.status == .revoked {
                doc["revocation"] = ["reason": .string(record.revocationReason ?? ""), "revokedAt": .string(record.revokedAt ?? "")]
            }
            text = JSONValue.object(doc).pretty
        }
        return destination.write(text, output: output)
    }
}
