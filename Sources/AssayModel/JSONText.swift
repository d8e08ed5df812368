/// JSON string literals (RFC 8259 §7), shared by the JSON Assay writes by hand: outcomes, decisions and result
/// sheets (`assay score`, `recognize`, `results`) and plugin requests. Records use `JSONValue`'s canonical form
/// instead (AssayRecords), whose escapes are fixed by what has been signed.
public enum JSONText {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `text` as a JSON string literal, quotes included. Escaped: `"` → `\"`, `\` → `\\`, line feed → `\n`,
    /// carriage return → `\r`, tab → `\t`, any other control character U+0000–U+001F → `\u00xx` (lowercase
    /// hex, so U+0008 is `\u0008`, not `\b`). Everything else is written as it is, in UTF-8: `/`, U+007F,
    /// non-ASCII letters, and U+2028/U+2029 (valid in JSON; only JavaScript source once objected to them).
    public static func quoted(_ text: String) -> String {
        // Most ids and values need no escaping: one pass over the bytes decides. Only ASCII bytes are escaped,
        // and no byte of a multi-byte UTF-8 sequence is ASCII, so bytes can be looked at one by one.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return "\"" + text + "\"" }
        var out: [UInt8] = [0x22]
        out.reserveCapacity(text.utf8.count + 8)
        for b in text.utf8 {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case ..<0x20: out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 15)]]
            default: out.append(b)
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }
}
