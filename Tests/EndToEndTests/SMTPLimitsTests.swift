import Foundation
import Testing

/// The session limits of SMTP.md ("Limits and abuse"), set small through the environment and
/// hit by a raw client on the real binary.
@Suite struct SMTPLimitsTests {
    /// MAILGATE_SMTP_SESSION_TIMEOUT: a client that keeps talking is still cut off once the
    /// whole session is older than the limit.
    @Test func busySessionHitsTheSessionTimeLimit() throws {
        let gateway = try GatewayProcess(["MAILGATE_SMTP_SESSION_TIMEOUT": "1s"])
        var steps = ["recv", "send:EHLO c.x.test\\r\\n", "recv"]
        for _ in 0..<20 { steps += ["sleep:0.25", "send:NOOP\\r\\n", "recv"] }
        let t = try SMTPClients.raw(gateway, steps + ["close"])
        try #require(t.replies.count > 2, "\(t)")
        #expect(t.replies.last == "421 4.4.2 mx.test Error: session time limit exceeded")
        #expect(Set(t.replies.dropFirst(2).dropLast()) == ["250 2.0.0 Ok"])
        #expect(t.closed == "eof")
        gateway.removeFiles()
    }

    /// MAILGATE_SMTP_MAX_MESSAGES_PER_CONNECTION: the MAIL after the limit gets 421 4.7.0 and the
    /// connection closes; the messages before it are stored.
    @Test func messagesPerConnectionAreLimited() throws {
        let gateway = try GatewayProcess(["MAILGATE_SMTP_MAX_MESSAGES_PER_CONNECTION": "2"])
        let stream = gateway.path("stream.smtp")
        let made = try run("python3", [client("bdat_stream.py"), "--count", "3", "--size", "1024", "--out", stream])
        #expect(made.status == 0)
        let t = try SMTPClients.raw(gateway, ["recv", "send:EHLO c.x.test\\r\\n", "recv", "sendfile:" + stream, "close"])
        #expect(t.error == nil)
        try #require(t.replies.count == 9, "\(t.replies)")
        for i in 0..<2 {
            #expect(Array(t.replies[(2 + 3 * i)...(3 + 3 * i)]) == ["250 2.1.0 Ok", "250 2.1.5 Ok"])
            #expect(t.replies[4 + 3 * i].hasPrefix("250 2.0.0 Ok: queued as "))
        }
        #expect(t.replies[8] == "421 4.7.0 mx.test Error: too many messages in one connection")
        #expect(t.closed == "eof")
        let report = try SMTPClients.checkStore(gateway, regenerate: true)
        #expect(report.stored == 2)
        #expect(report.problems == [])
        gateway.removeFiles()
    }

    /// MAILGATE_SMTP_MAX_ERRORS: after that many errors the session ends with 421 4.7.0.
    @Test func tooManyErrorsEndTheSession() throws {
        let gateway = try GatewayProcess(["MAILGATE_SMTP_MAX_ERRORS": "3"])
        let t = try SMTPClients.raw(gateway, [
            "recv", "send:EHLO c.x.test\\r\\n", "recv",
            "send:BOGUS\\r\\nBOGUS\\r\\nBOGUS\\r\\nBOGUS\\r\\nBOGUS\\r\\n", "close",
        ])
        #expect(t.error == nil)
        #expect(Array(t.replies.dropFirst(2)) == [
            "500 5.5.2 Error: command not recognized", "500 5.5.2 Error: command not recognized",
            "500 5.5.2 Error: command not recognized", "421 4.7.0 mx.test Error: too many errors",
        ])
        #expect(t.closed == "eof")
        gateway.removeFiles()
    }

    /// RFC 3030 §3: a BDAT chunk is read to its last octet even when the message is already too
    /// big, so command-like lines inside it stay content. Then 552 5.3.4, nothing stored, and
    /// the next command is the one after the chunk.
    @Test func oversizedBdatChunkIsReadToItsEndThenRefused() throws {
        let gateway = try GatewayProcess(["MAILGATE_MAX_MESSAGE_SIZE": "2048"])
        let filler = Array((String(repeating: "q", count: 78) + "\r\n").utf8)
        let chunk = Array(repeating: filler, count: 40).flatMap { $0 } + Array("QUIT\r\nMAIL FROM:<evil@x.test>\r\n".utf8)
        let stream = try gateway.file("stream.smtp", Array("MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nBDAT \(chunk.count) LAST\r\n".utf8)
                                      + chunk + Array("NOOP\r\nQUIT\r\n".utf8))
        let t = try SMTPClients.raw(gateway, ["recv", "send:EHLO c.x.test\\r\\n", "recv", "sendfile:" + stream, "close"])
        #expect(t.error == nil)
        #expect(Array(t.replies.dropFirst(2)) == ["250 2.1.0 Ok", "250 2.1.5 Ok", "552 5.3.4 Error: message file too big",
                                                  "250 2.0.0 Ok", "221 2.0.0 Bye"])
        #expect(t.closed == "eof")
        #expect(try SMTPClients.storedCount(gateway) == 0)
        gateway.removeFiles()
    }

    /// RFC 5321 §6.3: too many Received headers means a mail loop → 554 5.4.6, nothing stored;
    /// at the limit the message is accepted.
    @Test func mailLoopIsDetectedByCountingReceivedHeaders() throws {
        let gateway = try GatewayProcess(["MAILGATE_SMTP_MAX_RECEIVED_HEADERS": "3"])
        func content(hops: Int) -> String {
            String(repeating: "Received: from relay.x.test by mx.x.test; Sat, 28 Nov 2026 12:00:00 +0000\\r\\n", count: hops)
                + "Subject: loop\\r\\n\\r\\nround and round\\r\\n.\\r\\n"
        }
        let t = try SMTPClients.raw(gateway, SMTPProtocolEdgeTests.envelope + [
            "send:" + content(hops: 4), "recv",
            "send:MAIL FROM:<a@x.test>\\r\\nRCPT TO:<b@y.test>\\r\\nDATA\\r\\n", "recv", "recv", "recv",
            "send:" + content(hops: 3), "recv", "send:QUIT\\r\\n", "recv", "close",
        ])
        #expect(t.error == nil)
        try #require(t.replies.count == 11, "\(t.replies)")
        #expect(t.replies[5] == "554 5.4.6 Too many hops")
        #expect(t.replies[9].hasPrefix("250 2.0.0 Ok: queued as "))
        #expect(try SMTPClients.storedCount(gateway) == 1)
        gateway.removeFiles()
    }

    /// The idle timer counts silence, not transactions: content trickling in slower than the
    /// whole idle timeout, but faster than it between pieces, is received.
    @Test func slowContentWithinTheIdleTimeoutIsReceived() throws {
        let gateway = try GatewayProcess(["MAILGATE_SMTP_IDLE_TIMEOUT": "1s"])
        var steps = SMTPProtocolEdgeTests.envelope + ["send:Subject: slow\\r\\n\\r\\n"]
        for i in 0..<8 { steps += ["sleep:0.3", "send:piece \(i)\\r\\n"] }
        let t = try SMTPClients.raw(gateway, steps + ["send:.\\r\\n", "recv", "close"])
        #expect(t.error == nil)
        try #require(t.replies.count == 7, "\(t.replies)")
        #expect(t.replies[5].hasPrefix("250 2.0.0 Ok: queued as "))
        // Then silence: the idle timeout.
        #expect(t.replies[6] == "421 4.4.2 mx.test Error: timeout exceeded")
        #expect(try SMTPClients.storedCount(gateway) == 1)
        gateway.removeFiles()
    }
}
