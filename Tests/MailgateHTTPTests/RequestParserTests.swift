import Testing
@testable import MailgateHTTP

@Suite("Request parser: valid requests, fed whole, split at every byte and byte by byte")
struct RequestParserTests {
    @Test func simpleGET() {
        let events = Drive.allWays("GET /api/v1/messages HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n")
        #expect(events == [.request(Parsed(target: "/api/v1/messages", headers: ["Host: x", "Accept: */*"]))])
    }

    @Test func headRequest() {
        let events = Drive.allWays("HEAD /livez HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(events == [.request(Parsed(method: "HEAD", target: "/livez"))])
    }

    @Test func postWithContentLength() {
        let events = Drive.allWays("POST /api/v1/webhooks HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n{\"url\":\"u\"}")
        #expect(events == [.request(Parsed(method: "POST", target: "/api/v1/webhooks",
                                           headers: ["Host: x", "Content-Length: 11"], body: "{\"url\":\"u\"}"))])
    }

    @Test func chunkedWithExtensionsAndTrailers() {
        let text = "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value;flag\r\nhello\r\n"
            + "6 ; q=\"a b\"\r\n world\r\n"
            + "A\r\n0123456789\r\n"
            + "0;last\r\nX-Checksum: abc\r\nX-Other: d\r\n\r\n"
        let events = Drive.allWays(text)
        #expect(events == [.request(Parsed(method: "POST", target: "/p",
                                           headers: ["Host: x", "Transfer-Encoding: chunked"],
                                           body: "hello world0123456789"))])
    }

    @Test func chunkedWithoutTrailersAndUppercaseHex() {
        let text = "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n1F\r\n"
            + String(repeating: "a", count: 31) + "\r\n000\r\n\r\n"
        let events = Drive.allWays(text)
        #expect(events == [.request(Parsed(method: "POST", target: "/p", headers: ["Host: x", "Transfer-Encoding: Chunked"],
                                           body: String(repeating: "a", count: 31)))])
    }

    @Test func threePipelinedRequests() {
        let text = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
            + "DELETE /c?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let events = Drive.allWays(text)
        #expect(events == [
            .request(Parsed(target: "/a")),
            .request(Parsed(method: "POST", target: "/b", headers: ["Host: x", "Content-Length: 3"], body: "abc")),
            .request(Parsed(method: "DELETE", target: "/c?x=1", path: "/c", query: ["x=1"],
                            headers: ["Host: x", "Connection: close"], keepAlive: false)),
        ])
    }

    @Test func consumedCountsExactlyOneRequest() throws {
        let first = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
        let bytes = Array((first + "GET /b HTTP/1.1\r\n").utf8)
        var parser = HTTPRequestParser()
        let result = bytes.withUnsafeBytes { parser.parse($0) }
        guard case .request(let request, let consumed) = result else {
            Issue.record("expected a request, got \(result)")
            return
        }
        #expect(request.path == "/a")
        #expect(consumed == first.utf8.count)
        #expect(!parser.hasPartialRequest)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: x\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false),
        ("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Close\r\n\r\n", false),
        ("GET / HTTP/1.0\r\n\r\n", false),
        ("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true),
        ("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", false),
    ])
    func keepAliveRules(text: String, keepAlive: Bool) throws {
        let events = try #require(Drive.allWays(text))
        guard case .request(let parsed) = try #require(events.first) else {
            Issue.record("expected a request, got \(events)")
            return
        }
        #expect(parsed.keepAlive == keepAlive)
    }

    @Test func http10NeedsNoHost() {
        #expect(Drive.allWays("GET /x HTTP/1.0\r\n\r\n") == [.request(Parsed(target: "/x", version: "HTTP/1.0", headers: [], keepAlive: false))])
    }

    @Test func higherMinorVersionIsServedAsHTTP11() {
        // RFC 9110 §2.5: process it as the highest minor version implemented.
        #expect(Drive.allWays("GET / HTTP/1.7\r\nHost: x\r\n\r\n") == [.request(Parsed())])
    }

    @Test func leadingEmptyLinesAreSkipped() {
        #expect(Drive.allWays("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n") == [.request(Parsed())])
    }

    @Test func headerValuesAreTrimmedAndKeepOrderAndCase() throws {
        let text = "GET / HTTP/1.1\r\nHost: x\r\nX-A:  one \t\r\nx-a:two\r\nX-Empty:\r\n\r\n"
        var parser = HTTPRequestParser()
        let bytes = Array(text.utf8)
        guard case .request(let r, _) = bytes.withUnsafeBytes({ parser.parse($0) }) else {
            Issue.record("expected a request")
            return
        }
        #expect(r.headers.fields.map(\.name) == ["Host", "X-A", "x-a", "X-Empty"])
        #expect(r.headers["x-A"] == "one")
        #expect(r.headers.values("X-A") == ["one", "two"])
        #expect(r.headers["x-empty"] == "")
        #expect(r.headers["missing"] == nil)
    }

    @Test func identicalDuplicateContentLengthsAreOne() {
        let text = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2, 2\r\n\r\nok"
        let events = Drive.allWays(text)
        #expect(events == [.request(Parsed(method: "POST", headers: ["Host: x", "Content-Length: 2", "Content-Length: 2, 2"], body: "ok"))])
    }

    @Test func absoluteFormAndAsteriskForm() {
        #expect(Drive.allWays("GET http://example.test:8080/a/b?c=d HTTP/1.1\r\nHost: x\r\n\r\n")
            == [.request(Parsed(target: "http://example.test:8080/a/b?c=d", path: "/a/b", query: ["c=d"]))])
        #expect(Drive.allWays("GET HTTPS://example.test HTTP/1.1\r\nHost: x\r\n\r\n")
            == [.request(Parsed(target: "HTTPS://example.test", path: "/"))])
        #expect(Drive.allWays("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")
            == [.request(Parsed(method: "OPTIONS", target: "*"))])
    }

    @Test func incompleteInputWaitsAndReportsWhereItIs() {
        let head = Drive.whole("GET / HTTP/1.1\r\nHost: x\r\n")
        #expect(head.events.isEmpty)
        #expect(head.midHead && !head.midBody)
        let body = Drive.whole("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab")
        #expect(body.events.isEmpty)
        #expect(!body.midHead && body.midBody)
        let idle = Drive.whole("")
        #expect(!idle.midHead && !idle.midBody)
    }
}

@Suite("Request parser: scan state")
struct ParserScanStateTests {
    /// A slow-drip client: after each byte the parser has scanned up to the end of the buffer
    /// and remembers it, so the next call looks only at the new byte.
    @Test func onlyTheNewTailIsScanned() {
        let bytes = Array("GET /a HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n".utf8)
        var parser = HTTPRequestParser()
        for end in 1..<bytes.count {
            let result = bytes[..<end].withUnsafeBytes { parser.parse($0) }
            guard case .needMore = result else {
                Issue.record("unexpected \(result) at \(end)")
                return
            }
            #expect(parser.scanFrom == end)
            #expect(parser.position <= end)
        }
        guard case .request(_, let consumed) = bytes.withUnsafeBytes({ parser.parse($0) }) else {
            Issue.record("expected a request")
            return
        }
        #expect(consumed == bytes.count)
    }

    @Test func shorterBufferBreaksTheContract() {
        var parser = HTTPRequestParser()
        let bytes = Array("GET /a HTTP/1.1\r\nHo".utf8)
        _ = bytes.withUnsafeBytes { parser.parse($0) }
        guard case .error(500, _) = bytes[..<5].withUnsafeBytes({ parser.parse($0) }) else {
            Issue.record("expected a contract error")
            return
        }
    }
}
