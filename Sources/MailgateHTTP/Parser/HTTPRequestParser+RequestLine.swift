extension HTTPRequestParser {
    /// Empty lines tolerated before a request line (RFC 9112 §2.2 says SHOULD ignore at least one).
    static let maxLeadingEmptyLines = 4

    /// request-line = method SP request-target SP HTTP-version (RFC 9112 §3).
    mutating func parseRequestLine(_ buffer: UnsafeRawBufferPointer) -> Step {
        guard let lf = findLineFeed(buffer) else {
            // +1: the CR may already be here while the LF is not.
            if buffer.count - position > limits.maxRequestLine + 1 {
                return failStep(414, "request line longer than \(limits.maxRequestLine) bytes")
            }
            return .needMore
        }
        guard let end = lineEnd(buffer, lf: lf) else { return failStep(400, "request line must end with CRLF") }
        if end == position {
            guard position < 2 * Self.maxLeadingEmptyLines else { return failStep(400, "too many empty lines") }
            position = lf + 1
            return .next
        }
        if end - position > limits.maxRequestLine {
            return failStep(414, "request line longer than \(limits.maxRequestLine) bytes")
        }

        // method: a token followed by exactly one SP.
        var i = position
        while i < end, HTTPSyntax.isTokenChar(buffer[i]) { i += 1 }
        guard i > position, i < end, buffer[i] == HTTPSyntax.sp else { return failStep(400, "malformed method") }
        let methodRange = position..<i

        // request-target: visible ASCII up to the next SP (RFC 3986 characters are all VCHAR).
        i += 1
        let targetStart = i
        while i < end, buffer[i] > 0x20, buffer[i] < 0x7F { i += 1 }
        guard i > targetStart, i < end, buffer[i] == HTTPSyntax.sp else { return failStep(400, "malformed request target") }
        let targetRange = targetStart..<i

        // HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3), then nothing.
        i += 1
        guard end - i == 8,
              HTTPSyntax.equalsExact(buffer, i, "HTTP/"),
              let major = digit(buffer[i + 5]), buffer[i + 6] == UInt8(ascii: "."), let minor = digit(buffer[i + 7])
        else { return failStep(400, "malformed HTTP version") }
        // Only HTTP/1.x; a higher minor version is served as the highest we implement, 1.1
        // (RFC 9110 §2.5). Other majors (0.9 spelled out, 2, 3) → 505 (RFC 9110 §15.6.6).
        guard major == 1 else {
            return failStep(505, "HTTP/\(major).\(minor) is not supported")
        }

        method = HTTPSyntax.string(buffer, methodRange)
        target = HTTPSyntax.string(buffer, targetRange)
        guard let parts = RequestTarget.parse(buffer, targetRange, method: method) else {
            return failStep(400, "invalid request target")
        }
        path = parts.path
        query = parts.query
        version = minor == 0 ? .http1_0 : .http1_1
        fields.reserveCapacity(16)  // one allocation for typical requests instead of regrowing
        position = lf + 1
        sectionStart = position
        sectionFieldCount = 0
        phase = .headerFields
        return .next
    }

    private func digit(_ c: UInt8) -> Int? {
        c >= 0x30 && c <= 0x39 ? Int(c - 0x30) : nil
    }
}

extension HTTPSyntax {
    /// Case-sensitive comparison of `buffer[at...]` with an ASCII literal (the version is
    /// case-sensitive, RFC 9112 §2.3).
    static func equalsExact(_ buffer: UnsafeRawBufferPointer, _ at: Int, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard at + count <= buffer.count else { return false }
        for j in 0..<count where buffer[at + j] != literal.utf8Start[j] { return false }
        return true
    }
}
