import Foundation
import Testing

/// A key OpenSSL cannot make is said, with exit 1 — not an internal error (exit 3).
@Suite("keygen when OpenSSL cannot make the key: exit 1, OpenSSL's reason, no file", .serialized)
struct KeygenFailureTests {
    @Test("an OpenSSL configuration that allows FIPS algorithms only (none loaded): exit 1, the reason, nothing written", arguments: ["EdDSA", "RS256"])
    func restrictedOpenSSL(_ alg: String) throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("openssl.cnf").path
        try """
        openssl_conf = openssl_init
        [openssl_init]
        alg_section = algorithm_sect
        [algorithm_sect]
        default_properties = fips=yes

        """.write(toFile: config, atomically: false, encoding: .utf8)
        let key = dir.appendingPathComponent("registrar.pem").path
        let r = try RecordsCLI.exec(try RecordsCLI.binary(), ["keygen", "--out", key, "--alg", alg], environment: ["OPENSSL_CONF": config])
        #expect(r.code == 1)
        #expect(r.out == "")
        #expect(
            r.err
                == "assay: no key was made: OpenSSL could not start key generation: error:0308010C:digital envelope routines::unsupported; nothing was written, no file was made\n"
        )
        #expect(Set(folderContents(dir).keys) == ["openssl.cnf"])
        // An existing key is left as it was, even with --force.
        try "old key\n".write(toFile: key, atomically: false, encoding: .utf8)
        let forced = try RecordsCLI.exec(try RecordsCLI.binary(), ["keygen", "--out", key, "--alg", alg, "--force"], environment: ["OPENSSL_CONF": config])
        #expect(forced.code == 1)
        #expect(forced.err.hasSuffix("; nothing was written, \(key) is unchanged\n"))
        #expect(fileText(key) == "old key\n")
    }

    @Test("an unsupported --alg is wrong usage: exit 2, nothing written")
    func unsupportedAlgorithm() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = runAssay(["keygen", "--out", dir.appendingPathComponent("k.pem").path, "--alg", "ES256"])
        #expect(r.code == 2)
        #expect(r.err.hasPrefix("assay: "))
        #expect(folderContents(dir).isEmpty)
    }
}
