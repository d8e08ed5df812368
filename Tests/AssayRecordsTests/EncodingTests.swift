import AssayRecords
import Foundation
import Testing

@Suite("Canonical JSON, base58 and base64url")
struct EncodingTests {
    @Test("canonical JSON sorts keys by UTF-16, has no whitespace and escapes only what it must")
    func canonical() {
        let value: JSONValue = [
            "b": [.number("2.5"), .bool(true), .null], "a": .string("line\nquote\" back\\ tab\t \u{01} 医学"), "B": [:], "é": [],
        ]
        #expect(value.canonical == #"{"B":{},"a":"line\nquote\" back\\ tab\t \u0001 医学","b":[2.5,true,null],"é":[]}"#)
        #expect(JSONValue.decimal(Decimal(string: "3.50")!).canonical == "3.5")
        #expect(JSONValue.decimal(4).canonical == "4")
    }

    @Test("the parser reads back what the writer wrote, keeping numbers' text")
    func roundTrip() throws {
        let text = #"{"B":{},"a":"line\nquote\" back\\ tab\t \u0001 医学 \ud83d\ude00","b":[2.50,-1e3,true,null]}"#
        let parsed = try JSONParser.parse(text)
        #expect(parsed["b"] == [.number("2.50"), .number("-1e3"), .bool(true), .null])
        #expect(parsed["a"] == .string("line\nquote\" back\\ tab\t \u{01} 医学 😀"))
        #expect(try JSONParser.parse(parsed.canonical) == parsed)
        #expect(try JSONParser.parse(parsed.pretty) == parsed)
    }

    @Test("the parser refuses duplicate keys, trailing data and leading zeros, saying where")
    func refusals() {
        #expect(throws: RecordError(.malformedJSON, "malformed JSON at byte 8: duplicate key 'a'")) { try JSONParser.parse(#"{"a":1, "a":2}"#) }
        #expect(throws: RecordError(.malformedJSON, "malformed JSON at byte 3: unexpected data after the JSON value")) { try JSONParser.parse("{} x") }
        #expect(throws: RecordError(.malformedJSON, "malformed JSON at byte 1: a number may not start with 0")) { try JSONParser.parse("[01]") }
    }

    @Test("base58btc matches the Bitcoin alphabet's known vectors and keeps leading zeros")
    func base58() {
        #expect(Base58.encode(Array("Hello World!".utf8)) == "2NEpo7TZRRrLZSi2U")
        #expect(Base58.encode([0, 0, 1]) == "112")
        #expect(Base58.decode("2NEpo7TZRRrLZSi2U") == Array("Hello World!".utf8))
        #expect(Base58.decode("112") == [0, 0, 1])
        #expect(Base58.decode("0OIl") == nil)
    }

    @Test("base64url has no padding, uses - and _, and refuses other characters and stray bits")
    func base64url() {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.encode(Array("Example of Ed25519 signing".utf8)) == "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64URL.decode("-_9") == nil)
        #expect(Base64URL.decode("ab+c") == nil)
        #expect(Base64URL.decode("abcde") == nil)
    }
}
