import MailgateCore

/// The Date field (RFC 5322 §3.3 and the obsolete forms of §4.3) as RFC 3339 UTC.
enum DateTime {
    /// Parses a date-time, tolerantly: the day name is optional, the comma too; fields may be
    /// separated by spaces, commas or dashes; seconds are optional; two- and three-digit years
    /// follow §4.3 (< 50 → 20xx, else 19xx; three digits + 1900); zones are numeric or the
    /// obsolete names (UT, GMT, EST/EDT, CST/CDT, MST/MDT, PST/PDT); military letters and an
    /// absent zone count as UTC ("-0000", §4.3); asctime order ("Nov 28 12:00:00 2026") works too.
    /// Nil when a day, month, year or time is missing or out of range.
    static func rfc3339(_ value: [UInt8]) -> String? {
        value.withBytes { b in
            guard let seconds = epochSeconds(b) else { return nil }
            return Timestamp.rfc3339(seconds: seconds)
        }
    }

    static func epochSeconds(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var numbers: [(value: Int, digits: Int)] = []
        var month: Int? = nil
        var time: (h: Int, m: Int, s: Int)? = nil
        var zone: Int? = nil  // offset in seconds east of UTC
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c == ASCII.lparen {  // a comment: skip it, nested
                var depth = 0
                while i < n {
                    if b[i] == ASCII.lparen { depth += 1 } else if b[i] == ASCII.rparen { depth -= 1; if depth == 0 { break } }
                    i += 1
                }
                i += 1
                continue
            }
            if (c == UInt8(ascii: "+") || c == ASCII.dash) && time != nil && zone == nil {
                // "+hhmm" / "-hhmm" after the time.
                var j = i + 1, v = 0, d = 0
                while j < n, d < 4, let x = digit(b[j]) { v = v * 10 + x; j += 1; d += 1 }
                if d == 4 {
                    let off = (v / 100) * 3600 + (v % 100) * 60
                    zone = c == ASCII.dash ? -off : off
                    i = j
                    continue
                }
            }
            if let _ = digit(c) {
                var j = i, v = 0, d = 0
                while j < n, let x = digit(b[j]), d < 9 { v = v * 10 + x; j += 1; d += 1 }
                if j < n, b[j] == ASCII.colon, time == nil {
                    // hh:mm[:ss]
                    var parts = [v]
                    while j < n, b[j] == ASCII.colon, parts.count < 3 {
                        j += 1
                        var p = 0, pd = 0
                        while j < n, let x = digit(b[j]), pd < 2 { p = p * 10 + x; j += 1; pd += 1 }
                        if pd == 0 { break }
                        parts.append(p)
                    }
                    if parts.count >= 2 { time = (parts[0], parts[1], parts.count > 2 ? parts[2] : 0) }
                } else {
                    numbers.append((v, d))
                }
                while j < n, digit(b[j]) != nil { j += 1 }
                i = j
                continue
            }
            if isLetter(c) {
                var j = i
                while j < n, isLetter(b[j]) { j += 1 }
                let word = UnsafeBufferPointer(rebasing: b[i..<j])
                if month == nil, let m = monthNumber(word) {
                    month = m
                } else if time != nil, zone == nil, let z = namedZone(word) {
                    zone = z
                }
                i = j
                continue
            }
            i += 1
        }
        guard let month, let time, numbers.count >= 2 else { return nil }
        var day = numbers[0], year = numbers[1]
        // A year written first ("2026 Nov 28") or a day after the year.
        if day.digits >= 3 || day.value > 31 { swap(&day, &year) }
        var y = year.value
        if year.digits <= 2 { y += y < 50 ? 2000 : 1900 } else if year.digits == 3 { y += 1900 }
        guard (1...9999).contains(y), (1...31).contains(day.value), day.value <= daysIn(month, y),
              (0...23).contains(time.h), (0...59).contains(time.m), (0...60).contains(time.s) else { return nil }
        let local = Timestamp.epochSeconds(year: y, month: month, day: day.value, hour: time.h, minute: time.m, second: time.s)
        let utc = local - Int64(zone ?? 0)
        // RFC 3339 needs four-digit years after the zone shift too.
        guard utc >= -62_135_596_800, utc <= 253_402_300_799 else { return nil }
        return utc
    }

    @inline(__always) private static func digit(_ c: UInt8) -> Int? { c >= 0x30 && c <= 0x39 ? Int(c - 0x30) : nil }
    @inline(__always) private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static let months: [StaticString] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Month names by their first three letters ("Nov", "November", "NOV").
    private static func monthNumber(_ w: UnsafeBufferPointer<UInt8>) -> Int? {
        guard w.count >= 3 else { return nil }
        for (k, m) in months.enumerated() where ASCII.equalsLower(w, 0..<3, m) { return k + 1 }
        return nil
    }

    /// obs-zone (§4.3); military letters other than Z are "-0000" (their sign was historically
    /// botched), so every single letter is UTC.
    private static func namedZone(_ w: UnsafeBufferPointer<UInt8>) -> Int? {
        let all = 0..<w.count
        if w.count == 1 { return 0 }
        if ASCII.equalsLower(w, all, "ut") || ASCII.equalsLower(w, all, "utc") || ASCII.equalsLower(w, all, "gmt") { return 0 }
        let table: [(StaticString, Int)] = [("est", -5), ("edt", -4), ("cst", -6), ("cdt", -5),
                                            ("mst", -7), ("mdt", -6), ("pst", -8), ("pdt", -7)]
        for (name, hours) in table where ASCII.equalsLower(w, all, name) { return hours * 3600 }
        return nil
    }
}
