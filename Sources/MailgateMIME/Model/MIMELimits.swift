/// Bounds that keep parsing linear and memory-bounded whatever the input (swift-nio style: limits
/// are a value type). Exceeding one never fails the message; the rest is kept opaque or skipped.
public struct MIMELimits: Sendable {
    /// Multipart and message/rfc822 nesting deeper than this is kept as one opaque part.
    public var maxDepth = 32
    /// Parts beyond this many are not listed.
    public var maxParts = 1000
    /// Top-level header fields beyond this many are not kept (the body is still found).
    public var maxHeaderCount = 1000
    /// Addresses kept per address header.
    public var maxAddresses = 1000

    public init(maxDepth: Int = 32, maxParts: Int = 1000, maxHeaderCount: Int = 1000, maxAddresses: Int = 1000) {
        self.maxDepth = maxDepth
        self.maxParts = maxParts
        self.maxHeaderCount = maxHeaderCount
        self.maxAddresses = maxAddresses
    }
}
