import MailgateCore
import MailgateHTTP
import MailgateIO

/// One HTTP/1.1 connection on the reactor: feeds the pure parser, answers requests strictly in
/// order (pipelining, RFC 9112 §9.3.2), streams long bodies as the socket drains, and holds
/// Server-Sent Events streams. Lives on its loop thread.
final class HTTPConnectionHandler: ConnectionHandler {
    enum State {
        case reading
        /// A handler answers later (a store write); input stays buffered until then.
        case awaiting(HTTPRequest, route: String, started: UInt64)
        case streaming(any BodySource, remaining: Int, keepAlive: Bool)
        case events
        case closed
    }

    let services: HTTPServices
    let context: LoopContext
    private var parser: HTTPRequestParser
    /// Bytes received and not yet consumed by a complete request.
    private var buffer: [UInt8] = []
    private(set) var state = State.reading
    private var requestTimer: TimerHandle?
    private var idleTimer: TimerHandle?
    var heartbeat: TimerHandle?
    private var inputPaused = false

    /// Keep-alive connections with nothing in progress are closed after this (nginx's default).
    static let keepAliveTimeoutMilliseconds = 75_000
    static let streamPiece = 256 * 1024
    static let maxBufferedInput = 64 * 1024

    init(services: HTTPServices, context: LoopContext) {
        self.services = services
        self.context = context
        parser = HTTPRequestParser(limits: services.limits)
    }

    func connectionDidOpen(_ connection: Connection) {
        services.metrics.httpConnectionsOpen.increment()
        armIdleTimer(connection)
    }

    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer) {
        if case .events = state { return }  // an event stream does not read requests
        buffer.append(contentsOf: bytes)
        processInput(connection)
    }

    func connectionDidDrain(_ connection: Connection) {
        if case .streaming = state { pump(connection) }
    }

    func connectionDidClose(_ connection: Connection) {
        state = .closed
        requestTimer?.cancel()
        idleTimer?.cancel()
        heartbeat?.cancel()
        services.events.unsubscribe(connection)
        services.metrics.httpConnectionsOpen.decrement()
    }

    // MARK: Requests

    /// Parses and answers every complete request in the buffer, in order, while nothing is pending.
    private func processInput(_ connection: Connection) {
        while case .reading = state, connection.isOpen, !buffer.isEmpty {
            let result = buffer.withUnsafeBytes { parser.parse($0) }
            switch result {
            case .request(let request, let consumed):
                buffer.removeFirst(consumed)
                requestTimer?.cancel()
                requestTimer = nil
                handle(request, on: connection)
            case .needMore:
                armRequestTimer(connection)
                updateBackpressure(connection)
                return
            case .sendContinue:
                // RFC 9110 §10.1.1: the client waits for this before sending the body.
                connection.write(HTTPResponseWriter.continueResponse)
                armRequestTimer(connection)
                return
            case .error(let status, let message):
                // Framing errors close the connection: the next request's start is unknown
                // (request smuggling safety, API.md).
                finish(APIError.response(status: status, message: message), route: "malformed", request: nil,
                       keepAlive: false, started: Clock.monotonicNanoseconds(), on: connection)
                return
            }
        }
        if case .reading = state, buffer.isEmpty { armIdleTimer(connection) }
        updateBackpressure(connection)
    }

    private func handle(_ request: HTTPRequest, on connection: Connection) {
        let started = Clock.monotonicNanoseconds()
        idleTimer?.cancel()
        idleTimer = nil
        let (route, result) = services.dispatch(request, context: context, sink: sink(for: connection))
        apply(result, request: request, route: route, started: started, on: connection)
    }

    /// Carries out what a handler answered, now or when a deferred handler resumes.
    private func apply(_ result: APIResult, request: HTTPRequest, route: String, started: UInt64,
                       on connection: Connection) {
        switch result {
        case .response(let response):
            finish(response, route: route, request: request, keepAlive: request.keepAlive, started: started, on: connection)
        case .stream(let head, let length, let source):
            services.countRequest(route: route, status: head.status, started: started)
            var headers = head.headers
            headers.replaceOrAdd(name: "Content-Length", value: String(length))
            connection.write(HTTPResponseWriter.head(status: head.status, headers: headers, framing: .contentLength(length),
                                                     keepAlive: request.keepAlive, date: context.dateCache.current(),
                                                     isHTTP10: request.version == .http1_0))
            if request.isHEAD || length == 0 {
                afterResponse(keepAlive: request.keepAlive, on: connection)
            } else {
                state = .streaming(source, remaining: length, keepAlive: request.keepAlive)
                pump(connection)
            }
        case .events:
            services.countRequest(route: route, status: 200, started: started)
            startEvents(request, on: connection)
        case .pending:
            state = .awaiting(request, route: route, started: started)
        }
    }

    /// Writes a complete response and decides whether the connection goes on.
    private func finish(_ response: HTTPResponse, route: String, request: HTTPRequest?, keepAlive: Bool,
                        started: UInt64, on connection: Connection) {
        services.countRequest(route: route, status: response.status, started: started)
        let date = context.dateCache.current()
        if let request {
            connection.write(HTTPResponseWriter.serialize(response, for: request, keepAlive: keepAlive, date: date))
        } else {
            connection.write(HTTPResponseWriter.serialize(response, isHEAD: false, keepAlive: false, date: date))
        }
        afterResponse(keepAlive: keepAlive, on: connection)
    }

    private func afterResponse(keepAlive: Bool, on connection: Connection) {
        if keepAlive {
            state = .reading
            processInput(connection)
        } else {
            state = .closed
            connection.close()
        }
    }

    /// The sink a deferred handler answers through: hops back to this loop.
    private func sink(for connection: Connection) -> ResponseSink {
        let handler = LoopBound(self), conn = LoopBound(connection)
        let loop = connection.loop
        return ResponseSink(deliver: { response in
            _ = loop.execute { handler.value.completePending(response, on: conn.value) }
        }, resume: { body in
            let body = LoopBound(body)
            _ = loop.execute { handler.value.resumePending(body.value(), on: conn.value) }
        })
    }

    /// A deferred handler continues on this loop with a result of any kind.
    private func resumePending(_ result: APIResult, on connection: Connection) {
        guard case .awaiting(let request, let route, let started) = state, connection.isOpen else { return }
        state = .reading
        apply(result, request: request, route: route, started: started, on: connection)
    }

    private func completePending(_ response: HTTPResponse, on connection: Connection) {
        guard case .awaiting(let request, let route, let started) = state, connection.isOpen else { return }
        finish(response, route: route, request: request, keepAlive: request.keepAlive, started: started, on: connection)
    }

    // MARK: Streaming

    /// Writes the next pieces of a streamed body while the socket keeps up (the reactor calls
    /// `connectionDidDrain` when buffered output is gone).
    private func pump(_ connection: Connection) {
        while case .streaming(let source, let remaining, let keepAlive) = state, connection.isOpen {
            guard connection.pendingWriteCount < Self.streamPiece else { return }
            guard let piece = source.next(maxBytes: min(Self.streamPiece, remaining)), !piece.isEmpty,
                  piece.count <= remaining else {
                // The body ended early: the Content-Length cannot be honoured, so close.
                state = .closed
                connection.abort()
                return
            }
            connection.write(piece)
            let left = remaining - piece.count
            if left == 0 {
                afterResponse(keepAlive: keepAlive, on: connection)
            } else {
                state = .streaming(source, remaining: left, keepAlive: keepAlive)
            }
        }
    }

    func enterEventState() {
        state = .events
        requestTimer?.cancel()
        idleTimer?.cancel()
        requestTimer = nil
        idleTimer = nil
    }

    // MARK: Timers and backpressure

    /// RFC 9110 §15.5.9: a client too slow to send its request gets 408 and the connection closes.
    private func armRequestTimer(_ connection: Connection) {
        guard requestTimer == nil, parser.hasPartialRequest else { return }
        idleTimer?.cancel()
        idleTimer = nil
        requestTimer = connection.loop.schedule(after: Int(services.requestTimeoutMilliseconds)) { [unowned self, unowned connection] in
            requestTimer = nil
            guard case .reading = state, connection.isOpen else { return }
            finish(APIError.response(status: 408, message: "request not received in time"), route: "timeout",
                   request: nil, keepAlive: false, started: Clock.monotonicNanoseconds(), on: connection)
        }
    }

    private func armIdleTimer(_ connection: Connection) {
        if let idleTimer {
            idleTimer.reschedule(after: Self.keepAliveTimeoutMilliseconds)
            return
        }
        idleTimer = connection.loop.schedule(after: Self.keepAliveTimeoutMilliseconds) { [unowned self, unowned connection] in
            idleTimer = nil
            if case .reading = state, buffer.isEmpty { connection.close() }
        }
    }

    /// Stops reading while a response is pending and the client keeps pipelining.
    private func updateBackpressure(_ connection: Connection) {
        let busy: Bool
        if case .reading = state { busy = false } else { busy = true }
        let pause = busy && buffer.count > Self.maxBufferedInput
        if pause != inputPaused {
            inputPaused = pause
            if pause { connection.pauseReading() } else { connection.resumeReading() }
        }
    }
}
