import Testing
@testable import MailgateHTTP

@Suite("Response writer, byte for byte")
struct ResponseWriterTests {
    let date = "Sat, 28 Nov 2026 12:00:00 GMT"

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func okWithBody() {
        let response = HTTPResponse(status: 200, contentType: "text/plain", body: "ok\n")
        let bytes = HTTPResponseWriter.serialize(response, isHEAD: false, keepAlive: true, date: date)
        #expect(text(bytes) == "HTTP/1.1 200 OK\r\nDate: \(date)\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n")
        #expect(bytes.capacity >= bytes.count)
    }

    @Test func headHasGETHeadersAndNoBody() {
        let response = HTTPResponse(status: 200, contentType: "application/json", body: "{\"a\":1}")
        let bytes = HTTPResponseWriter.serialize(response, isHEAD: true, keepAlive: true, date: date)
        #expect(text(bytes) == "HTTP/1.1 200 OK\r\nDate: \(date)\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n")
    }

    @Test func noContentHasNoLengthAndNoBody() {
        let bytes = HTTPResponseWriter.serialize(HTTPResponse(status: 204, body: [1, 2]), isHEAD: false, keepAlive: true, date: date)
        #expect(text(bytes) == "HTTP/1.1 204 No Content\r\nDate: \(date)\r\n\r\n")
        let notModified = HTTPResponse(status: 304, headers: ["ETag": "\"x\""])
        #expect(text(HTTPResponseWriter.serialize(notModified, isHEAD: false, keepAlive: false, date: date))
            == "HTTP/1.1 304 Not Modified\r\nDate: \(date)\r\nETag: \"x\"\r\nConnection: close\r\n\r\n")
    }

    @Test func emptyBodyStillHasContentLength() {
        let bytes = HTTPResponseWriter.serialize(HTTPResponse(status: 202), isHEAD: false, keepAlive: true, date: date)
        #expect(text(bytes) == "HTTP/1.1 202 Accepted\r\nDate: \(date)\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func closeAndHTTP10KeepAlive() {
        let response = HTTPResponse(status: 404, body: Array("x".utf8))
        #expect(text(HTTPResponseWriter.serialize(response, isHEAD: false, keepAlive: false, date: date))
            == "HTTP/1.1 404 Not Found\r\nDate: \(date)\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx")
        #expect(text(HTTPResponseWriter.serialize(response, isHEAD: false, keepAlive: true, date: date, isHTTP10: true))
            == "HTTP/1.1 404 Not Found\r\nDate: \(date)\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\nx")
    }

    @Test func serializeForRequestUsesItsMethodVersionAndKeepAlive() {
        let request = HTTPRequest(method: "HEAD", target: "/", path: "/", version: .http1_0, keepAlive: false)
        let bytes = HTTPResponseWriter.serialize(HTTPResponse(body: [0x41]), for: request, date: date)
        #expect(text(bytes) == "HTTP/1.1 200 OK\r\nDate: \(date)\r\nContent-Length: 1\r\nConnection: close\r\n\r\n")
    }

    @Test func writerOwnsFramingHeadersAndNeutralisesInjection() {
        let headers: HTTPHeaders = ["content-length": "99", "Transfer-Encoding": "gzip", "Connection": "upgrade",
                                    "date": "yesterday", "Bad Name": "v", "X-Name": "a\r\nSet-Cookie: evil\u{0}"]
        let bytes = HTTPResponseWriter.serialize(HTTPResponse(status: 200, headers: headers), isHEAD: false, keepAlive: true, date: date)
        #expect(text(bytes) == "HTTP/1.1 200 OK\r\nDate: \(date)\r\nX-Name: a  Set-Cookie: evil \r\nContent-Length: 0\r\n\r\n")
    }

    @Test func unknownAndInvalidStatuses() {
        #expect(text(HTTPResponseWriter.serialize(HTTPResponse(status: 599), isHEAD: false, keepAlive: true, date: date))
            == "HTTP/1.1 599 \r\nDate: \(date)\r\nContent-Length: 0\r\n\r\n")
        #expect(text(HTTPResponseWriter.serialize(HTTPResponse(status: 42), isHEAD: false, keepAlive: true, date: date))
            == "HTTP/1.1 500 Internal Server Error\r\nDate: \(date)\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func chunkedStream() {
        let head = HTTPResponseWriter.head(status: 200, headers: ["Content-Type": "text/event-stream"], framing: .chunked,
                                           keepAlive: true, date: date)
        #expect(text(head) == "HTTP/1.1 200 OK\r\nDate: \(date)\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(text(HTTPResponseWriter.chunk(Array("hello".utf8))) == "5\r\nhello\r\n")
        #expect(text(HTTPResponseWriter.chunk([UInt8](repeating: 0x61, count: 300))) == "12c\r\n" + String(repeating: "a", count: 300) + "\r\n")
        #expect(HTTPResponseWriter.chunk([UInt8]()).isEmpty)
        #expect(text(HTTPResponseWriter.lastChunk) == "0\r\n\r\n")
    }

    @Test func closeDelimitedStreamForHTTP10() {
        #expect(HTTPResponseWriter.BodyFraming.streaming(for: .http1_0) == .closeDelimited)
        #expect(HTTPResponseWriter.BodyFraming.streaming(for: .http1_1) == .chunked)
        let head = HTTPResponseWriter.head(status: 200, headers: HTTPHeaders(), framing: .closeDelimited, keepAlive: true,
                                           date: date, isHTTP10: true)
        #expect(text(head) == "HTTP/1.1 200 OK\r\nDate: \(date)\r\nConnection: close\r\n\r\n")
    }

    @Test func chunkedOutputParsesBack() {
        var bytes = Array("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        bytes += HTTPResponseWriter.chunk(Array("abc".utf8)) + HTTPResponseWriter.chunk(Array(repeating: 0x7A, count: 17))
        bytes += HTTPResponseWriter.lastChunk
        let events = Drive([bytes]).events
        #expect(events == [.request(Parsed(method: "POST", headers: ["Host: x", "Transfer-Encoding: chunked"],
                                           body: "abc" + String(repeating: "z", count: 17)))])
    }

    @Test func dateCacheRendersOncePerSecond() {
        var cache = HTTPDateCache()
        let first = cache.current(nowMilliseconds: 1_795_867_200_123)
        #expect(first == "Sat, 28 Nov 2026 12:00:00 GMT")
        #expect(cache.current(nowMilliseconds: 1_795_867_200_999) == first)
        #expect(cache.current(nowMilliseconds: 1_795_867_201_000) == "Sat, 28 Nov 2026 12:00:01 GMT")
    }
}
