/// Byte classes of the HTTP grammar (RFC 9110 §5.6.2, §5.5; RFC 9112 §2.2).
enum HTTPSyntax {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B

    /// tchar (RFC 9110 §5.6.2): the characters of a token (method, field name, coding name).
    @inline(__always)
    static func isTokenChar(_ c: UInt8) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
        default: return false
        }
    }

    /// OWS / BWS characters (RFC 9110 §5.6.3).
    @inline(__always)
    static func isWhitespace(_ c: UInt8) -> Bool { c == sp || c == htab }

    /// field-vchar, SP or HTAB (RFC 9110 §5.5): VCHAR and obs-text. Every other control byte,
    /// including NUL, DEL and a bare CR, is rejected (RFC 9110 §5.5, RFC 9112 §2.2).
    @inline(__always)
    static func isFieldValueChar(_ c: UInt8) -> Bool {
        (c >= 0x20 && c != 0x7F) || c == htab
    }

    /// Value of a hex digit, or nil.
    @inline(__always)
    static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        default: return nil
        }
    }

    /// ASCII case-insensitive comparison of raw bytes with a lower-case ASCII literal.
    @inline(__always)
    static func equalsLowercase(_ bytes: UnsafeRawBufferPointer, _ lower: StaticString) -> Bool {
        guard bytes.count == lower.utf8CodeUnitCount else { return false }
        let literal = lower.utf8Start
        for i in 0..<bytes.count {
            var c = bytes[i]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if c != literal[i] { return false }
        }
        return true
    }

    /// ASCII case-insensitive comparison of two strings (field names, tokens); no allocation.
    static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where p != q {
            let lp = p >= 0x41 && p <= 0x5A ? p | 0x20 : p
            let lq = q >= 0x41 && q <= 0x5A ? q | 0x20 : q
            if lp != lq { return false }
        }
        return true
    }

    /// The bytes between `start` and `end` with OWS trimmed from both ends.
    @inline(__always)
    static func trimmed(_ buffer: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int> {
        var s = start, e = end
        while s < e, isWhitespace(buffer[s]) { s += 1 }
        while e > s, isWhitespace(buffer[e - 1]) { e -= 1 }
        return s..<e
    }

    /// Calls `body` with each element of a comma-separated list (RFC 9110 §5.6.1), OWS trimmed,
    /// empty elements skipped. Stops early and returns false when `body` returns false.
    static func forEachListElement(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>,
                                   _ body: (Range<Int>) -> Bool) -> Bool {
        var start = range.lowerBound
        var i = range.lowerBound
        while i <= range.upperBound {
            if i == range.upperBound || buffer[i] == comma {
                let element = trimmed(buffer, start, i)
                if !element.isEmpty, !body(element) { return false }
                start = i + 1
            }
            i += 1
        }
        return true
    }

    static func string(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }
}
