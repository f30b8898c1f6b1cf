import Glibc

/// Date rendering for the API (RFC 3339) and for trace headers (RFC 5322 §3.3).
public enum Timestamp {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func utc(_ seconds: Int64) -> tm {
        var t = time_t(seconds)
        var out = tm()
        gmtime_r(&t, &out)
        return out
    }

    private static func pad(_ v: Int32, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `2026-11-28T12:00:00.123Z`: RFC 3339 UTC with milliseconds (API.md).
    public static func rfc3339(milliseconds ms: Int64) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = Int32(ms - seconds * 1000)
        let t = utc(seconds)
        return "\(pad(t.tm_year + 1900, 4))-\(pad(t.tm_mon + 1, 2))-\(pad(t.tm_mday, 2))T"
            + "\(pad(t.tm_hour, 2)):\(pad(t.tm_min, 2)):\(pad(t.tm_sec, 2)).\(pad(millis, 3))Z"
    }

    /// `2026-11-28T12:00:00Z`: RFC 3339 UTC with whole seconds.
    public static func rfc3339(seconds: Int64) -> String {
        let t = utc(seconds)
        return "\(pad(t.tm_year + 1900, 4))-\(pad(t.tm_mon + 1, 2))-\(pad(t.tm_mday, 2))T"
            + "\(pad(t.tm_hour, 2)):\(pad(t.tm_min, 2)):\(pad(t.tm_sec, 2))Z"
    }

    /// `Sat, 28 Nov 2026 12:00:00 +0000`: the date-time of RFC 5322 §3.3, used in Received.
    public static func rfc5322(seconds: Int64) -> String {
        let t = utc(seconds)
        return "\(days[Int(t.tm_wday)]), \(t.tm_mday) \(months[Int(t.tm_mon)]) \(pad(t.tm_year + 1900, 4)) "
            + "\(pad(t.tm_hour, 2)):\(pad(t.tm_min, 2)):\(pad(t.tm_sec, 2)) +0000"
    }

    /// `Sat, 28 Nov 2026 12:00:00 GMT`: the IMF-fixdate of HTTP (RFC 9110 §5.6.7).
    public static func httpDate(seconds: Int64) -> String {
        let t = utc(seconds)
        return "\(days[Int(t.tm_wday)]), \(pad(t.tm_mday, 2)) \(months[Int(t.tm_mon)]) \(pad(t.tm_year + 1900, 4)) "
            + "\(pad(t.tm_hour, 2)):\(pad(t.tm_min, 2)):\(pad(t.tm_sec, 2)) GMT"
    }

    /// Seconds since the epoch for a UTC calendar date (days-from-civil, no time zone database).
    public static func epochSeconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let daysSinceEpoch = era * 146097 + doe - 719468
        return Int64(daysSinceEpoch) * 86400 + Int64(hour * 3600 + minute * 60 + second)
    }
}
