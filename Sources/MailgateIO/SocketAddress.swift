import CLinux
import Glibc

/// An IPv4 or IPv6 address without a port: the key of the per-client connection limit.
/// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, seen on dual-stack listeners) are stored as IPv4,
/// so one client counts once whichever socket family accepted it.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Family: UInt8, Sendable { case v4, v6 }
    // The raw network-order bytes: in_addr in `low` for IPv4, in6_addr across both for IPv6.
    let high: UInt64
    let low: UInt64
    public let family: Family

    private init(high: UInt64, low: UInt64, family: Family) {
        self.high = high
        self.low = low
        self.family = family
    }

    public init(v4 addr: in_addr) {
        self.init(high: 0, low: UInt64(addr.s_addr), family: .v4)
    }

    public init(v6 addr: in6_addr) {
        var raw = addr
        let (h, l, mapped, v4) = withUnsafeBytes(of: &raw) {
            ($0.load(as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self),
             $0.load(fromByteOffset: 8, as: UInt32.self), $0.load(fromByteOffset: 12, as: UInt32.self))
        }
        // ::ffff:0:0/96 (RFC 4291 §2.5.5.2): bytes 0-9 zero, bytes 10-11 0xFF.
        if h == 0 && UInt32(bigEndian: mapped) == 0x0000_FFFF {
            self.init(v4: in_addr(s_addr: v4))
        } else {
            self.init(high: h, low: l, family: .v6)
        }
    }

    var inAddr: in_addr { in_addr(s_addr: UInt32(truncatingIfNeeded: low)) }

    var in6Addr: in6_addr {
        var addr = in6_addr()
        withUnsafeMutableBytes(of: &addr) {
            $0.storeBytes(of: high, as: UInt64.self)
            $0.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
        }
        return addr
    }

    /// Parses a literal: dotted IPv4 or IPv6 (without brackets).
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { self.init(v4: v4); return }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { self.init(v6: v6); return }
        return nil
    }

    /// The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
    public var bytes: [UInt8] {
        switch family {
        case .v4: var addr = inAddr; return withUnsafeBytes(of: &addr) { Array($0) }
        case .v6: var addr = in6Addr; return withUnsafeBytes(of: &addr) { Array($0) }
        }
    }

    /// The address of 4 or 16 network-order bytes (a mapped IPv4 one becomes IPv4).
    public init?(bytes: [UInt8]) {
        switch bytes.count {
        case 4:
            var addr = in_addr()
            withUnsafeMutableBytes(of: &addr) { $0.copyBytes(from: bytes) }
            self.init(v4: addr)
        case 16:
            var addr = in6_addr()
            withUnsafeMutableBytes(of: &addr) { $0.copyBytes(from: bytes) }
            self.init(v6: addr)
        default:
            return nil
        }
    }

    /// `127.0.0.1` or `::1` (inet_ntop).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch family {
        case .v4:
            var addr = inAddr
            _ = inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count))
        case .v6:
            var addr = in6Addr
            _ = inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An IP address and TCP port, parsed from `host:port` (`127.0.0.1:25`, `[::1]:0`, `*:2525`).
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    public let ip: IPAddress
    public let port: Int

    public init(ip: IPAddress, port: Int) {
        self.ip = ip
        self.port = port
    }

    /// Accepts `a.b.c.d:port`, `[v6]:port`, `localhost:port` (127.0.0.1) and `*:port` or `:port`
    /// (all IPv4 interfaces; use `[::]:port` for dual-stack). Port 0 asks the kernel for a free one.
    public init(parsing text: String) throws(AddressError) {
        guard let colon = text.lastIndex(of: ":"),
              let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { throw AddressError(text: text) }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") && host.count >= 2 {
            host = String(host.dropFirst().dropLast())
            guard host.contains(":") else { throw AddressError(text: text) }
        } else if host.contains(":") {
            throw AddressError(text: text)  // IPv6 needs brackets: "[::1]:25"
        }
        switch host {
        case "", "*": host = "0.0.0.0"
        case "localhost": host = "127.0.0.1"
        default: break
        }
        guard let ip = IPAddress(host) else { throw AddressError(text: text) }
        self.init(ip: ip, port: port)
    }

    init(storage: sockaddr_storage) {
        var copy = storage
        if Int32(storage.ss_family) == AF_INET6 {
            let sin6 = withUnsafeBytes(of: &copy) { $0.load(as: sockaddr_in6.self) }
            self.init(ip: IPAddress(v6: sin6.sin6_addr), port: Int(UInt16(bigEndian: sin6.sin6_port)))
        } else {
            let sin = withUnsafeBytes(of: &copy) { $0.load(as: sockaddr_in.self) }
            self.init(ip: IPAddress(v4: sin.sin_addr), port: Int(UInt16(bigEndian: sin.sin_port)))
        }
    }

    /// The sockaddr to pass to bind/connect.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        switch ip.family {
        case .v4:
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = UInt16(port).bigEndian
            sin.sin_addr = ip.inAddr
            return withUnsafePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .v6:
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = UInt16(port).bigEndian
            sin6.sin6_addr = ip.in6Addr
            return withUnsafePointer(to: &sin6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }

    /// `127.0.0.1:25` or `[::1]:25`.
    public var description: String {
        ip.family == .v6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
