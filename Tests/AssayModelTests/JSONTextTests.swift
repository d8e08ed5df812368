import AssayModel
import Foundation
import Testing

@Suite("JSON string literals from the shared escaper: the bytes the CLI writers and plugin requests have always written")
struct JSONTextTests {
    /// What the writers wrote for U+0000…U+001F before they shared this escaper, one entry per code point.
    static let controlEscapes = [
        #"\u0000"#, #"\u0001"#, #"\u0002"#, #"\u0003"#, #"\u0004"#, #"\u0005"#, #"\u0006"#, #"\u0007"#,
        #"\u0008"#, #"\t"#, #"\n"#, #"\u000b"#, #"\u000c"#, #"\r"#, #"\u000e"#, #"\u000f"#,
        #"\u0010"#, #"\u0011"#, #"\u0012"#, #"\u0013"#, #"\u0014"#, #"\u0015"#, #"\u0016"#, #"\u0017"#,
        #"\u0018"#, #"\u0019"#, #"\u001a"#, #"\u001b"#, #"\u001c"#, #"\u001d"#, #"\u001e"#, #"\u001f"#,
    ]

    @Test("every control character U+0000–U+001F is \\t, \\n, \\r or \\u00xx in lowercase hex, and reads back")
    func controlCharacters() throws {
        for value in 0..<0x20 {
            let text = "a" + String(Unicode.Scalar(UInt8(value))) + "b"
            let quoted = JSONText.quoted(text)
            #expect(quoted == "\"a" + Self.controlEscapes[value] + "b\"", "U+\(String(value, radix: 16))")
            let back = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: [.fragmentsAllowed]) as? String
            #expect(back == text, "U+\(String(value, radix: 16)) reads back")
        }
    }

    @Test("quotes and backslashes are escaped; slash and DEL are not")
    func quotesAndBackslashes() {
        #expect(JSONText.quoted(#"say "hi" \ bye"#) == #""say \"hi\" \\ bye""#)
        #expect(JSONText.quoted("a/b\u{7F}") == "\"a/b\u{7F}\"")
        #expect(JSONText.quoted("") == "\"\"")
    }

    @Test("non-ASCII text, including U+2028 and U+2029, stays as UTF-8, also next to an escape")
    func nonASCII() {
        #expect(JSONText.quoted("张伟 Zoë") == "\"张伟 Zoë\"")
        #expect(Array(JSONText.quoted("\u{2028}\u{2029}").utf8) == [0x22, 0xE2, 0x80, 0xA8, 0xE2, 0x80, 0xA9, 0x22])
        #expect(JSONText.quoted("张\n伟\u{2028}\"😀") == "\"张\\n伟\u{2028}\\\"😀\"")
        #expect(JSONText.quoted("e\u{301}\r\n") == "\"e\u{301}\\r\\n\"")
    }
}
