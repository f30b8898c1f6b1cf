import MailgateCore
import MailgateHTTP
import MailgateIO

/// A route: its pattern (the metrics label) and its handler.
struct Route: Sendable {
    let pattern: String
    let handle: APIHandler
}

/// What every HTTP connection shares: the frozen route table, auth, limits, metrics, the event hub.
final class HTTPServices: Sendable {
    let router: Router<Route>
    let limits: HTTPLimits
    let requestTimeoutMilliseconds: Int64
    /// The bearer token as bytes, nil when auth is off.
    let apiToken: [UInt8]?
    let metricsNeedToken: Bool
    let metrics: GatewayMetrics
    let events: EventHub
    let logger: Logger

    init(routes: [(method: String, pattern: String, handler: APIHandler)], configuration: Configuration,
         metrics: GatewayMetrics, events: EventHub, logger: Logger) throws {
        router = try Router(routes: routes.map { (method: $0.method, pattern: $0.pattern, handler: Route(pattern: $0.pattern, handle: $0.handler)) })
        limits = HTTPLimits()
        requestTimeoutMilliseconds = configuration.httpTimeoutMilliseconds
        apiToken = configuration.apiToken.map { Array($0.utf8) }
        metricsNeedToken = configuration.metricsNeedToken
        self.metrics = metrics
        self.events = events
        self.logger = logger
    }

    /// Auth, then routing, then the handler. Returns the route label for metrics and the result.
    func dispatch(_ request: HTTPRequest, context: LoopContext, sink: ResponseSink) -> (String, APIResult) {
        if needsToken(request.path), !authorized(request) {
            return ("unauthorized", .response(APIError.unauthorized(tokenPresented: request.headers["Authorization"] != nil)))
        }
        switch router.match(method: request.method, path: request.path) {
        case .found(let route, let parameters):
            return (route.pattern, route.handle(APIRequest(http: request, parameters: parameters, context: context, respond: sink, logger: logger)))
        case .methodNotAllowed(let allow):
            return ("method_not_allowed", .response(APIError.methodNotAllowed(method: request.method, allow: allow)))
        case .notFound:
            return ("not_found", .response(APIError.notFound(path: request.path)))
        }
    }

    private func needsToken(_ path: String) -> Bool {
        guard apiToken != nil else { return false }
        return path.hasPrefix("/api/") || (metricsNeedToken && path == "/metrics")
    }

    /// `Authorization: Bearer <token>` (RFC 6750 §2.1), compared in constant time.
    private func authorized(_ request: HTTPRequest) -> Bool {
        guard let token = apiToken, let header = request.headers["Authorization"] else { return false }
        let scheme = header.prefix(7)
        guard scheme.lowercased() == "bearer " else { return false }
        let given = Array(header.dropFirst(7).utf8).drop { $0 == 0x20 }
        return Digest.constantTimeEqual(Array(given), token)
    }

    func countRequest(route: String, status: Int, started: UInt64) {
        metrics.httpRequests.increment(route + "\u{0}" + String(status))
        metrics.httpRequestSeconds.observe(Double(Clock.monotonicNanoseconds() &- started) / 1e9)
    }
}
