import AssayRecords
import Foundation

/// `assay keygen --out KEY [--alg EdDSA|RS256]`: a new issuer key, written owner-only, and its did:key.
enum KeygenCommand {
    static let help = """
        USAGE: assay keygen --out KEY [--alg EdDSA|RS256]

        Makes a new private key for signing records and writes it to KEY as PEM (PKCS#8), readable by you only
        (mode 0600). Prints the key's did:key: the issuer id every record signed with it carries, and all that
        another institution needs to verify those records. Keep KEY safe and backed up; Assay never
        overwrites an existing file.

        OPTIONS:
          --out KEY            the new key file (must not exist)
          --alg EdDSA|RS256    Ed25519 (default; RFC 8037) or RSA-2048 (RS256, for verifiers that lack Ed25519)
          -h, --help           show this help

        EXIT: 0 the key was written, 1 it could not be (the file exists, or cannot be created), 2 wrong usage.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(arguments, options: ["--out", "--alg"], flags: [])
        guard args.positional.isEmpty else { throw UsageError("keygen takes no arguments besides --out KEY [--alg EdDSA|RS256]") }
        guard let path = args.value("--out") else { throw UsageError("keygen needs --out KEY, the file to write the key to") }
        let alg = SignatureAlgorithm(rawValue: try args.choice("--alg", ["EdDSA", "RS256"], default: "EdDSA"))!
        do {
            let key = try SigningKey.generate(alg)
            try key.write(to: path)
            output.line(key.did.did)
            output.err("wrote \(path) (\(alg == .eddsa ? "Ed25519" : "RSA-2048"), mode 0600)\n")
            return AssayCommand.ExitCode.ok
        } catch let e as RecordError where e.code == .key {
            output.err("assay: \(e.message)\n")
            return AssayCommand.ExitCode.checkFailed
        }
    }
}
