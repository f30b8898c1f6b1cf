import Testing
@testable import MailgateHTTP

@Suite("Expect: 100-continue")
struct ExpectContinueTests {
    let head = "POST /api/v1/webhooks HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 4\r\n\r\n"

    @Test func continueIsRequestedOnceWhenTheBodyIsMissing() {
        let run = Drive([Array(head.utf8), Array("ab".utf8), Array("cd".utf8)])
        #expect(run.continues == 1)
        #expect(run.events == [.request(Parsed(method: "POST", target: "/api/v1/webhooks",
                                               headers: ["Host: x", "Expect: 100-Continue", "Content-Length: 4"], body: "abcd"))])
    }

    @Test func noContinueWhenTheBodyIsAlreadyThere() {
        let run = Drive([Array((head + "abcd").utf8)])
        #expect(run.continues == 0)
        #expect(run.events.count == 1)
    }

    @Test func chunkedBodyAlsoGetsContinue() {
        let text = "PUT /p HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n"
        let run = Drive([Array(text.utf8), Array("1\r\na\r\n0\r\n\r\n".utf8)])
        #expect(run.continues == 1)
        #expect(run.events.count == 1)
    }

    @Test func http10AndEmptyBodiesIgnoreTheExpectation() {
        let old = Drive([Array("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n".utf8), [0x41]])
        #expect(old.continues == 0)
        #expect(old.events.count == 1)
        let empty = Drive([Array("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n".utf8)])
        #expect(empty.continues == 0)
        #expect(empty.events.count == 1)
    }

    @Test func continueBytes() {
        #expect(HTTPResponseWriter.continueResponse == Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
    }
}

@Suite("Request target: percent-decoding and query parameters")
struct RequestTargetTests {
    func parse(_ target: String) -> HTTPRequest? {
        var parser = HTTPRequestParser()
        let bytes = Array("GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        guard case .request(let r, _) = bytes.withUnsafeBytes({ parser.parse($0) }) else { return nil }
        return r
    }

    func status(_ target: String) -> Int? {
        var parser = HTTPRequestParser()
        let bytes = Array("GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        guard case .error(let status, _) = bytes.withUnsafeBytes({ parser.parse($0) }) else { return nil }
        return status
    }

    @Test func pathIsPercentDecoded() throws {
        let r = try #require(parse("/api/v1/messages/a%20b%2Fc/%C3%A9+x"))
        #expect(r.path == "/api/v1/messages/a b/c/é+x")
        #expect(r.target == "/api/v1/messages/a%20b%2Fc/%C3%A9+x")
        #expect(r.query.isEmpty)
    }

    @Test func queryIsDecodedWithPlusAsSpace() throws {
        let r = try #require(parse("/m?to=a%40x.test&subject=hello+world&&flag&empty=&subject=%2B1&q=a=b"))
        #expect(r.query.map(\.name) == ["to", "subject", "flag", "empty", "subject", "q"])
        #expect(r.query.map(\.value) == ["a@x.test", "hello world", "", "", "+1", "a=b"])
        #expect(r.queryValue("subject") == "hello world")
        #expect(r.queryValues("subject") == ["hello world", "+1"])
        #expect(r.queryValue("missing") == nil)
        #expect(r.path == "/m")
    }

    @Test func emptyQuery() throws {
        let r = try #require(parse("/m?"))
        #expect(r.path == "/m")
        #expect(r.query.isEmpty)
    }

    @Test(arguments: ["/a%00b", "/a%2", "/a%zz", "/a%", "/m?x=%00", "/m?x=%G1", "/a%FF", "/a#frag", "a/b", "*", "http://", "http:///x"])
    func badTargetsAre400(target: String) {
        #expect(status(target) == 400)
    }
}
