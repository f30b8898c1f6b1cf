/// Size limits of the request parser (a value type, as in swift-nio's decoders).
/// Exceeding one ends the request with the status named beside it; the caller closes.
public struct HTTPLimits: Sendable, Equatable {
    /// Longest request line, CRLF excluded → 414 (RFC 9112 §3: servers SHOULD handle 8000 octets).
    public var maxRequestLine: Int
    /// Longest header section (the field lines and the empty line after them) → 431 (RFC 6585 §5).
    /// Chunked trailers get their own budget of the same size.
    public var maxHeaderBytes: Int
    /// Most field lines in the header section (or in the trailer section) → 431.
    public var maxHeaderCount: Int
    /// Largest request body, by Content-Length or by the sum of chunk sizes → 413.
    public var maxBody: Int
    /// Longest chunk-size line including chunk extensions, CRLF excluded → 400.
    public var maxChunkLine: Int

    public init(maxRequestLine: Int = 8192, maxHeaderBytes: Int = 32768, maxHeaderCount: Int = 100,
                maxBody: Int = 1 << 20, maxChunkLine: Int = 4096) {
        self.maxRequestLine = maxRequestLine
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBody = maxBody
        self.maxChunkLine = maxChunkLine
    }
}
