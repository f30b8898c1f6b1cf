/// The readable text of an HTML body, for snippets and search (not for display): tags,
/// comments, scripts and styles removed, each tag leaving a space so words do not run
/// together, and the common character references decoded.
enum HTMLText {
    static func plain(_ html: String) -> String {
        var out = [UInt8]()
        var h = html
        h.withUTF8 { b in
            out.reserveCapacity(b.count)
            var i = 0
            let n = b.count
            while i < n {
                let c = b[i]
                if c == ASCII.lt {
                    if startsWith(b, i, "<!--") {
                        i = find(b, i + 4, "-->").map { $0 + 3 } ?? n
                    } else if startsWith(b, i, "<script") || startsWith(b, i, "<style") {
                        let close: StaticString = startsWith(b, i, "<script") ? "</script" : "</style"
                        i = find(b, i + 1, close).flatMap { Scan.index(of: ASCII.gt, in: b, from: $0, to: n) }.map { $0 + 1 } ?? n
                    } else {
                        i = (Scan.index(of: ASCII.gt, in: b, from: i + 1, to: n) ?? n - 1) + 1
                    }
                    out.append(ASCII.sp)
                    continue
                }
                if c == UInt8(ascii: "&"), let (scalar, length) = reference(b, i) {
                    CharsetDecoding.appendScalar(scalar, to: &out)
                    i += length
                    continue
                }
                out.append(c)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func startsWith(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ s: StaticString) -> Bool {
        at + s.utf8CodeUnitCount <= b.count && ASCII.equalsLower(b, at..<at + s.utf8CodeUnitCount, s)
    }

    private static func find(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ s: StaticString) -> Int? {
        var i = from
        let first = s.utf8Start[0]
        while let p = Scan.index(of: first, in: b, from: i, to: b.count) {
            if startsWith(b, p, s) { return p }
            i = p + 1
        }
        return nil
    }

    private static let named: [(StaticString, UInt32)] = [("amp", 0x26), ("lt", 0x3C), ("gt", 0x3E), ("quot", 0x22),
                                                          ("apos", 0x27), ("nbsp", 0x20), ("copy", 0xA9), ("reg", 0xAE),
                                                          ("hellip", 0x2026), ("mdash", 0x2014), ("ndash", 0x2013)]

    /// "&name;", "&#123;" or "&#x7B;" at `i`: the scalar and the reference's length.
    private static func reference(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int)? {
        guard let semi = Scan.index(of: ASCII.semicolon, in: b, from: i + 1, to: min(b.count, i + 12)) else { return nil }
        let body = i + 1..<semi
        if body.count >= 2, b[i + 1] == UInt8(ascii: "#") {
            var v: UInt32 = 0
            let hex = ASCII.lower(b[i + 2]) == UInt8(ascii: "x")
            let digits = (hex ? i + 3 : i + 2)..<semi
            guard !digits.isEmpty else { return nil }
            for k in digits {
                guard let d = ASCII.hexValue(b[k]), hex || b[k] <= 0x39, v <= 0x10FFFF else { return nil }
                v = v * (hex ? 16 : 10) + UInt32(d)
            }
            guard v > 0, v <= 0x10FFFF, !(0xD800...0xDFFF).contains(v) else { return nil }
            return (v, semi + 1 - i)
        }
        for (name, v) in named where ASCII.equalsLower(b, body, name) { return (v, semi + 1 - i) }
        return nil
    }
}
