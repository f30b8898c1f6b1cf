/// Content-Transfer-Encoding decoders (RFC 2045 §6). They never fail: damaged input decodes as
/// far as it can and the rest is kept or skipped as described per encoding.
public enum TransferDecoding {
    enum Encoding {
        case identity  // 7bit, 8bit, binary and unknown values (RFC 2045 §6.4: treat as opaque)
        case base64
        case quotedPrintable

        init(_ name: String) {
            switch name {
            case "base64": self = .base64
            case "quoted-printable": self = .quotedPrintable
            default: self = .identity
            }
        }
    }

    /// Decodes an attachment's encoded body (as stored at `ParsedAttachment.offset/length`) given
    /// its lower-cased `transferEncoding`; this is what serves `/attachments/{id}`.
    public static func decode(_ encoded: UnsafeRawBufferPointer, transferEncoding: String) -> [UInt8] {
        encoded.withMemoryRebound(to: UInt8.self) { decode($0, Encoding(transferEncoding.lowercased())) }
    }

    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ encoding: Encoding) -> [UInt8] {
        switch encoding {
        case .identity: return Array(b)
        case .base64: return base64(b)
        case .quotedPrintable: return quotedPrintable(b)
        }
    }

    private static let base64Values: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// Base64 (RFC 2045 §6.8), tolerant: characters outside the alphabet (line breaks, spaces,
    /// garbage) are ignored (§6.8 says they must be); "=" ends the current quantum, so bodies
    /// encoded line by line with padding on each line still decode; a missing "=" is fine; a
    /// lone trailing sextet, which cannot make an octet, is dropped.
    static func base64(_ b: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        base64Values.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: b.count / 4 * 3 + 3) { o, count in
                var w = 0
                var acc: UInt32 = 0
                var n = 0
                // Emits the octets of a partial quantum of n sextets (2 → 1 octet, 3 → 2 octets).
                func flush() {
                    if n == 2 {
                        o[w] = UInt8(truncatingIfNeeded: acc >> 4); w += 1
                    } else if n == 3 {
                        o[w] = UInt8(truncatingIfNeeded: acc >> 10); o[w + 1] = UInt8(truncatingIfNeeded: acc >> 2); w += 2
                    }
                    acc = 0
                    n = 0
                }
                for c in b {
                    let v = table[Int(c)]
                    if v == 0xFF {
                        if c == ASCII.equals { flush() }
                        continue
                    }
                    acc = (acc << 6) | UInt32(v)
                    n += 1
                    if n == 4 {
                        o[w] = UInt8(truncatingIfNeeded: acc >> 16)
                        o[w + 1] = UInt8(truncatingIfNeeded: acc >> 8)
                        o[w + 2] = UInt8(truncatingIfNeeded: acc)
                        w += 3
                        acc = 0
                        n = 0
                    }
                }
                flush()
                count = w
            }
        }
    }

    /// Quoted-Printable (RFC 2045 §6.7): "=XX" in either case is an octet; "=" at the end of a
    /// line (after optional transport padding) is a soft line break; whitespace at the end of a
    /// line was added in transit and is removed (rule 3); any other "=" is kept literally, as
    /// §6.7 note (2) recommends for robustness. Hard line breaks are kept as they are.
    static func quotedPrintable(_ b: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let n = b.count
        // The output is never longer than the input.
        return [UInt8](unsafeUninitializedCapacity: n) { o, count in
            var w = 0
            var i = 0
            while i < n {
                let c = b[i]
                if c == ASCII.equals {
                    if i + 2 < n, let hi = ASCII.hexValue(b[i + 1]), let lo = ASCII.hexValue(b[i + 2]) {
                        o[w] = hi << 4 | lo
                        w += 1
                        i += 3
                        continue
                    }
                    var j = i + 1
                    while j < n, ASCII.isWSP(b[j]) { j += 1 }
                    if j == n { i = n; continue }  // "=" at the very end: a soft break
                    if b[j] == ASCII.lf { i = j + 1; continue }
                    if b[j] == ASCII.cr, j + 1 < n, b[j + 1] == ASCII.lf { i = j + 2; continue }
                    o[w] = c  // a bad escape: kept as it is
                    w += 1
                    i += 1
                    continue
                }
                if ASCII.isWSP(c) {
                    var j = i + 1
                    while j < n, ASCII.isWSP(b[j]) { j += 1 }
                    if j == n || b[j] == ASCII.lf || (b[j] == ASCII.cr && j + 1 < n && b[j + 1] == ASCII.lf) {
                        i = j  // trailing whitespace: dropped
                        continue
                    }
                    while i < j { o[w] = b[i]; w += 1; i += 1 }
                    continue
                }
                o[w] = c
                w += 1
                i += 1
            }
            count = w
        }
    }
}
