import CLibXML2
import Foundation

/// An attribute's value as libxml2's SAX2 parser hands it over: a range of its buffer, UTF-8, not
/// NUL-terminated, valid only during the start-tag callback.
///
/// Without entity substitution (Assay never asks for it) libxml2 writes a `&` that the file escaped (`&amp;`,
/// `&#38;`) as the five bytes `&#38;` and resolves every other reference itself, so `&#38;` is the one
/// sequence to turn back into `&`; ``string()`` does, as libxml2's own tree builder does.
struct AttributeValue {
    let start: UnsafePointer<xmlChar>
    let count: Int

    var isEmpty: Bool { count == 0 }

    /// Whether the value holds an escaped `&` (then it cannot be used as its bytes).
    var hasAmpersand: Bool { count > 0 && memchr(start, Int32(UInt8(ascii: "&")), count) != nil }

    /// The value as a string.
    func string() -> String {
        let bytes = UnsafeBufferPointer(start: start, count: count)
        guard hasAmpersand else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var i = 0
        while i < count {
            if bytes[i] == UInt8(ascii: "&"), i + 4 < count, bytes[i + 1] == UInt8(ascii: "#"), bytes[i + 2] == UInt8(ascii: "3"),
                bytes[i + 3] == UInt8(ascii: "8"), bytes[i + 4] == UInt8(ascii: ";")
            {
                out.append(UInt8(ascii: "&"))
                i += 5
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The attributes an evidence element may carry, found in one pass over libxml2's attribute array
/// (localname, prefix, URI, value start, value end for each) with names compared as bytes: no dictionary, no
/// string for a name, and no string for a value until it is kept. As before, an attribute is known by its
/// local name, whatever namespace its prefix names; when a name repeats (a well-formedness error) the last one counts.
struct ItemAttributes {
    var target, node, judge, value, reason, ref, level, issued, serial, competition, award, date, path, sha256, id, program:
        AttributeValue?

    init(count: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        guard let attributes, count > 0 else { return }
        for i in 0..<count {
            let a = attributes + 5 * i
            // An attribute whose prefix names no namespace is known by "prefix:name" (as in libxml2's tree),
            // which is none of these.
            guard let n = a[0], let start = a[3], let end = a[4], a[1] == nil || a[2] != nil else { continue }
            let v = AttributeValue(start: start, count: end - start)
            switch n[0] {
            case UInt8(ascii: "t"): if assay_nameEquals(n, "target") != 0 { target = v }
            case UInt8(ascii: "n"): if assay_nameEquals(n, "node") != 0 { node = v }
            case UInt8(ascii: "j"): if assay_nameEquals(n, "judge") != 0 { judge = v }
            case UInt8(ascii: "v"): if assay_nameEquals(n, "value") != 0 { value = v }
            case UInt8(ascii: "r"):
                if assay_nameEquals(n, "reason") != 0 { reason = v } else if assay_nameEquals(n, "ref") != 0 { ref = v }
            case UInt8(ascii: "l"): if assay_nameEquals(n, "level") != 0 { level = v }
            case UInt8(ascii: "i"):
                if assay_nameEquals(n, "id") != 0 { id = v } else if assay_nameEquals(n, "issued") != 0 { issued = v }
            case UInt8(ascii: "s"):
                if assay_nameEquals(n, "serial") != 0 { serial = v } else if assay_nameEquals(n, "sha256") != 0 { sha256 = v }
            case UInt8(ascii: "c"): if assay_nameEquals(n, "competition") != 0 { competition = v }
            case UInt8(ascii: "a"): if assay_nameEquals(n, "award") != 0 { award = v }
            case UInt8(ascii: "d"): if assay_nameEquals(n, "date") != 0 { date = v }
            case UInt8(ascii: "p"):
                if assay_nameEquals(n, "path") != 0 { path = v } else if assay_nameEquals(n, "program") != 0 { program = v }
            default: break
            }
        }
    }
}

/// Recently seen short attribute values, so that "nmit-2025", "B1.2", "J2" and "3" are not decoded again for
/// every item. A direct-mapped table keyed by the value's bytes packed into two words (values of up to 15
/// bytes; longer ones, such as reasons and paths, are not cached); a miss simply decodes.
struct AttributeStrings {
    private static let slots = 256
    private var keys = [(UInt64, UInt64)](repeating: (0, 0), count: slots)
    private var values = [String](repeating: "", count: slots)

    mutating func string(_ v: AttributeValue) -> String {
        let n = v.count
        guard n <= 15, n > 0, !v.hasAmpersand else { return v.string() }
        var k0: UInt64 = 0
        var k1 = UInt64(n) << 56
        let p = v.start
        for i in 0..<min(n, 8) { k0 |= UInt64(p[i]) << (8 * UInt64(i)) }
        if n > 8 { for i in 8..<n { k1 |= UInt64(p[i]) << (8 * UInt64(i - 8)) } }
        let slot = Int(truncatingIfNeeded: ((k0 ^ (k1 &* 0x100_0000_01B3)) &* 0x9E37_79B9_7F4A_7C15) >> 56)
        let key = keys[slot]
        if key.0 == k0 && key.1 == k1 { return values[slot] }
        let s = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        keys[slot] = (k0, k1)
        values[slot] = s
        return s
    }
}
