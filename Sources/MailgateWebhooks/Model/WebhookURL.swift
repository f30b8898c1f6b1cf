import MailgateIO

/// Validation of subscriber URLs: only absolute `http` and `https` URLs (RFC 3986 §3) with a
/// host, so curl is never asked to speak another protocol (it is also restricted there). The
/// host is a DNS name or IPv4 address (letters, digits, hyphens and underscores in
/// dot-separated labels: Docker Compose service names may hold `_`) or a bracketed IPv6
/// literal; user info, path, query and fragment use RFC 3986's characters, with `%` only as a
/// `%XX` escape. openapi.yaml's `WebhookUrl` pattern says the same.
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
        if let at = hostPort.lastIndex(of: UInt8(ascii: "@")) {
            if let p = charactersProblem(hostPort[..<at], allowed: userinfoCharacters, part: "user info") { return p }
            hostPort = hostPort[(at + 1)...]
        }
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
        if let p = hostProblem(host) { return p }
        return charactersProblem(rest[authorityEnd...], allowed: afterAuthorityCharacters, part: "path, query or fragment")
    }

    /// RFC 3986 §2.3 unreserved and §2.2 sub-delims, plus `%` (checked as an escape).
    private static let baseCharacters = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=%".utf8))
    private static let userinfoCharacters = baseCharacters.union([UInt8(ascii: ":")])
    /// pchar (§3.3) plus the delimiters of path, query and fragment.
    private static let afterAuthorityCharacters = baseCharacters.union(Array(":@/?#".utf8))

    private static func charactersProblem(_ bytes: ArraySlice<UInt8>, allowed: Set<UInt8>, part: String) -> String? {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            guard allowed.contains(byte) else { return "has a character not allowed in its \(part)" }
            if byte == UInt8(ascii: "%") {
                guard i + 2 < bytes.endIndex, bytes[i + 1].isHexDigit, bytes[i + 2].isHexDigit
                else { return "has a % that does not start a %XX escape" }
                i += 3
                continue
            }
            i += 1
        }
        return nil
    }

    /// A bracketed IPv6 literal, or dot-separated labels of letters, digits, hyphens and
    /// underscores (an IPv4 address is such a name), with at most one trailing dot.
    private static func hostProblem(_ host: ArraySlice<UInt8>) -> String? {
        if host.first == UInt8(ascii: "[") {
            let inner = String(decoding: host.dropFirst().dropLast(), as: UTF8.self)
            return inner.contains(":") && IPAddress(inner) != nil ? nil : "has an invalid IPv6 literal"
        }
        var labels = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if labels.count > 1, labels.last?.isEmpty == true { labels.removeLast() }
        let valid = labels.allSatisfy { label in
            !label.isEmpty && label.allSatisfy { $0.isLetterOrDigit || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
        }
        return valid ? nil : "has an invalid host"
    }

    private static func portProblem(_ digits: ArraySlice<UInt8>) -> String? {
        guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let port = Int(String(decoding: digits, as: UTF8.self)), port >= 1, port <= 65535
        else { return "has an invalid port" }
        return nil
    }
}

private extension UInt8 {
    var isHexDigit: Bool { (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self) }
    var isLetterOrDigit: Bool { (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
}
