import MailgateIO

/// Which IP addresses webhook requests may connect to (WEBHOOKS.md, "Outbound address
/// policy"): checked on the address curl is about to connect to (CURLOPT_OPENSOCKETFUNCTION),
/// after DNS, so a name that resolves to a denied address cannot reach it. An address is
/// permitted when the allow list is empty or holds it, and the deny list does not (deny wins).
/// An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is the IPv4 address it carries (IPAddress).
public struct AddressPolicy: Sendable, Equatable {
    public var allow: [CIDR]
    public var deny: [CIDR]

    public init(allow: [CIDR] = [], deny: [CIDR] = []) {
        self.allow = allow
        self.deny = deny
    }

    /// Permits every address (the default: subscribers are the operator's own services).
    public var permitsAll: Bool { allow.isEmpty && deny.isEmpty }

    /// Whether a connection to `address` is permitted.
    public func permits(_ address: IPAddress) -> Bool {
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

/// An IPv4 or IPv6 network. Parsing and the mapped-IPv4 rule are IPAddress's (MailgateIO),
/// so a network and the addresses checked against it are read the same way.
public struct CIDR: Sendable, Equatable, CustomStringConvertible {
    /// The network address, host bits cleared.
    public let network: IPAddress
    public let prefixLength: Int

    public struct ParseError: Error, Equatable {
        public let entry: String
        public var message: String { "\"\(entry)\" is not an IP address or CIDR (like 10.0.0.0/8 or fd00::/8)" }
    }

    public init(parsing text: String) throws(ParseError) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { throw ParseError(entry: text) }
        // Bits as written: 128 for IPv6 text, even when IPAddress read it as a mapped IPv4.
        let writtenBits = parts[0].contains(":") ? 128 : 32
        var length = writtenBits
        if parts.count == 2 {
            guard parts[1].allSatisfy(\.isASCII), let n = Int(parts[1]), (0...writtenBits).contains(n) else {
                throw ParseError(entry: text)
            }
            length = n
        }
        // A mapped network (::ffff:192.0.2.0/120) is the IPv4 network it carries.
        let bits = address.bytes.count * 8
        length -= writtenBits - bits
        guard length >= 0, let network = IPAddress(bytes: Self.masked(address.bytes, length)) else {
            throw ParseError(entry: text)
        }
        self.network = network
        prefixLength = length
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.family == network.family && Self.masked(address.bytes, prefixLength) == network.bytes
    }

    public var description: String { "\(network)/\(prefixLength)" }

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
