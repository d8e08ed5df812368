import AssayModel
import Foundation

/// A JSON value (RFC 8259) whose numbers keep their decimal text, so that credits and grades survive a round
/// trip exactly and a credential always serialises to the same bytes.
///
/// ``canonical`` is Assay's deterministic serialisation: object keys sorted by their UTF-16 code units (as in
/// RFC 8785, JSON Canonicalization Scheme), no insignificant whitespace, strings escaped minimally (`"`, `\`,
/// and control characters), non-ASCII characters written as UTF-8, numbers as plain decimals (`4`, `2.5`).
/// The same value always gives the same bytes; that is what is signed and what the ledger's hash chain covers.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number as its decimal text (`"4"`, `"-2.5"`, `"1e3"` as read).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// A number from a `Decimal`, written without exponent or trailing zeros.
    public static func decimal(_ value: Decimal) -> JSONValue { .number(value.plainText) }

    /// The member `key` of an object, or nil.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string, or nil if this is not a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The elements, or nil if this is not an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members, or nil if this is not an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The number's text, or nil if this is not a number.
    public var numberText: String? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// The canonical serialisation (see the type's overview) as UTF-8 text.
    public var canonical: String {
        var out = ""
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// A readable serialisation for people: the canonical key order, two-space indentation, a final newline.
    public var pretty: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out + "\n"
    }

    private func write(to out: inout String, indent: String?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                item.write(to: &out, indent: indent, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "]"
        case .object(let members):
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (i, key) in JSONValue.sortedKeys(members).enumerated() {
                if i > 0 { out += "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                JSONValue.writeString(key, to: &out)
                out += indent == nil ? ":" : ": "
                members[key]!.write(to: &out, indent: indent, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "}"
        }
    }

    /// Keys in RFC 8785 order: lexicographic by UTF-16 code units.
    static func sortedKeys(_ members: [String: JSONValue]) -> [String] {
        members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
