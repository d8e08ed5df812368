import AssayModel
import Testing

@Suite("SHA-256, SHA-1 and hex: the one digest implementation")
struct DigestTests {
    @Test("SHA-256 gives the FIPS 180-4 test vectors, one-shot and in pieces")
    func sha256Vectors() {
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: Array("abc".utf8)) == SHA256.hex("abc"))
        let context = DigestContext(.sha256)
        let first = context.update(Array("ab".utf8))
        let second = context.update(Array("c".utf8))
        let pieces = context.finish().map(Hex.string)
        #expect(first && second)
        #expect(pieces == SHA256.hex("abc"))
    }

    @Test("SHA-1 gives the FIPS 180-4 test vector")
    func sha1Vector() {
        #expect(Hex.string(SHA1.digest(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    @Test("hex is two lowercase digits a byte and reads back in either case; bad text gives nil")
    func hexRoundTrip() {
        #expect(Hex.string([0x00, 0x0a, 0xff, 0x10]) == "000aff10")
        #expect(Hex.string([UInt8]()) == "")
        #expect(Hex.bytes("000aff10") == [0x00, 0x0a, 0xff, 0x10])
        #expect(Hex.bytes("0AFf") == [0x0a, 0xff])
        #expect(Hex.bytes("abc") == nil)
        #expect(Hex.bytes("zz") == nil)
    }
}
