/// What `HTTPRequestParser.parse` found in the buffered bytes.
public enum HTTPParseResult: Sendable {
    /// A complete request; `consumed` bytes from the buffer start belong to it (pipelining: the
    /// next request starts right after them).
    case request(HTTPRequest, consumed: Int)
    /// The request is incomplete: call again with the same buffer start plus new bytes.
    case needMore
    /// Like `needMore`, but first write `HTTPResponseWriter.continueResponse` (the client sent
    /// `Expect: 100-continue` and the body has not arrived, RFC 9110 §10.1.1). Returned once.
    case sendContinue
    /// The request is unusable: answer with `status` (400, 413, 414, 431, 501 or 505) and close
    /// the connection, since the framing of what follows cannot be trusted (RFC 9112 §11.2).
    case error(status: Int, message: String)
}
