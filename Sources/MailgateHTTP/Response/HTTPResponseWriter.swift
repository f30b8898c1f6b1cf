/// Serializes responses to bytes (RFC 9112 §4, §6). Pure: the caller writes the bytes.
public enum HTTPResponseWriter {
    /// How the content after the head is delimited (RFC 9112 §6.3).
    public enum BodyFraming: Sendable, Equatable {
        /// `Content-Length: n`; the next n bytes are the content.
        case contentLength(Int)
        /// `Transfer-Encoding: chunked`; follow with `chunk(_:)`s and `lastChunk`. HTTP/1.1 only.
        case chunked
        /// No length: the content ends when the connection closes (forces `Connection: close`).
        /// The way to stream to an HTTP/1.0 client, which does not know chunked (RFC 9112 §6.1).
        case closeDelimited

        /// The framing for a streamed body to a client of `version`.
        public static func streaming(for version: HTTPVersion) -> BodyFraming {
            version == .http1_1 ? .chunked : .closeDelimited
        }
    }

    /// The interim response for `Expect: 100-continue` (RFC 9110 §15.2.1).
    public static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Head and body in one buffer, sized exactly so that it is allocated once. A HEAD response
    /// gets the GET response's headers, Content-Length included, and no content (RFC 9110 §9.3.2).
    /// 1xx/204/304 get neither content nor Content-Length.
    public static func serialize(_ response: HTTPResponse, isHEAD: Bool, keepAlive: Bool, date: String,
                                 isHTTP10: Bool = false) -> [UInt8] {
        let bodyless = HTTPStatus.isBodyless(response.status)
        let content = bodyless || isHEAD ? 0 : response.body.count
        let head = Head(status: response.status, headers: response.headers,
                        framing: .contentLength(response.body.count), keepAlive: keepAlive,
                        date: date, isHTTP10: isHTTP10)
        var out: [UInt8] = []
        out.reserveCapacity(head.size + content)
        head.write(into: &out)
        if content > 0 { out.append(contentsOf: response.body) }
        return out
    }

    /// `serialize` for the request being answered; `keepAlive` defaults to the request's.
    public static func serialize(_ response: HTTPResponse, for request: HTTPRequest, keepAlive: Bool? = nil,
                                 date: String) -> [UInt8] {
        serialize(response, isHEAD: request.isHEAD, keepAlive: keepAlive ?? request.keepAlive, date: date,
                  isHTTP10: request.version == .http1_0)
    }

    /// Only the head, for a body the caller streams afterwards with the given framing.
    public static func head(status: Int, headers: HTTPHeaders, framing: BodyFraming, keepAlive: Bool,
                            date: String, isHTTP10: Bool = false) -> [UInt8] {
        let head = Head(status: status, headers: headers, framing: framing, keepAlive: keepAlive,
                        date: date, isHTTP10: isHTTP10)
        var out: [UInt8] = []
        out.reserveCapacity(head.size)
        head.write(into: &out)
        return out
    }

    /// One chunk: `hex-size CRLF data CRLF` (RFC 9112 §7.1). Empty data gives no bytes, since
    /// a zero-size chunk would end the body.
    public static func chunk<C: Collection>(_ data: C) -> [UInt8] where C.Element == UInt8 {
        guard !data.isEmpty else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 20)
        ASCII.appendHex(data.count, to: &out)
        out.append(contentsOf: [HTTPSyntax.cr, HTTPSyntax.lf])
        out.append(contentsOf: data)
        out.append(contentsOf: [HTTPSyntax.cr, HTTPSyntax.lf])
        return out
    }

    /// last-chunk with an empty trailer section: `0 CRLF CRLF`.
    public static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
}
