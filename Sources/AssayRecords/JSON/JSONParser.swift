import Foundation

/// A strict RFC 8259 JSON parser producing ``JSONValue`` (numbers keep their text). Used to read back
/// credentials, JWT payloads and exported files; refuses trailing data, duplicate keys and nesting deeper
/// than 64 levels (a credential is about six deep).
public enum JSONParser {
    /// Parses `text`, or throws a ``RecordError`` saying what is wrong and at which byte.
    public static func parse(_ text: String) throws -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Parses UTF-8 `bytes`.
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var p = Cursor(bytes: bytes)
        p.skipSpace()
        let value = try p.value(depth: 0)
        p.skipSpace()
        guard p.at == bytes.count else { throw p.fail("unexpected data after the JSON value") }
        return value
    }

    private struct Cursor {
        let bytes: [UInt8]
        var at = 0

        func fail(_ what: String, at offset: Int? = nil) -> RecordError {
            RecordError(.malformedJSON, "malformed JSON at byte \(offset ?? at): \(what)")
        }

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x09, 0x0A, 0x0D: at += 1
                default: return
                }
            }
        }

        mutating func expect(_ word: String) throws {
            let w = Array(word.utf8)
            guard at + w.count <= bytes.count, Array(bytes[at..<at + w.count]) == w else {
                throw fail("expected '\(word)'")
            }
            at += w.count
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < 64 else { throw fail("nested more than 64 levels deep") }
            guard at < bytes.count else { throw fail("unexpected end of input") }
            switch bytes[at] {
            case UInt8(ascii: "{"):
                at += 1
                var members: [String: JSONValue] = [:]
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
                    at += 1
                    return .object(members)
                }
                while true {
                    skipSpace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw fail("expected a key string") }
                    let keyStart = at
                    let key = try string()
                    skipSpace()
                    try expect(":")
                    skipSpace()
                    guard members[key] == nil else { throw fail("duplicate key '\(key)'", at: keyStart) }
                    members[key] = try value(depth: depth + 1)
                    skipSpace()
                    guard at < bytes.count else { throw fail("unexpected end of input in an object") }
                    if bytes[at] == UInt8(ascii: ",") {
                        at += 1
                    } else if bytes[at] == UInt8(ascii: "}") {
                        at += 1
                        return .object(members)
                    } else {
                        throw fail("expected ',' or '}'")
                    }
                }
            case UInt8(ascii: "["):
                at += 1
                var items: [JSONValue] = []
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
                    at += 1
                    return .array(items)
                }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard at < bytes.count else { throw fail("unexpected end of input in an array") }
                    if bytes[at] == UInt8(ascii: ",") {
                        at += 1
                    } else if bytes[at] == UInt8(ascii: "]") {
                        at += 1
                        return .array(items)
                    } else {
                        throw fail("expected ',' or ']'")
                    }
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try expect("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expect("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expect("null")
                return .null
            default: return .number(try number())
            }
        }

        mutating func number() throws -> String {
            let start = at
            func digits() -> Int {
                let s = at
                while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39 { at += 1 }
                return at - s
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
            let intStart = at
            let n = digits()
            guard n > 0 else { throw fail("expected a value") }
            if n > 1, bytes[intStart] == UInt8(ascii: "0") { throw fail("a number may not start with 0", at: start) }
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
                at += 1
                guard digits() > 0 else { throw fail("expected digits after '.'") }
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
                at += 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
                guard digits() > 0 else { throw fail("expected digits in the exponent") }
            }
            return String(decoding: bytes[start..<at], as: UTF8.self)
        }

        mutating func hex4() throws -> UInt32 {
            guard at + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16)
            else { throw fail("bad \\u escape") }
            at += 4
            return v
        }

        mutating func string() throws -> String {
            at += 1  // opening quote
            var out = [UInt8]()
            while true {
                guard at < bytes.count else { throw fail("unterminated string") }
                let c = bytes[at]
                if c == UInt8(ascii: "\"") {
                    at += 1
                    break
                }
                guard c >= 0x20 else { throw fail("control character in a string") }
                if c != UInt8(ascii: "\\") {
                    let start = at
                    at += 1
                    while at < bytes.count, bytes[at] >= 0x20, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") { at += 1 }
                    out.append(contentsOf: bytes[start..<at])
                    continue
                }
                at += 1
                guard at < bytes.count else { throw fail("unterminated escape") }
                let e = bytes[at]
                at += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        guard at + 2 <= bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u")
                        else { throw fail("unpaired surrogate") }
                        at += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("bad \\u escape") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw fail("unknown escape '\\\(Character(Unicode.Scalar(e)))'")
                }
            }
            guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in a string") }
            return s
        }
    }
}
