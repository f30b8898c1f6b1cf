/// Percent-decoding of URI components (RFC 3986 §2.1).
enum PercentDecoding {
    /// Decodes `range`; `+` becomes a space when `plusAsSpace` (query strings). Returns nil for a
    /// `%` not followed by two hex digits, for `%00` (a NUL has no business in a path or filter
    /// and truncates C strings downstream), and for bytes that are not valid UTF-8.
    static func decode(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, plusAsSpace: Bool) -> String? {
        var needsWork = false
        for i in range where buffer[i] == UInt8(ascii: "%") || (plusAsSpace && buffer[i] == UInt8(ascii: "+")) {
            needsWork = true
            break
        }
        // Fast path: nothing to decode. The parser admits only VCHAR (ASCII) in a target.
        if !needsWork { return HTTPSyntax.string(buffer, range) }

        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let c = buffer[i]
            if c == UInt8(ascii: "%") {
                guard i + 2 < range.upperBound,
                      let high = HTTPSyntax.hexValue(buffer[i + 1]),
                      let low = HTTPSyntax.hexValue(buffer[i + 2]) else { return nil }
                let byte = UInt8(high << 4 | low)
                if byte == 0 { return nil }
                out.append(byte)
                i += 3
            } else {
                out.append(plusAsSpace && c == UInt8(ascii: "+") ? UInt8(ascii: " ") : c)
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}
