/// Unfolding (RFC 5322 §2.2.3) and the reading of raw header octets as UTF-8 (RFC 6532).
enum Unfolding {
    /// The field value with its line breaks removed and surrounding whitespace trimmed, as valid
    /// UTF-8: raw 8-bit octets are kept when they are UTF-8 (RFC 6532) and read as Windows-1252
    /// otherwise, so every header has a lossless text form.
    static func value(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [UInt8] {
        let r = ASCII.trimmed(b, range)
        var ascii = true
        var folded = false
        for i in r {
            let c = b[i]
            if c >= 0x80 { ascii = false } else if c == ASCII.cr || c == ASCII.lf { folded = true }
        }
        var out: [UInt8]
        if folded {
            out = [UInt8](unsafeUninitializedCapacity: r.count) { o, count in
                var w = 0
                for i in r where b[i] != ASCII.cr && b[i] != ASCII.lf {
                    o[w] = b[i]
                    w += 1
                }
                count = w
            }
        } else {
            out = Array(UnsafeBufferPointer(rebasing: b[r]))
        }
        if ascii { return out }
        return out.withBytes { u in
            if UTF8Validation.isValid(u) { return out }
            var converted = [UInt8]()
            converted.reserveCapacity(u.count * 2)
            CharsetDecoding.appendWindows1252(u, to: &converted)
            return converted
        }
    }
}
