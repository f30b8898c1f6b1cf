/// Unfolding (RFC 5322 §2.2.3) and the reading of raw header octets as UTF-8 (RFC 6532).
enum Unfolding {
    /// The field value with its line breaks removed and surrounding whitespace trimmed, as valid
    /// UTF-8: raw 8-bit octets are kept when they are UTF-8 (RFC 6532) and read as Windows-1252
    /// otherwise, so every header has a lossless text form.
    static func value(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [UInt8] {
        let r = ASCII.trimmed(b, range)
        var out = [UInt8]()
        out.reserveCapacity(r.count)
        var ascii = true
        for i in r {
            let c = b[i]
            if c == ASCII.cr || c == ASCII.lf { continue }
            if c >= 0x80 { ascii = false }
            out.append(c)
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
