import MailgateCore

/// The `Retry-After` response header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
public enum RetryAfter {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The delay the receiver asked for, in milliseconds (0 for a date in the past), or nil when
    /// the value is neither form.
    public static func milliseconds(_ value: String, nowMilliseconds: Int64) -> Int64? {
        let v = value.trimmingSpaces
        if !v.isEmpty, v.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // delay-seconds = 1*DIGIT; absurdly long values saturate rather than overflow.
            guard v.utf8.count <= 12, let seconds = Int64(v) else { return Int64.max / 2 }
            return seconds * 1000
        }
        guard let date = httpDate(v, nowSeconds: nowMilliseconds / 1000) else { return nil }
        return max(0, date * 1000 - nowMilliseconds)
    }

    /// Seconds since the epoch of an HTTP-date in any of the three forms recipients must accept
    /// (RFC 9110 §5.6.7): IMF-fixdate, the obsolete RFC 850 form and asctime.
    public static func httpDate(_ text: String, nowSeconds: Int64) -> Int64? {
        let tokens = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = tokens.first else { return nil }
        if first.hasSuffix(",") {
            if tokens.count == 6, tokens[5] == "GMT" {
                // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
                guard tokens[1].count == 2, tokens[3].count == 4 else { return nil }
                return make(day: tokens[1], month: tokens[2], year: tokens[3], time: tokens[4])
            }
            if tokens.count == 4, tokens[3] == "GMT" {
                // rfc850-date: Sunday, 06-Nov-94 08:49:37 GMT
                let parts = tokens[1].split(separator: "-").map(String.init)
                guard parts.count == 3, parts[0].count == 2, parts[2].count == 2, let yy = Int(parts[2]) else { return nil }
                // A two-digit year more than 50 years ahead means the past century (§5.6.7).
                let currentYear = Int(nowSeconds / 31_556_952) + 1970
                var year = (currentYear / 100) * 100 + yy
                if year > currentYear + 50 { year -= 100 }
                return make(day: parts[0], month: parts[1], year: String(year), time: tokens[2])
            }
            return nil
        }
        // asctime-date: Sun Nov  6 08:49:37 1994
        guard tokens.count == 5, tokens[4].count == 4 else { return nil }
        return make(day: tokens[2], month: tokens[1], year: tokens[4], time: tokens[3])
    }

    private static func make(day: String, month: String, year: String, time: String) -> Int64? {
        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard let d = number(day), (1...31).contains(d),
              let m = months.firstIndex(of: month.lowercased()),
              let y = number(year), y >= 1970,
              clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
              let hh = number(String(clock[0])), hh < 24,
              let mm = number(String(clock[1])), mm < 60,
              let ss = number(String(clock[2])), ss <= 60
        else { return nil }
        return Timestamp.epochSeconds(year: y, month: m + 1, day: d, hour: hh, minute: mm, second: ss)
    }

    private static func number(_ s: String) -> Int? {
        guard !s.isEmpty, s.utf8.count <= 4, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(s)
    }
}
