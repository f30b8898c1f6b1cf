/// Conversion of text in any charset to UTF-8. It never fails: bytes a charset cannot explain
/// become U+FFFD, and an unknown or unusable charset falls back to `appendFallback`.
enum CharsetDecoding {
    /// Appends the UTF-8 form of `bytes` (in `charset`) to `out`.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, charset: Charset?, to out: inout [UInt8]) {
        guard let charset else { return appendFallback(bytes, to: &out) }
        switch charset {
        case .utf8:
            if UTF8Validation.isValid(bytes) { out.append(contentsOf: bytes) } else { appendRepairedUTF8(bytes, to: &out) }
        case .ascii:
            appendFallback(bytes, to: &out)
        case .windows1252:
            if UTF8Validation.isASCII(bytes) { out.append(contentsOf: bytes) } else { appendWindows1252(bytes, to: &out) }
        case .iconv(let name):
            if charset.isASCIICompatible && UTF8Validation.isASCII(bytes) {
                out.append(contentsOf: bytes)
            } else if !IconvPool.shared.convert(bytes, from: name, to: &out) {
                appendFallback(bytes, to: &out)
            }
        }
    }

    /// Decodes `bytes` in `charset` to a String.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, charset: Charset?) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 2)
        append(bytes, charset: charset, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// For unlabelled 8-bit bytes or an unknown charset: keep them if they are UTF-8 (RFC 6532),
    /// else read them as Windows-1252, which maps every byte to a character (reversibly).
    static func appendFallback(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        if UTF8Validation.isValid(bytes) { out.append(contentsOf: bytes) } else { appendWindows1252(bytes, to: &out) }
    }

    /// Declared UTF-8 that is not well-formed: each bad sequence becomes U+FFFD.
    static func appendRepairedUTF8(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(contentsOf: String(decoding: bytes, as: UTF8.self).utf8)
    }

    /// Windows-1252 as the WHATWG Encoding Standard defines it: the five unassigned octets map to
    /// the C1 controls of the same value, so every byte has exactly one character.
    static func appendWindows1252(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        for b in bytes {
            if b < 0x80 { out.append(b); continue }
            let scalar = b < 0xA0 ? UInt32(c1Table[Int(b - 0x80)]) : UInt32(b)
            appendScalar(scalar, to: &out)
        }
    }

    @inline(__always) static func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Windows-1252 0x80...0x9F.
    private static let c1Table: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
