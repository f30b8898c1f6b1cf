/// Validation of subscriber URLs: only absolute `http` and `https` URLs (RFC 3986 §3) with a
/// host, so curl is never asked to speak another protocol (it is also restricted there).
public enum WebhookURL {
    public static let maxLength = 2048

    /// Returns why `url` is unacceptable, or nil when it is fine.
    public static func problem(_ url: String) -> String? {
        let bytes = Array(url.utf8)
        guard !bytes.isEmpty else { return "must not be empty" }
        guard bytes.count <= maxLength else { return "must be at most \(maxLength) bytes" }
        if bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
            return "must not contain spaces or control characters"
        }
        guard let schemeEnd = bytes.firstIndex(of: UInt8(ascii: ":")) else { return "must be an absolute http or https URL" }
        let scheme = String(decoding: bytes[..<schemeEnd], as: UTF8.self).lowercased()
        guard scheme == "http" || scheme == "https" else { return "scheme must be http or https" }
        let rest = bytes[(schemeEnd + 1)...]
        guard rest.starts(with: Array("//".utf8)) else { return "must be an absolute http or https URL" }
        let authorityStart = rest.startIndex + 2
        let authorityEnd = rest[authorityStart...].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) ?? rest.endIndex
        var hostPort = rest[authorityStart..<authorityEnd]
        // userinfo@ is allowed (basic auth for the receiver, RFC 3986 §3.2.1).
        if let at = hostPort.lastIndex(of: UInt8(ascii: "@")) { hostPort = hostPort[(at + 1)...] }
        var host = hostPort
        if hostPort.first == UInt8(ascii: "[") {
            // IP-literal (RFC 3986 §3.2.2).
            guard let close = hostPort.firstIndex(of: UInt8(ascii: "]")) else { return "has an unterminated IPv6 literal" }
            host = hostPort[...close]
            let after = hostPort[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { return "has an invalid host" }
                if let p = portProblem(after.dropFirst()) { return p }
            }
        } else if let colon = hostPort.lastIndex(of: UInt8(ascii: ":")) {
            host = hostPort[..<colon]
            if let p = portProblem(hostPort[(colon + 1)...]) { return p }
        }
        guard !host.isEmpty else { return "must have a host" }
        return nil
    }

    private static func portProblem(_ digits: ArraySlice<UInt8>) -> String? {
        guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let port = Int(String(decoding: digits, as: UTF8.self)), port >= 1, port <= 65535
        else { return "has an invalid port" }
        return nil
    }
}
