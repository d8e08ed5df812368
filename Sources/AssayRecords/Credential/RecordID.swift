import AssayModel

/// A record's id: a UUID (RFC 9562 version 8, name-based on SHA-256) derived from what makes a record unique —
/// program, candidate, rule and evidence digest — so that re-issuing the same grant yields the same id.
///
/// Name: `assay-record\n<program>\n<candidate>\n<rule>\n<evidence sha256>`; the first 16 bytes of its
/// SHA-256, with the version nibble set to 8 and the RFC 9562 variant bits, printed in the usual 8-4-4-4-12
/// lowercase form. The credential's `id` is `urn:uuid:` + this.
public enum RecordID {
    public static func make(program: String, candidate: String, rule: String, evidenceSHA256: String) -> String {
        var b = Array(SHA256.digest("assay-record\n\(program)\n\(candidate)\n\(rule)\n\(evidenceSHA256)").prefix(16))
        b[6] = (b[6] & 0x0F) | 0x80
        b[8] = (b[8] & 0x3F) | 0x80
        let h = Array(Hex.string(b))
        return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-"
            + String(h[20..<32])
    }
}
