public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Issue times as records write them: whole seconds, UTC, `YYYY-MM-DDThh:mm:ssZ` (RFC 3339 / the
/// `DateTimeZ` of OB 3.0), and as JWT NumericDate (seconds since 1970, RFC 7519 §2).
public enum Timestamp {
    /// `date` as `2026-06-30T09:00:00Z` (fractions of a second dropped).
    public static func text(_ date: Date) -> String {
        var t = time_t(seconds(date))
        var parts = tm()
        gmtime_r(&t, &parts)
        var out = [UInt8]()
        out.reserveCapacity(20)
        func digits(_ value: Int32, _ count: Int) {
            var v = Int(value)
            var d = [UInt8](repeating: 0x30, count: count)
            for i in stride(from: count - 1, through: 0, by: -1) {
                d[i] = 0x30 + UInt8(v % 10)
                v /= 10
            }
            out.append(contentsOf: d)
        }
        digits(parts.tm_year + 1900, 4)
        out.append(0x2D)
        digits(parts.tm_mon + 1, 2)
        out.append(0x2D)
        digits(parts.tm_mday, 2)
        out.append(0x54)
        digits(parts.tm_hour, 2)
        out.append(0x3A)
        digits(parts.tm_min, 2)
        out.append(0x3A)
        digits(parts.tm_sec, 2)
        out.append(0x5A)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (rounded down).
    public static func seconds(_ date: Date) -> Int { Int(date.timeIntervalSince1970.rounded(.down)) }

    /// Reads `YYYY-MM-DDThh:mm:ssZ` (optionally with fractional seconds, or an offset `±hh:mm` instead of `Z`);
    /// nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let c = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= c.count else { return nil }
            var v = 0
            for b in c[from..<from + count] {
                guard b >= 0x30, b <= 0x39 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            return v
        }
        guard c.count >= 20, c[4] == 0x2D, c[7] == 0x2D, c[10] == 0x54 || c[10] == 0x74, c[13] == 0x3A, c[16] == 0x3A,
            let year = num(0, 4), let month = num(5, 2), let day = num(8, 2), let hour = num(11, 2), let minute = num(14, 2),
            let second = num(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        if c[i] == 0x2E {
            i += 1
            let start = i
            while i < c.count, c[i] >= 0x30, c[i] <= 0x39 { i += 1 }
            guard i > start else { return nil }
        }
        var offset = 0
        if i == c.count - 1, c[i] == 0x5A || c[i] == 0x7A {
            offset = 0
        } else if i == c.count - 6, c[i] == 0x2B || c[i] == 0x2D, c[i + 3] == 0x3A, let oh = num(i + 1, 2), let om = num(i + 4, 2) {
            offset = (oh * 60 + om) * 60 * (c[i] == 0x2D ? -1 : 1)
        } else {
            return nil
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: TimeInterval(seconds - offset))
    }
}
