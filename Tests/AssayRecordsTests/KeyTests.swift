import AssayRecords
import Foundation
import Testing

@Suite("Issuer keys, did:key and JWS signatures")
struct KeyTests {
    @Test("the RFC 8032 test key has the did:key computed independently from its public key")
    func didKeyOfKnownKey() throws {
        let key = try RecordFixtures.rfc8032Key()
        #expect(key.algorithm == .eddsa)
        #expect(key.did.did == "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw")
        #expect(key.did.keyID == "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw#z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw")
        #expect(try key.pem() == (try RecordFixtures.text("rfc8032-test1.pem")))
    }

    @Test("EdDSA signs exactly as RFC 8037 appendix A.4 says")
    func rfc8037Vector() throws {
        let key = try RecordFixtures.rfc8032Key()
        let input = Array("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc".utf8)
        let signature = try key.sign(input)
        #expect(Base64URL.encode(signature) == "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg")
        let (did, publicKey) = try DIDKey.resolve(key.did.keyID)
        #expect(did == key.did)
        #expect(publicKey.verify(signature, for: input, algorithm: .eddsa))
        #expect(!publicKey.verify(signature, for: input + [0x20], algorithm: .eddsa))
        #expect(!publicKey.verify(signature, for: input, algorithm: .rs256))
    }

    @Test("an RS256 key's did:key carries its PKCS#1 DER and resolves to a key that verifies its signatures")
    func rsaRoundTrip() throws {
        let key = try SigningKey.generate(.rs256)
        #expect(key.algorithm == .rs256)
        #expect(key.did.did.hasPrefix("did:key:z4MX"))
        let message = Array("header.payload".utf8)
        let signature = try key.sign(message)
        #expect(signature.count == 256)
        let (_, publicKey) = try DIDKey.resolve(key.did.did)
        #expect(publicKey.algorithm == .rs256)
        #expect(publicKey.verify(signature, for: message, algorithm: .rs256))
        let reread = try SigningKey(pem: try key.pem())
        #expect(reread.did == key.did)
    }

    @Test("did:key resolution names what is wrong")
    func badDIDs() {
        #expect(throws: RecordError(.didKey, "'did:web:example.com' is not a did:key in base58btc ('did:key:z…')")) {
            try DIDKey.resolve("did:web:example.com")
        }
        let secp256k1 = "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"
        #expect(throws: RecordError(.didKey, "\(secp256k1) holds a key of multicodec 0xe701; Assay verifies Ed25519 (0xed01) and RSA (0x1205) keys")) {
            try DIDKey.resolve(secp256k1)
        }
        let ed = "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
        #expect(throws: RecordError(.didKey, "the key id \(ed)#key-1 has a fragment that is not its own key; a did:key key id is did#fingerprint")) {
            try DIDKey.resolve(ed + "#key-1")
        }
    }

    @Test("keygen writes the key owner-only (0600) and never overwrites an existing file")
    func keyFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("issuer.pem").path
        let key = try SigningKey.generate()
        try key.write(to: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try SigningKey.load(path: path).did == key.did)
        #expect(throws: RecordError(.key, "\(path) already exists; Assay never overwrites a key — choose another path or remove the old key first")) {
            try SigningKey.generate().write(to: path)
        }
        #expect(try SigningKey.load(path: path).did == key.did)
        let missing = dir.appendingPathComponent("none.pem").path
        #expect(throws: RecordError(.key, "cannot read the key file \(missing); check the path, or make a key with 'assay keygen --out \(missing)'")) {
            try SigningKey.load(path: missing)
        }
    }
}
