/// Octet constants and small ASCII helpers (no Foundation, no Unicode tables on hot paths).
enum ASCII {
    static let nul: UInt8 = 0
    static let tab: UInt8 = 9
    static let lf: UInt8 = 10
    static let cr: UInt8 = 13
    static let space: UInt8 = 32
    static let quote: UInt8 = 34
    static let comma: UInt8 = 44
    static let hyphen: UInt8 = 45
    static let dot: UInt8 = 46
    static let colon: UInt8 = 58
    static let lessThan: UInt8 = 60
    static let equals: UInt8 = 61
    static let greaterThan: UInt8 = 62
    static let at: UInt8 = 64
    static let openBracket: UInt8 = 91
    static let backslash: UInt8 = 92
    static let closeBracket: UInt8 = 93
    static let underscore: UInt8 = 95

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
        (b >= 65 && b <= 90) ? b | 0x20 : b
    }

    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool {
        let l = b | 0x20
        return l >= 97 && l <= 122
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    @inline(__always) static func isHexDigit(_ b: UInt8) -> Bool {
        let l = b | 0x20
        return isDigit(b) || (l >= 97 && l <= 102)
    }

    /// Lower-cases A-Z only; other octets (UTF-8 included) are kept.
    static func lowercased(_ s: String) -> String {
        String(decoding: s.utf8.map(lower), as: UTF8.self)
    }

    /// Case-insensitive comparison of `bytes` with an upper- or lower-case ASCII `word`.
    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0..<bytes.count where lower(bytes[i]) != lower(w[i]) {
            return false
        }
        return true
    }

    /// Whether `bytes` starts with `word`, ignoring ASCII case.
    static func hasPrefixIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard bytes.count >= n else { return false }
        return equalsIgnoringCase(UnsafeBufferPointer(rebasing: bytes[0..<n]), word)
    }

    /// `bytes` without leading and trailing spaces and tabs.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == space || bytes[start] == tab { start += 1 }
        while end > start, bytes[end - 1] == space || bytes[end - 1] == tab { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
