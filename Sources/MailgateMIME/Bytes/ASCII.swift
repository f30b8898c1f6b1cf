/// Byte classes of RFC 5234 Appendix B.1 and small ASCII helpers the parsers share.
enum ASCII {
    static let cr: UInt8 = 0x0D, lf: UInt8 = 0x0A, sp: UInt8 = 0x20, tab: UInt8 = 0x09
    static let colon = UInt8(ascii: ":"), semicolon = UInt8(ascii: ";"), comma = UInt8(ascii: ",")
    static let equals = UInt8(ascii: "="), question = UInt8(ascii: "?"), quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\"), slash = UInt8(ascii: "/"), dash = UInt8(ascii: "-")
    static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), at = UInt8(ascii: "@")
    static let lparen = UInt8(ascii: "("), rparen = UInt8(ascii: ")")

    /// WSP = SP / HTAB.
    @inline(__always) static func isWSP(_ c: UInt8) -> Bool { c == sp || c == tab }
    /// WSP or a line-break octet, for trimming unfolded values.
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == sp || c == tab || c == cr || c == lf }
    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// The value of a hexadecimal digit of either case, or nil.
    @inline(__always) static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// Whether `bytes[range]` equals the lower-case ASCII `literal`, ignoring case.
    static func equalsLower(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let l = literal.utf8Start
        var i = 0
        for p in range {
            if lower(bytes[p]) != l[i] { return false }
            i += 1
        }
        return true
    }

    /// Lower-cased copy of an ASCII byte range as a String.
    static func lowerString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(decoding: bytes.lazy.map(lower), as: UTF8.self)
    }

    /// The range with leading and trailing WSP/CR/LF removed.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi && isSpace(bytes[lo]) { lo += 1 }
        while hi > lo && isSpace(bytes[hi - 1]) { hi -= 1 }
        return lo..<hi
    }
}

extension Array where Element == UInt8 {
    /// Runs `body` over the array's bytes as a typed buffer (never nil-based, even when empty).
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeBufferPointer { body($0) }
    }
}
