import Foundation

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
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (rounded down).
    public static func seconds(_ date: Date) -> Int { Int(date.timeIntervalSince1970.rounded(.down)) }

    /// Reads `YYYY-MM-DDThh:mm:ssZ` (or with an offset, or a bare date `YYYY-MM-DD` meaning midnight UTC);
    /// nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withFullDate]
        return f.date(from: text)
    }
}
