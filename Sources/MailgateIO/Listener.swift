/// What `EventLoopGroup.listen` reports: the address actually bound (port 0 resolved).
public struct ListenerInfo: Sendable, CustomStringConvertible {
    public let address: SocketAddress
    public var port: Int { address.port }
    public var description: String { address.description }
}

/// A listening address shared by every loop's socket: limits, counts and the handler factory.
final class Listener: Sendable {
    let limits: ConnectionLimits
    let limiter: ConnectionLimiter
    let makeHandler: @Sendable (Connection) -> any ConnectionHandler
    let localPort: UInt16

    init(limits: ConnectionLimits, localPort: Int,
         makeHandler: @escaping @Sendable (Connection) -> any ConnectionHandler) {
        self.limits = limits
        self.limiter = ConnectionLimiter(maxTotal: limits.maxConnections, maxPerIP: limits.maxConnectionsPerIP)
        self.makeHandler = makeHandler
        self.localPort = UInt16(truncatingIfNeeded: localPort)
    }
}
