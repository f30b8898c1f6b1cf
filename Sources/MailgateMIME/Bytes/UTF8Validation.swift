/// UTF-8 well-formedness (RFC 3629 §4), checked before bytes are trusted as UTF-8 (RFC 6532).
enum UTF8Validation {
    /// Whether every byte is below 0x80 (the common case: nothing to convert).
    static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        // Eight bytes at a time while possible.
        if let base = b.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= n {
                if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                i += 8
            }
        }
        while i < n {
            if b[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    /// Whether `b` is well-formed UTF-8: no overlongs, no surrogates, nothing above U+10FFFF.
    static func isValid(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if isASCII(b) { return true }
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let need: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return false
            }
            // The continuation bytes must all be present.
            guard i + need < n else { return false }
            let c1 = b[i + 1]
            if c1 < lo || c1 > hi { return false }
            var k = 2
            while k <= need {
                if b[i + k] & 0xC0 != 0x80 { return false }
                k += 1
            }
            i += need + 1
        }
        return true
    }
}
