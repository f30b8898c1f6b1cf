/// The HTTP version of a request line (RFC 9112 §2.3): 1.0 or 1.1 (a higher 1.x minor is
/// reported as 1.1, RFC 9110 §2.5; other majors are refused with 505).
public struct HTTPVersion: Sendable, Equatable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public init(major: Int, minor: Int) { self.major = major; self.minor = minor }
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)
    public var description: String { "HTTP/\(major).\(minor)" }
}

/// One parsed request. Everything is decoded and owned; nothing points into the read buffer.
public struct HTTPRequest: Sendable {
    /// The method token, case-sensitive as sent (RFC 9110 §9.1).
    public var method: String
    /// The request-target exactly as sent (RFC 9112 §3.2).
    public var target: String
    /// The percent-decoded path (`*` for an asterisk-form OPTIONS). Dot-segments are kept and
    /// `%2F` decodes to `/` (the router then sees it as a separator).
    public var path: String
    /// Query parameters in order, percent-decoded with `+` as a space.
    public var query: [(name: String, value: String)]
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// The body after transfer decoding (chunk framing removed, trailers dropped).
    public var body: [UInt8]
    /// Whether the connection may carry another request after this one (RFC 9112 §9.3).
    public var keepAlive: Bool

    public init(method: String, target: String, path: String, query: [(name: String, value: String)] = [],
                version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
                keepAlive: Bool = true) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
        self.keepAlive = keepAlive
    }

    public var isHEAD: Bool { method == "HEAD" }

    /// The first value of query parameter `name` (case-sensitive), or nil.
    public func queryValue(_ name: String) -> String? {
        for item in query where item.name == name { return item.value }
        return nil
    }

    /// Every value of query parameter `name`, in order.
    public func queryValues(_ name: String) -> [String] {
        query.compactMap { $0.name == name ? $0.value : nil }
    }
}
