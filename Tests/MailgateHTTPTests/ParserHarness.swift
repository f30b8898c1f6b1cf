@testable import MailgateHTTP

/// What a parse run produced, in a comparable form.
enum Event: Equatable, CustomStringConvertible {
    case request(Parsed)
    case error(Int)

    var description: String {
        switch self {
        case .request(let r): "request(\(r))"
        case .error(let s): "error(\(s))"
        }
    }
}

/// The comparable parts of an HTTPRequest.
struct Parsed: Equatable, CustomStringConvertible {
    var method: String
    var target: String
    var path: String
    var query: [String]
    var version: String
    var headers: [String]
    var body: String
    var keepAlive: Bool

    init(_ r: HTTPRequest) {
        method = r.method
        target = r.target
        path = r.path
        query = r.query.map { "\($0.name)=\($0.value)" }
        version = r.version.description
        headers = r.headers.fields.map { "\($0.name): \($0.value)" }
        body = String(decoding: r.body, as: UTF8.self)
        keepAlive = r.keepAlive
    }

    init(method: String = "GET", target: String = "/", path: String? = nil, query: [String] = [],
         version: String = "HTTP/1.1", headers: [String] = ["Host: x"], body: String = "", keepAlive: Bool = true) {
        self.method = method
        self.target = target
        self.path = path ?? target
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
        self.keepAlive = keepAlive
    }

    var description: String { "\(method) \(target) \(path) \(query) \(version) \(headers) \(body.debugDescription) ka=\(keepAlive)" }
}

/// Drives a parser as a connection would: bytes arrive in pieces, the buffer keeps its start
/// until a request completes, then the consumed bytes are dropped.
struct Drive {
    var events: [Event] = []
    var continues = 0
    /// Bytes left in the buffer after the last event.
    var leftover = 0
    var midHead = false
    var midBody = false

    init(_ pieces: [[UInt8]], limits: HTTPLimits = HTTPLimits()) {
        var parser = HTTPRequestParser(limits: limits)
        var buffer: [UInt8] = []
        feeding: for piece in pieces {
            buffer.append(contentsOf: piece)
            while true {
                let result = buffer.withUnsafeBytes { parser.parse($0) }
                switch result {
                case .request(let r, let consumed):
                    events.append(.request(Parsed(r)))
                    buffer.removeFirst(consumed)
                    if buffer.isEmpty { continue feeding }
                case .needMore:
                    continue feeding
                case .sendContinue:
                    continues += 1
                    continue feeding
                case .error(let status, _):
                    events.append(.error(status))
                    break feeding
                }
            }
        }
        leftover = buffer.count
        midHead = parser.isReadingHead
        midBody = parser.isReadingBody
    }

    /// The whole input at once.
    static func whole(_ text: String, limits: HTTPLimits = HTTPLimits()) -> Drive {
        Drive([Array(text.utf8)], limits: limits)
    }

    /// The events for the input fed whole, split at every position, and one byte at a time;
    /// returns nil (and the differing runs) unless they all agree.
    static func allWays(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> [Event]? {
        let reference = Drive([bytes], limits: limits).events
        for cut in 0...bytes.count {
            let split = Drive([Array(bytes[..<cut]), Array(bytes[cut...])], limits: limits).events
            if split != reference { return nil }
        }
        let drip = Drive(bytes.map { [$0] }, limits: limits).events
        return drip == reference ? reference : nil
    }

    static func allWays(_ text: String, limits: HTTPLimits = HTTPLimits()) -> [Event]? {
        allWays(Array(text.utf8), limits: limits)
    }
}
