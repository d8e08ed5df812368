/// Reads the flat JSON objects plugins answer with (`{"type":"result","id":3,"score":"2.5","explanation":"…"}`)
/// without Foundation's JSONSerialization, which costs more than the rest of an answer's handling. Values may
/// be strings (all JSON escapes), numbers (kept as written, so a score stays exact), booleans, null and
/// arrays of strings; anything else (a nested object) gives nil and the caller falls back to
/// JSONSerialization. Not a validator beyond that: a malformed line gives nil.
struct PluginMessageReader {
    enum Value: Equatable {
        case string(String)
        /// The number as written.
        case number(String)
        case bool(Bool)
        case null
        case strings([String])
    }

    private let bytes: ArraySlice<UInt8>
    private var i: Int

    private init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.i = bytes.startIndex
    }

    /// The members of the object on this line, or nil.
    static func object(_ line: ArraySlice<UInt8>) -> [String: Value]? {
        var r = PluginMessageReader(line)
        return r.readObject()
    }

    private mutating func skipSpace() {
        while i < bytes.endIndex, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0A { i += 1 }
    }

    private mutating func expect(_ byte: UInt8) -> Bool {
        skipSpace()
        guard i < bytes.endIndex, bytes[i] == byte else { return false }
        i += 1
        return true
    }

    private mutating func readObject() -> [String: Value]? {
        guard expect(0x7B) else { return nil }  // {
        var out: [String: Value] = [:]
        skipSpace()
        if i < bytes.endIndex, bytes[i] == 0x7D {
            i += 1
            return finish(out)
        }
        while true {
            skipSpace()
            guard let key = readString(), expect(0x3A) else { return nil }  // :
            skipSpace()
            guard let value = readValue() else { return nil }
            out[key] = value
            skipSpace()
            guard i < bytes.endIndex else { return nil }
            if bytes[i] == 0x2C {  // ,
                i += 1
                continue
            }
            if bytes[i] == 0x7D {  // }
                i += 1
                return finish(out)
            }
            return nil
        }
    }

    private mutating func finish(_ out: [String: Value]) -> [String: Value]? {
        skipSpace()
        return i == bytes.endIndex ? out : nil
    }

    private mutating func readValue() -> Value? {
        guard i < bytes.endIndex else { return nil }
        switch bytes[i] {
        case 0x22: return readString().map(Value.string)
        case 0x5B:  // [
            i += 1
            var strings: [String] = []
            skipSpace()
            if i < bytes.endIndex, bytes[i] == 0x5D {
                i += 1
                return .strings(strings)
            }
            while true {
                skipSpace()
                guard let s = readString() else { return nil }
                strings.append(s)
                skipSpace()
                guard i < bytes.endIndex else { return nil }
                if bytes[i] == 0x2C {
                    i += 1
                    continue
                }
                if bytes[i] == 0x5D {
                    i += 1
                    return .strings(strings)
                }
                return nil
            }
        case 0x74: return literal("true", .bool(true))
        case 0x66: return literal("false", .bool(false))
        case 0x6E: return literal("null", .null)
        default:
            let start = i
            while i < bytes.endIndex, let c = Optional(bytes[i]), (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45 {
                i += 1
            }
            return i > start ? .number(String(decoding: bytes[start..<i], as: UTF8.self)) : nil
        }
    }

    private mutating func literal(_ word: String, _ value: Value) -> Value? {
        for b in word.utf8 {
            guard i < bytes.endIndex, bytes[i] == b else { return nil }
            i += 1
        }
        return value
    }

    private mutating func readString() -> String? {
        guard i < bytes.endIndex, bytes[i] == 0x22 else { return nil }
        i += 1
        let start = i
        // Fast path: no escapes.
        while i < bytes.endIndex, bytes[i] != 0x22, bytes[i] != 0x5C, bytes[i] >= 0x20 { i += 1 }
        guard i < bytes.endIndex else { return nil }
        if bytes[i] == 0x22 {
            let s = String(decoding: bytes[start..<i], as: UTF8.self)
            i += 1
            return s
        }
        guard bytes[i] == 0x5C else { return nil }  // a control character inside a string
        var out = Array(bytes[start..<i])
        while i < bytes.endIndex {
            let c = bytes[i]
            if c == 0x22 {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { return nil }
            if c != 0x5C {
                out.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < bytes.endIndex else { return nil }
            let e = bytes[i]
            i += 1
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                guard var scalar = hex4() else { return nil }
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A surrogate pair: \uD83D\uDE00.
                    guard i + 1 < bytes.endIndex, bytes[i] == 0x5C, bytes[i + 1] == 0x75 else { return nil }
                    i += 2
                    guard let low = hex4(), low >= 0xDC00 && low < 0xE000 else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { return nil }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: return nil
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= bytes.endIndex else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }
}
