import Testing
@testable import MailgateHTTP

@Suite("Request parser: malformed and oversized requests get the exact status")
struct MalformedRequestTests {
    /// The single event of `text` parsed all three ways, which must agree.
    func status(_ text: String, limits: HTTPLimits = HTTPLimits()) -> Int? {
        guard let events = Drive.allWays(text, limits: limits), events.count == 1,
              case .error(let status) = events[0] else { return nil }
        return status
    }

    @Test(arguments: [
        "GET\r\n\r\n",
        "GET /\r\n\r\n",
        "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET / HTTP/1.1 \r\nHost: x\r\n\r\n",
        "GET / http/1.1\r\nHost: x\r\n\r\n",
        "GET / HTTP/1\r\nHost: x\r\n\r\n",
        "GET / HTTP/1.10\r\nHost: x\r\n\r\n",
        "G(T / HTTP/1.1\r\nHost: x\r\n\r\n",
        " GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /a\u{7F} HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET / HTTP/1.1\nHost: x\r\n\r\n",
        "GET / HTTP/1.1\r\r\nHost: x\r\n\r\n",
        "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n",
    ])
    func badRequestLine(text: String) {
        #expect(status(text) == 400)
    }

    @Test(arguments: [
        "GET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nName : v\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\n: v\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nA: b\rc\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nA: b\u{0}c\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nA: b\nc\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n\n",
        "GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
    ])
    func badHeader(text: String) {
        #expect(status(text) == 400)
    }

    @Test func obsFoldIsRejected() {
        #expect(status("GET / HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n  continued\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\n\tHost: x\r\n\r\n") == 400)
    }

    @Test func transferEncodingWithContentLength() {
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == 400)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n") == 400)
    }

    @Test(arguments: ["5\r\nContent-Length: 6", "5, 6", "5\r\nContent-Length: 05, 6"])
    func conflictingContentLength(values: String) {
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(values)\r\n\r\nhello!") == 400)
    }

    @Test(arguments: ["", "abc", "-1", "+5", "1 2", "0x10", "99999999999999999999", "1.0", ","])
    func badContentLength(value: String) {
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(value)\r\n\r\n") == 400)
    }

    @Test(arguments: ["g", "-1", "", " 5", "5x", "5\u{1}", "0x5"])
    func badChunkSize(size: String) {
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\nhello\r\n0\r\n\r\n") == 400)
    }

    @Test func chunkSizeOverflow() {
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n") == 400)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n") == 400)
    }

    @Test(arguments: ["helloX\r\n0\r\n\r\n", "hello\n0\r\n\r\n", "hello\rX0\r\n\r\n"])
    func missingCRLFAfterChunkData(rest: String) {
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n\(rest)") == 400)
    }

    @Test func malformedTrailer() {
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer: x\r\n\r\n") == 400)
    }

    @Test func oversizeRequestLine() {
        let long = "/" + String(repeating: "a", count: 8192)
        #expect(status("GET \(long) HTTP/1.1\r\nHost: x\r\n\r\n") == 414)
        // Detected before the line ends: a client may never send the LF.
        #expect(Drive.whole("GET \(long)").events == [.error(414)])
        // Exactly at the limit is fine.
        let fits = "/" + String(repeating: "a", count: 8192 - 4 - 1 - 9)
        #expect(Drive.whole("GET \(fits) HTTP/1.1\r\nHost: x\r\n\r\n").events.count == 1)
        #expect(Drive.whole("GET \(fits) HTTP/1.1\r\nHost: x\r\n\r\n").events.first != .error(414))
    }

    @Test func oversizeHeaders() {
        let limits = HTTPLimits(maxHeaderBytes: 64)
        #expect(status("GET / HTTP/1.1\r\nHost: x\r\nX-A: " + String(repeating: "v", count: 60) + "\r\n\r\n", limits: limits) == 431)
        #expect(Drive.whole("GET / HTTP/1.1\r\nHost: x\r\nX-A: " + String(repeating: "v", count: 70), limits: limits).events == [.error(431)])
        let big = "GET / HTTP/1.1\r\nHost: x\r\n" + String(repeating: "X-Filler: " + String(repeating: "f", count: 100) + "\r\n", count: 330) + "\r\n"
        #expect(Drive.whole(big).events == [.error(431)])
    }

    @Test func tooManyHeaders() {
        let hundred = (1...99).map { "X-\($0): v\r\n" }.joined()
        #expect(Drive.whole("GET / HTTP/1.1\r\nHost: x\r\n\(hundred)\r\n").events.count == 1)
        #expect(Drive.whole("GET / HTTP/1.1\r\nHost: x\r\n\(hundred)\r\n").events.first != .error(431))
        #expect(status("GET / HTTP/1.1\r\nHost: x\r\n\(hundred)X-100: v\r\n\r\n") == 431)
    }

    @Test func oversizeBodyByContentLength() {
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n") == 413)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", limits: HTTPLimits(maxBody: 10)) == 413)
    }

    @Test func oversizeBodyByChunkedTotal() {
        let limits = HTTPLimits(maxBody: 10)
        let text = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n"
        #expect(status(text, limits: limits) == 413)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n100001\r\n") == 413)
        let fits = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n4\r\nghij\r\n0\r\n\r\n"
        #expect(Drive.allWays(fits, limits: limits)?.count == 1)
    }

    @Test func unsupportedTransferEncoding() {
        // chunked is final but another coding precedes it: not understood → 501 (RFC 9112 §6.1).
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == 501)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n") == 501)
        // chunked is not final: the body length is unknowable → 400 (RFC 9112 §6.3 item 4).
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n") == 400)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n") == 400)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n") == 400)
        #expect(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \r\n\r\n") == 400)
        #expect(status("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == 400)
    }

    @Test(arguments: ["HTTP/2.0", "HTTP/0.9", "HTTP/3.0", "HTTP/9.9"])
    func unsupportedVersion(version: String) {
        #expect(status("GET / \(version)\r\nHost: x\r\n\r\n") == 505)
    }

    @Test func errorsAreSticky() {
        var parser = HTTPRequestParser()
        let bad = Array("GET / HTTP/2.0\r\n".utf8)
        guard case .error(505, _) = bad.withUnsafeBytes({ parser.parse($0) }) else {
            Issue.record("expected 505")
            return
        }
        let good = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        guard case .error(505, _) = good.withUnsafeBytes({ parser.parse($0) }) else {
            Issue.record("expected the error again")
            return
        }
        parser.reset()
        guard case .request = good.withUnsafeBytes({ parser.parse($0) }) else {
            Issue.record("expected a request after reset")
            return
        }
    }

    @Test func garbageNeverCrashes() {
        var generator = SplitMix(seed: 42)
        for _ in 0..<300 {
            let length = Int(generator.next() % 200)
            var bytes = Array("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            for _ in 0..<length {
                let pick = generator.next() % 8
                bytes.append(pick < 3 ? [0x0D, 0x0A, 0x30, 0x3B, 0x41][Int(generator.next() % 5)] : UInt8(truncatingIfNeeded: generator.next()))
            }
            _ = Drive(bytes.map { [$0] })
            _ = Drive([bytes])
        }
    }
}

/// A tiny deterministic generator for the no-crash test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
