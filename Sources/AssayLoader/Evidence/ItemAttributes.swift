import AssayModel
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

/// The names the reader looks for, as libxml2's dictionary holds them for one parse.
///
/// libxml2 hands every element and attribute name over as a pointer into the parser's dictionary, one
/// pointer per distinct name, so a name is recognised by comparing pointers, not bytes. (A name that is
/// not found this way is compared as bytes, so nothing depends on it.)
struct EvidenceNames {
    let target, node, judge, value, reason, ref, level, issued, serial, competition, award, date, path, sha256, id, program: UnsafePointer<xmlChar>
    let evidence, candidate, mark, measure, grade, deduction, certificate, artifact: UnsafePointer<xmlChar>
    /// The evidence namespace's name, `urn:assay:evidence:1`.
    let namespace: UnsafePointer<xmlChar>

    static let namespace = "urn:assay:evidence:1"

    init?(_ dict: xmlDictPtr?) {
        guard let dict else { return nil }
        func name(_ s: StaticString) -> UnsafePointer<xmlChar>? {
            xmlDictLookup(dict, s.utf8Start, Int32(s.utf8CodeUnitCount))
        }
        guard let target = name("target"), let node = name("node"), let judge = name("judge"), let value = name("value"),
            let reason = name("reason"), let ref = name("ref"), let level = name("level"), let issued = name("issued"),
            let serial = name("serial"), let competition = name("competition"), let award = name("award"), let date = name("date"),
            let path = name("path"), let sha256 = name("sha256"), let id = name("id"), let program = name("program"),
            let evidence = name("evidence"), let candidate = name("candidate"), let mark = name("mark"), let measure = name("measure"),
            let grade = name("grade"), let deduction = name("deduction"), let certificate = name("certificate"),
            let artifact = name("artifact"), let namespace = name("urn:assay:evidence:1")
        else { return nil }
        self.namespace = namespace
        (self.target, self.node, self.judge, self.value, self.reason, self.ref, self.level, self.issued) =
            (target, node, judge, value, reason, ref, level, issued)
        (self.serial, self.competition, self.award, self.date, self.path, self.sha256, self.id, self.program) =
            (serial, competition, award, date, path, sha256, id, program)
        (self.evidence, self.candidate, self.mark, self.measure, self.grade, self.deduction, self.certificate, self.artifact) =
            (evidence, candidate, mark, measure, grade, deduction, certificate, artifact)
    }
}

/// The attributes an evidence element may carry, found in one pass over libxml2's attribute array
/// (localname, prefix, URI, value start, value end for each), names recognised by their dictionary pointer:
/// no dictionary of ours, no string for a name, and no string for a value until it is kept. When a name
/// repeats (a well-formedness error) the last one counts.
///
/// Evidence attributes have no namespace (evidence.xsd declares them unqualified): an attribute with a
/// prefix (`x:award`, whatever namespace `x` names, or none) is never taken for one. Such attributes are
/// listed in ``foreign`` for the reader to refuse, except `xsi:schemaLocation` and
/// `xsi:noNamespaceSchemaLocation`, which a schema validator accepts on any element.
struct ItemAttributes {
    var target, node, judge, value, reason, ref, level, issued, serial, competition, award, date, path, sha256, id, program:
        AttributeValue?
    /// The element's attributes with a prefix, other than xsi's schema locations, in the order written.
    var foreign: [ForeignAttribute] = []

    init() {}

    /// The first attribute (other than the free-text `reason`) holding a control character — C0 (a line
    /// break or tab written as `&#10;`, `&#9;`), DEL or C1 — with that character's code point: an id or value
    /// with one would break the lines of every table and `--explain` it is printed in. Found while reading.
    private(set) var control: (name: String, scalar: UInt32)?

    func controlCharacter() -> (name: String, scalar: UInt32)? { control }

    /// The first control character in `v` (C0, DEL, or C1 as UTF-8 C2 80…9F), if any.
    private static func firstControl(_ v: AttributeValue) -> UInt32? {
        var i = 0
        while i < v.count {
            let b = v.start[i]
            if b < 0x20 || b == 0x7F { return UInt32(b) }
            if b == 0xC2, i + 1 < v.count, v.start[i + 1] >= 0x80, v.start[i + 1] <= 0x9F { return UInt32(v.start[i + 1]) }
            if b == 0xE2, i + 2 < v.count, let d = DirectionControl.scalar(b, v.start[i + 1], v.start[i + 2]) { return d }
            i += 1
        }
        return nil
    }

    /// Takes the attributes of the element just started (and forgets those of the one before).
    mutating func read(count: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, names p: UnsafePointer<EvidenceNames>) {
        self = ItemAttributes()
        guard let attributes, count > 0 else { return }
        for i in 0..<count {
            let a = attributes + 5 * i
            guard let n = a[0], let start = a[3], let end = a[4] else { continue }
            if let prefix = a[1] {
                // In a namespace (or with a prefix that names none): not evidence, whatever its local name.
                if !ForeignAttribute.isSchemaLocation(n, a[2]) { foreign.append(ForeignAttribute(prefix: prefix, localname: n, uri: a[2])) }
                continue
            }
            let v = AttributeValue(start: start, count: end - start)
            if control == nil, let scalar = Self.firstControl(v), !(n == p.pointee.reason || assay_nameEquals(n, "reason") != 0) {
                control = (String(cString: n), scalar)
            }
            if n == p.pointee.target {
                target = v
            } else if n == p.pointee.node {
                node = v
            } else if n == p.pointee.value {
                value = v
            } else if n == p.pointee.judge {
                judge = v
            } else if n == p.pointee.reason {
                reason = v
            } else if n == p.pointee.ref {
                ref = v
            } else if n == p.pointee.level {
                level = v
            } else if n == p.pointee.issued {
                issued = v
            } else if n == p.pointee.serial {
                serial = v
            } else if n == p.pointee.competition {
                competition = v
            } else if n == p.pointee.award {
                award = v
            } else if n == p.pointee.date {
                date = v
            } else if n == p.pointee.path {
                path = v
            } else if n == p.pointee.sha256 {
                sha256 = v
            } else if n == p.pointee.id {
                id = v
            } else if n == p.pointee.program {
                program = v
            } else {
                setComparingBytes(n, v)
            }
        }
    }

    private mutating func setComparingBytes(_ n: UnsafePointer<xmlChar>, _ v: AttributeValue) {
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

/// An attribute with a prefix, as libxml2 names it (pointers into its dictionary, valid for the parse).
struct ForeignAttribute {
    let prefix: UnsafePointer<xmlChar>
    let localname: UnsafePointer<xmlChar>
    /// The namespace the prefix names; nil when it names none (libxml2 has reported that too).
    let uri: UnsafePointer<xmlChar>?

    /// `prefix:localname`, as written.
    var name: String { "\(String(cString: prefix)):\(String(cString: localname))" }

    /// "x:award (namespace urn:x)", or "y:award (prefix y is not declared)".
    var described: String {
        uri.map { "\(name) (namespace \(String(cString: $0)))" } ?? "\(name) (prefix \(String(cString: prefix)) is not declared)"
    }

    static let schemaInstance = "http://www.w3.org/2001/XMLSchema-instance"

    /// `xsi:schemaLocation` or `xsi:noNamespaceSchemaLocation` (any prefix for the XML Schema instance namespace).
    static func isSchemaLocation(_ localname: UnsafePointer<xmlChar>, _ uri: UnsafePointer<xmlChar>?) -> Bool {
        guard let uri, assay_nameEquals(uri, schemaInstance) != 0 else { return false }
        return assay_nameEquals(localname, "schemaLocation") != 0 || assay_nameEquals(localname, "noNamespaceSchemaLocation") != 0
    }
}

/// Recently seen short attribute values, so that "nmit-2025", "B1.2", "J2" and "3" are not decoded (and a
/// mark not parsed as a number) again for every item. A direct-mapped table keyed by the value's bytes
/// packed into two words (values of up to 15 bytes; longer ones, such as reasons and paths, are not
/// cached); a miss simply decodes. The tables are allocated once per read and freed by ``deallocate()``.
struct AttributeStrings {
    private static let slots = 512
    private struct Entry {
        var k0: UInt64 = 0
        /// Bytes 8–14 of the value, and its length in the top byte (never 0 for a filled entry).
        var k1: UInt64 = 0
        var string = ""
        /// ``number``: whether it has been parsed, and its value.
        var parsed = false
        var number: Exact?
    }
    private let entries: UnsafeMutablePointer<Entry>

    init() {
        entries = .allocate(capacity: Self.slots)
        entries.initialize(repeating: Entry(), count: Self.slots)
    }

    func deallocate() {
        entries.deinitialize(count: Self.slots)
        entries.deallocate()
    }

    /// The entry for a short value without `&`, filled with its string; nil for other values.
    @inline(__always)
    private func entry(_ v: AttributeValue) -> UnsafeMutablePointer<Entry>? {
        let n = v.count
        guard n <= 15, n > 0 else { return nil }
        // The bytes, zero-padded, as two little-endian words.
        var key: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &key) { $0.baseAddress!.copyMemory(from: v.start, byteCount: n) }
        // Any byte equal to "&"? (The zero padding never is.)
        func hasAmpersand(_ w: UInt64) -> Bool {
            let x = w ^ 0x2626_2626_2626_2626
            return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
        }
        if hasAmpersand(key.0) || hasAmpersand(key.1) { return nil }
        let k0 = key.0
        let k1 = key.1 | UInt64(n) << 56
        let slot = Int(truncatingIfNeeded: ((k0 ^ (k1 &* 0x100_0000_01B3)) &* 0x9E37_79B9_7F4A_7C15) >> 55)
        let e = entries + slot
        if e.pointee.k0 != k0 || e.pointee.k1 != k1 {
            e.pointee.k0 = k0
            e.pointee.k1 = k1
            e.pointee.string = String(decoding: UnsafeBufferPointer(start: v.start, count: n), as: UTF8.self)
            e.pointee.parsed = false
            e.pointee.number = nil
        }
        return e
    }

    /// The value as a string.
    func string(_ v: AttributeValue) -> String {
        entry(v)?.pointee.string ?? v.string()
    }

    /// The value as a string, and as an exact number when it is one (as ``EvidenceItem`` parses it).
    func stringAndNumber(_ v: AttributeValue) -> (String, Exact?) {
        guard let e = entry(v) else {
            let s = v.string()
            return (s, Exact(plainText: s))
        }
        if !e.pointee.parsed {
            e.pointee.number = Exact(plainText: e.pointee.string)
            e.pointee.parsed = true
        }
        return (e.pointee.string, e.pointee.number)
    }
}
