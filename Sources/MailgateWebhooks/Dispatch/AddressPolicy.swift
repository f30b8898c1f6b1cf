import Glibc

/// Which IP addresses webhook requests may connect to (WEBHOOKS.md, "Outbound address
/// policy"): checked on the address curl is about to connect to (CURLOPT_OPENSOCKETFUNCTION),
/// after DNS, so a name that resolves to a denied address cannot reach it. An address is
/// permitted when the allow list is empty or holds it, and the deny list does not (deny wins).
/// An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is checked as the IPv4 address it carries.
public struct AddressPolicy: Sendable, Equatable {
    public var allow: [CIDR]
    public var deny: [CIDR]

    public init(allow: [CIDR] = [], deny: [CIDR] = []) {
        self.allow = allow
        self.deny = deny
    }

    /// Permits every address (the default: subscribers are the operator's own services).
    public var permitsAll: Bool { allow.isEmpty && deny.isEmpty }

    /// Whether a connection to `address` (4 or 16 bytes) is permitted.
    public func permits(_ address: [UInt8]) -> Bool {
        let address = CIDR.unmapped(address)
        if !allow.isEmpty && !allow.contains(where: { $0.contains(address) }) { return false }
        return !deny.contains { $0.contains(address) }
    }

    /// Parses a comma-separated list of CIDRs (`10.0.0.0/8, fd00::/8, 192.0.2.7`); a bare
    /// address is one host. Throws the first entry that is not one.
    public static func parseList(_ text: String) throws(CIDR.ParseError) -> [CIDR] {
        var list: [CIDR] = []
        for entry in text.split(separator: ",") {
            let trimmed = entry.trimmingSpaces
            if !trimmed.isEmpty { list.append(try CIDR(parsing: trimmed)) }
        }
        return list
    }
}

/// An IPv4 or IPv6 network: address bytes and prefix length.
public struct CIDR: Sendable, Equatable, CustomStringConvertible {
    public let network: [UInt8]
    public let prefixLength: Int

    public struct ParseError: Error, Equatable {
        public let entry: String
        public var message: String { "\"\(entry)\" is not an IP address or CIDR (like 10.0.0.0/8 or fd00::/8)" }
    }

    public init(parsing text: String) throws(ParseError) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.address(String(parts[0])) else { throw ParseError(entry: text) }
        let bits = bytes.count * 8
        var length = bits
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...bits).contains(n), parts[1].allSatisfy(\.isASCII) else {
                throw ParseError(entry: text)
            }
            length = n
        }
        // A mapped IPv4 network is kept as IPv4, like the addresses it is compared with.
        if bytes.count == 16, Self.isMapped(bytes), length >= 96 {
            network = Self.masked(Array(bytes[12...]), length - 96)
            prefixLength = length - 96
        } else {
            network = Self.masked(bytes, length)
            prefixLength = length
        }
    }

    public func contains(_ address: [UInt8]) -> Bool {
        address.count == network.count && Self.masked(address, prefixLength) == network
    }

    public var description: String { "\(Self.text(of: network))/\(prefixLength)" }

    /// An address (4 or 16 bytes) in text form.
    static func text(of bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        bytes.withUnsafeBytes { raw in
            _ = inet_ntop(bytes.count == 4 ? AF_INET : AF_INET6, raw.baseAddress, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The bytes of an IPv4 or IPv6 address in text form.
    static func address(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    static func isMapped(_ bytes: [UInt8]) -> Bool {
        bytes.count == 16 && bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
    }

    /// `::ffff:a.b.c.d` as the 4 bytes of a.b.c.d; any other address as it is.
    static func unmapped(_ bytes: [UInt8]) -> [UInt8] { isMapped(bytes) ? Array(bytes[12...]) : bytes }

    static func masked(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { i, byte in
            let keep = max(0, min(8, length - i * 8))
            return keep == 8 ? byte : byte & ~(0xFF >> keep)
        }
    }
}

private extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
