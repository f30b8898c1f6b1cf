/// Per-listener limits and socket tuning, a value type (swift-nio style).
public struct ConnectionLimits: Sendable {
    /// Why a connection was turned away; the raw values are metric labels.
    public enum Refusal: String, Sendable {
        /// `maxConnections` open on the listener.
        case tooManyConnections = "too_many_connections"
        /// `maxConnectionsPerIP` open from the client's address.
        case tooManyFromAddress = "too_many_connections_per_ip"
    }

    /// Open connections on this listener across all loops; more are rejected.
    public var maxConnections: Int
    /// Open connections from one client IP address across all loops; 0 means no per-IP limit.
    public var maxConnectionsPerIP: Int
    /// Written best-effort to a rejected client before closing (e.g. the SMTP 421 of
    /// RFC 5321 §3.8, or an HTTP 503 response). Empty: close silently.
    public var rejection: [UInt8]
    /// listen(2) backlog of each loop's socket.
    public var backlog: Int32
    /// Buffered output above which the connection stops reading (backpressure).
    public var writeHighWaterMark: Int
    /// Buffered output at or below which reading resumes.
    public var writeLowWaterMark: Int
    /// Bound on `close()`: flushing buffered output plus waiting for the peer's FIN.
    /// When it passes the connection is aborted.
    public var closeTimeoutMilliseconds: Int
    /// Told of each refused connection, on the accepting loop's thread (for metrics).
    public var onRefusal: (@Sendable (Refusal) -> Void)?

    public init(maxConnections: Int = 10_000,
                maxConnectionsPerIP: Int = 0,
                rejection: [UInt8] = Array("421 4.7.0 Error: too many connections\r\n".utf8),
                backlog: Int32 = 1024,
                writeHighWaterMark: Int = 1 << 20,
                writeLowWaterMark: Int = 256 << 10,
                closeTimeoutMilliseconds: Int = 10_000,
                onRefusal: (@Sendable (Refusal) -> Void)? = nil) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerIP = maxConnectionsPerIP
        self.rejection = rejection
        self.backlog = backlog
        self.writeHighWaterMark = writeHighWaterMark
        self.writeLowWaterMark = writeLowWaterMark
        self.closeTimeoutMilliseconds = closeTimeoutMilliseconds
        self.onRefusal = onRefusal
    }
}
