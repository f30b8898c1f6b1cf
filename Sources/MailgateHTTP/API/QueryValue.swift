import MailgateCore

/// Parsers for query parameter values; each returns nil on bad input so the handler can
/// answer 400 with the parameter's name.
public enum QueryValue {
    /// A decimal integer (optional leading `-`, digits only, no spaces or `+`) within `range`.
    public static func integer(_ text: String, in range: ClosedRange<Int>) -> Int? {
        var utf8 = Substring(text).utf8
        var negative = false
        if utf8.first == UInt8(ascii: "-") { negative = true; utf8 = utf8.dropFirst() }
        guard !utf8.isEmpty, utf8.count <= 19 else { return nil }
        var value = 0
        for c in utf8 {
            guard c >= 0x30, c <= 0x39 else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(c - 0x30))
            guard !o1, !o2 else { return nil }
            value = sum
        }
        if negative { value = -value }
        return range.contains(value) ? value : nil
    }

    /// An RFC 3339 date-time (§5.6) as milliseconds since the epoch: `2026-11-28T12:00:00Z`,
    /// `2026-11-28T12:00:00.123+01:00`; `t`/`z` in lower case and a space for `T` are allowed
    /// (§5.6 note). Fractions beyond milliseconds are truncated; a leap second 60 is accepted.
    /// A bare full-date `2026-11-28` means its midnight UTC (a convenience for `since`/`until`).
    public static func timestampMilliseconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func number(_ at: Int, _ width: Int) -> Int? {
            guard at + width <= b.count else { return nil }
            var v = 0
            for c in b[at..<(at + width)] {
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard let year = number(0, 4), b.count >= 10, b[4] == UInt8(ascii: "-"),
              let month = number(5, 2), b[7] == UInt8(ascii: "-"), let day = number(8, 2),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        if b.count == 10 {
            return Timestamp.epochSeconds(year: year, month: month, day: day, hour: 0, minute: 0, second: 0) * 1000
        }
        guard b.count >= 20, [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(b[10]),
              let hour = number(11, 2), b[13] == UInt8(ascii: ":"), let minute = number(14, 2),
              b[16] == UInt8(ascii: ":"), let second = number(17, 2),
              hour <= 23, minute <= 59, second <= 60 else { return nil }
        var i = 19
        var millis = 0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                if i - start < 3 { millis = millis * 10 + Int(b[i] - 0x30) }
                i += 1
            }
            guard i > start else { return nil }
            for _ in min(i - start, 3)..<3 { millis *= 10 }
        }
        guard i < b.count else { return nil }
        var offsetSeconds = 0
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard i + 1 == b.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == b.count, let oh = number(i + 1, 2), b[i + 3] == UInt8(ascii: ":"),
                  let om = number(i + 4, 2), oh <= 23, om <= 59 else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        let local = Timestamp.epochSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return (local - Int64(offsetSeconds)) * 1000 + Int64(millis)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
