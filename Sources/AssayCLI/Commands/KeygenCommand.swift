import AssayRecords
import Foundation

/// `assay keygen --out KEY [--alg EdDSA|RS256] [--force]`: a new issuer key, written owner-only, and its did:key.
enum KeygenCommand {
    static let help = """
        USAGE: assay keygen --out KEY [--alg EdDSA|RS256] [--force]

        Makes a new private key for signing records and writes it to KEY as PEM (PKCS#8), readable by you only
        (mode 0600, from the moment the file exists). Prints the key's did:key: the issuer id every record
        signed with it carries, and all that another institution needs to verify those records. Keep KEY safe
        and backed up. An existing KEY is never replaced without --force: the key in it would be lost, and its
        ledger takes records signed by that key only.

        OPTIONS:
          --out KEY            the new key file (written whole or not at all, never through a link)
          --alg EdDSA|RS256    Ed25519 (default; RFC 8037) or RSA-2048 (RS256, for verifiers that lack Ed25519)
          --force              replace an existing KEY
          -h, --help           show this help

        EXIT: 0 the key was written, 1 it could not be (KEY exists and --force was not given, it is a link or a
        folder, its folder does not exist, the disk is full, OpenSSL could not make the key: KEY is then as it
        was), 2 wrong usage.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(arguments, options: ["--out", "--alg"], flags: ["--force"])
        guard args.positional.isEmpty else { throw UsageError("keygen takes no arguments besides --out KEY [--alg EdDSA|RS256] [--force]") }
        guard let path = args.value("--out") else { throw UsageError("keygen needs --out KEY, the file to write the key to") }
        let alg = SignatureAlgorithm(rawValue: try args.choice("--alg", ["EdDSA", "RS256"], default: "EdDSA"))!
        let force = args.has("--force")
        do {
            try AtomicFile.check(path, replace: force)
            let key = try SigningKey.generate(alg)
            try AtomicFile.write(Array(try key.pem().utf8), to: path, replace: force, mode: 0o600)
            output.line(key.did.did)
            output.err("wrote \(path) (\(alg == .eddsa ? "Ed25519" : "RSA-2048"), mode 0600)\n")
            return AssayCommand.ExitCode.ok
        } catch let e as AtomicFile.Failure {
            output.err("assay: \(e.message)\n")
            return AssayCommand.ExitCode.checkFailed
        } catch let e as RecordError {
            // OpenSSL could not make or encode the key (a broken or restrictive OpenSSL configuration, say).
            let left = FileManager.default.fileExists(atPath: path) ? "\(path) is unchanged" : "no file was made"
            output.err("assay: no key was made: \(e.message); nothing was written, \(left)\n")
            return AssayCommand.ExitCode.checkFailed
        }
    }
}
