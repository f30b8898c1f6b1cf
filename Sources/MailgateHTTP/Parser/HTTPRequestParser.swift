import Glibc

/// An incremental HTTP/1.1 request parser (RFC 9112) that never touches a socket.
///
/// Contract (as in picohttpparser):
/// - Pass everything buffered for this connection, starting at the first byte of the next
///   request. The parser keeps offsets into that buffer between calls.
/// - `.needMore` / `.sendContinue`: when more bytes arrive, call again with a buffer that starts
///   at the SAME byte and holds the old bytes plus the new tail. Only the tail is scanned again,
///   so a client dripping one byte at a time costs O(total bytes), not O(n²).
/// - `.request(r, consumed: n)`: drop the first `n` bytes; the parser has reset itself, and the
///   remaining bytes (a pipelined request, RFC 9112 §9.3.2) are the start of the next buffer.
/// - `.error`: send the status and close. Further calls return the same error until `reset()`.
///
/// The parser allocates per request (strings, header array, body), never per byte.
/// Strictness choices: lines must end in CRLF (a bare LF or bare CR → 400, RFC 9112 §2.2);
/// obs-fold → 400 (§5.2); whitespace before a field colon → 400 (§5.1); an HTTP/1.1 request
/// needs exactly one Host (§3.2); up to 4 empty lines before a request line are skipped (§2.2).
public struct HTTPRequestParser: Sendable {
    public let limits: HTTPLimits

    enum Phase: Sendable, Equatable {
        case requestLine, headerFields, fixedBody, chunkSize, chunkData, chunkDataEnd, trailerFields, failed
    }

    var phase: Phase = .requestLine
    /// First byte not yet parsed: the start of the current line or of unread body bytes.
    var position = 0
    /// Where the search for the next LF resumes; bytes in [position, scanFrom) hold no LF.
    var scanFrom = 0
    /// Start of the header section (after the request line), or of the trailer section.
    var sectionStart = 0
    var sectionFieldCount = 0

    var method = ""
    var target = ""
    var path = ""
    var query: [(name: String, value: String)] = []
    var version = HTTPVersion.http1_1
    var fields: [(name: String, value: String)] = []
    var framing = Framing()

    var bodyStart = 0
    var body: [UInt8] = []
    var chunkRemaining = 0
    var continueSent = false
    var failure: (status: Int, message: String) = (0, "")

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// True while body bytes (or chunk framing, or trailers) are awaited: the caller's 408
    /// timer for a stalled body applies.
    public var isReadingBody: Bool {
        switch phase {
        case .fixedBody, .chunkSize, .chunkData, .chunkDataEnd, .trailerFields: return true
        case .requestLine, .headerFields, .failed: return false
        }
    }

    /// True while a request line or header section is partly received: the caller's 408 timer
    /// for a slow header applies (an idle keep-alive connection reports false).
    public var isReadingHead: Bool {
        switch phase {
        case .requestLine: return scanFrom > 0
        case .headerFields: return true
        default: return false
        }
    }

    /// True when some bytes of a request have been seen but the request is not complete.
    public var hasPartialRequest: Bool { isReadingHead || isReadingBody }

    /// Forgets all state; the next `parse` starts a new request at its buffer's first byte.
    public mutating func reset() {
        phase = .requestLine
        position = 0
        scanFrom = 0
        sectionStart = 0
        sectionFieldCount = 0
        method = ""
        target = ""
        path = ""
        query = []
        version = .http1_1
        fields = []
        framing = Framing()
        bodyStart = 0
        body = []
        chunkRemaining = 0
        continueSent = false
        failure = (0, "")
    }

    /// Parses as far as `buffer` allows. See the type's contract.
    public mutating func parse(_ buffer: UnsafeRawBufferPointer) -> HTTPParseResult {
        if phase == .failed { return .error(status: failure.status, message: failure.message) }
        guard buffer.count >= scanFrom, buffer.count >= position else {
            return fail(500, "parser called with a buffer shorter than before")
        }
        while true {
            let step: Step
            switch phase {
            case .requestLine: step = parseRequestLine(buffer)
            case .headerFields: step = parseHeaderField(buffer)
            case .fixedBody: step = parseFixedBody(buffer)
            case .chunkSize: step = parseChunkSize(buffer)
            case .chunkData: step = parseChunkData(buffer)
            case .chunkDataEnd: step = parseChunkDataEnd(buffer)
            case .trailerFields: step = parseTrailerField(buffer)
            case .failed: return .error(status: failure.status, message: failure.message)
            }
            switch step {
            case .next: continue
            case .needMore:
                if isReadingBody, framing.expectContinue, !continueSent {
                    continueSent = true
                    return .sendContinue
                }
                return .needMore
            case .failed: return .error(status: failure.status, message: failure.message)
            case .complete:
                let consumed = position
                return .request(finishRequest(), consumed: consumed)
            }
        }
    }

    /// The outcome of one step of the state machine.
    enum Step { case next, needMore, failed, complete }

    mutating func fail(_ status: Int, _ message: String) -> HTTPParseResult {
        _ = failStep(status, message)
        return .error(status: status, message: message)
    }

    mutating func failStep(_ status: Int, _ message: String) -> Step {
        phase = .failed
        failure = (status, message)
        return .failed
    }

    /// Finds the LF ending the line that starts at `position`, scanning only bytes not scanned
    /// before. Returns the LF's offset, or nil when the line is still incomplete.
    mutating func findLineFeed(_ buffer: UnsafeRawBufferPointer) -> Int? {
        let from = max(scanFrom, position)
        guard from < buffer.count, let base = buffer.baseAddress else {
            scanFrom = max(scanFrom, buffer.count)
            return nil
        }
        guard let found = memchr(base + from, Int32(HTTPSyntax.lf), buffer.count - from) else {
            scanFrom = buffer.count
            return nil
        }
        let lf = base.distance(to: UnsafeRawPointer(found))
        scanFrom = lf + 1
        return lf
    }

    /// The end (exclusive, CR excluded) of the line whose LF is at `lf`, or nil for a bare LF.
    func lineEnd(_ buffer: UnsafeRawBufferPointer, lf: Int) -> Int? {
        guard lf > position, buffer[lf - 1] == HTTPSyntax.cr else { return nil }
        return lf - 1
    }

    /// Moves the request out of the parser and resets it for the next one.
    mutating func finishRequest() -> HTTPRequest {
        let request = HTTPRequest(method: method, target: target, path: path, query: query, version: version,
                                  headers: HTTPHeaders(fields), body: body, keepAlive: framing.keepAlive(version))
        reset()
        return request
    }
}
