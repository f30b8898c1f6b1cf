import MailgateHTTP
import MailgateIO

/// One routed request as a handler sees it.
struct APIRequest {
    let http: HTTPRequest
    let parameters: RouteParameters
    /// This loop thread's resources (its read connection).
    let context: LoopContext
    /// For handlers that answer after a store write: call it once, from any thread.
    let respond: ResponseSink
    /// Where a handler logs what it does not show the client (the cause of a 500).
    let logger: Logger
}

/// What a handler answers.
enum APIResult {
    /// A complete response.
    case response(HTTPResponse)
    /// A response whose body is pulled piece by piece as the socket drains (`Content-Length` is set
    /// by the handler in `head.headers`; the body of `head` is ignored).
    case stream(head: HTTPResponse, length: Int, source: any BodySource)
    /// A Server-Sent Events stream (`GET /api/v1/events`).
    case events
    /// The handler will call `request.respond` later (after a store write commits).
    case pending
}

/// Pulls a long body in pieces (a raw message read from its blob in chunks), so a 25 MiB message
/// is never copied whole into memory.
protocol BodySource: AnyObject {
    /// The next piece, or nil at the end (or on a read error: the connection is then closed,
    /// which the client sees as a short body).
    func next(maxBytes: Int) -> [UInt8]?
}

typealias APIHandler = @Sendable (APIRequest) -> APIResult

/// Delivers a deferred response to its connection on its loop thread.
struct ResponseSink: Sendable {
    let deliver: @Sendable (HTTPResponse) -> Void
    /// Runs `body` on the connection's loop thread and carries out the result it returns, as if
    /// the handler had returned it (for handlers that read after a store write).
    let resume: @Sendable (_ body: @escaping () -> APIResult) -> Void
    func callAsFunction(_ response: HTTPResponse) { deliver(response) }
}
