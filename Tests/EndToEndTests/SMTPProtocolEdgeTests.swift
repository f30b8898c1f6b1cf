import Foundation
import Testing

/// Protocol edge cases through a raw socket (`Clients/smtp_raw.py` writes exactly the bytes
/// given, in exactly the writes given), end to end on the real binary.
@Suite struct SMTPProtocolEdgeTests {
    static let ehloReply = "250-mx.test\n250-PIPELINING\n250-SIZE 26214400\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-SMTPUTF8\n250 CHUNKING"
    static let envelope = ["recv", "send:EHLO c.x.test\\r\\n", "recv", "send:MAIL FROM:<a@x.test>\\r\\n", "recv",
                           "send:RCPT TO:<b@y.test>\\r\\n", "recv", "send:DATA\\r\\n", "recv"]
    static let envelopeReplies = ["220 mx.test ESMTP Mailgate", ehloReply, "250 2.1.0 Ok", "250 2.1.5 Ok",
                                  "354 End data with <CR><LF>.<CR><LF>"]

    /// SMTP smuggling (CVE-2023-51764): `LF . LF` inside DATA does not end the message, so the
    /// smuggled MAIL/RCPT/DATA are content, never commands. The real terminator then gets the
    /// bare-LF refusal and nothing is stored.
    @Test func smuggledMessageIsNeitherSplitNorStored() throws {
        let gateway = try GatewayProcess()
        let t = try SMTPClients.raw(gateway, Self.envelope + [
            "send:Subject: s\\r\\n\\r\\nhello\\n.\\nMAIL FROM:<evil@x.test>\\r\\nRCPT TO:<victim@y.test>\\r\\nDATA\\r\\nsmuggled\\r\\n.\\r\\n",
            "recv", "send:QUIT\\r\\n", "recv", "close",
        ])
        #expect(t.error == nil)
        #expect(t.replies == Self.envelopeReplies + ["550 5.5.2 Error: bare CR or LF not allowed", "221 2.0.0 Bye"])
        #expect(t.closed == "eof")
        #expect(try SMTPClients.storedCount(gateway) == 0)
        gateway.removeFiles()
    }

    /// With bare line endings normalized instead of refused, the same input is one message from
    /// the real sender holding the smuggled lines as text.
    @Test func smuggledLinesStayContentWhenNormalizing() throws {
        let gateway = try GatewayProcess(["MAILGATE_SMTP_BARE_LINE_ENDINGS": "normalize"])
        let t = try SMTPClients.raw(gateway, Self.envelope + [
            "send:Subject: s\\r\\n\\r\\nhello\\n.\\nMAIL FROM:<evil@x.test>\\r\\nRCPT TO:<victim@y.test>\\r\\nDATA\\r\\nsmuggled\\r\\n.\\r\\n",
            "recv", "send:QUIT\\r\\n", "recv", "close",
        ])
        #expect(t.error == nil)
        try #require(t.replies.count == 7, "\(t.replies)")
        #expect(Array(t.replies.prefix(5)) == Self.envelopeReplies)
        #expect(t.replies[5].hasPrefix("250 2.0.0 Ok: queued as "))
        #expect(t.replies[6] == "221 2.0.0 Bye")
        let id = try #require(t.queueID(at: 5))
        #expect(try SMTPClients.storedCount(gateway) == 1)
        let message = try SMTPClients.apiJSON(gateway, "/api/v1/messages/\(id)")
        let envelope = try #require(message["envelope"] as? [String: Any])
        #expect(envelope["mail_from"] as? String == "a@x.test")
        #expect(envelope["rcpt_to"] as? [String] == ["b@y.test"])
        let raw = String(decoding: try SMTPClients.apiBytes(gateway, "/api/v1/messages/\(id)/raw"), as: UTF8.self)
        #expect(raw.contains("MAIL FROM:<evil@x.test>\r\nRCPT TO:<victim@y.test>\r\nDATA\r\nsmuggled\r\n"))
        gateway.removeFiles()
    }

    /// RFC 2920: commands pipelined after the final dot in the same write wait for the commit
    /// and are answered in order; both messages are stored exactly.
    @Test func commandsPipelinedAfterTheFinalDotAreAnsweredInOrder() throws {
        let gateway = try GatewayProcess()
        let t = try SMTPClients.raw(gateway, Self.envelope + [
            "send:Subject: one\\r\\n\\r\\nfirst\\r\\n.\\r\\nMAIL FROM:<a2@x.test>\\r\\nRCPT TO:<b2@y.test>\\r\\nDATA\\r\\n",
            "recv", "recv", "recv", "recv",
            "send:Subject: two\\r\\n\\r\\n..second\\r\\n.\\r\\nQUIT\\r\\n", "recv", "recv", "close",
        ])
        #expect(t.error == nil)
        try #require(t.replies.count == 11, "\(t.replies)")
        #expect(Array(t.replies.prefix(5)) == Self.envelopeReplies)
        #expect(t.replies[5].hasPrefix("250 2.0.0 Ok: queued as "))
        #expect(Array(t.replies[6...8]) == ["250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>"])
        #expect(t.replies[9].hasPrefix("250 2.0.0 Ok: queued as "))
        #expect(t.replies[10] == "221 2.0.0 Bye")
        #expect(t.closed == "eof")

        let acks = gateway.path("acks.jsonl")
        let first = try gateway.file("first.eml", Array("Subject: one\r\n\r\nfirst\r\n".utf8))
        let second = try gateway.file("second.eml", Array("Subject: two\r\n\r\n.second\r\n".utf8))
        try SMTPClients.writeAck(to: acks, id: try #require(t.queueID(at: 5)), tailFile: first, mailFrom: "a@x.test",
                                 rcptTo: ["b@y.test"], helo: "c.x.test", protocol: "ESMTP")
        try SMTPClients.writeAck(to: acks, id: try #require(t.queueID(at: 9)), tailFile: second, mailFrom: "a2@x.test",
                                 rcptTo: ["b2@y.test"], helo: "c.x.test", protocol: "ESMTP")
        let report = try SMTPClients.checkStore(gateway, acks: [acks])
        #expect(report.stored == 2)
        #expect(report.problems == [])
        gateway.removeFiles()
    }

    /// RFC 3030: BDAT chunks pipelined in one write; exactly N octets per chunk (the CRLF inside
    /// a chunk is content), one reply per chunk, the last one is the queued reply.
    @Test func bdatChunksAreStoredExactly() throws {
        let gateway = try GatewayProcess()
        let t = try SMTPClients.raw(gateway, [
            "recv",
            "send:EHLO c.x.test\\r\\nMAIL FROM:<a@x.test> BODY=8BITMIME\\r\\nRCPT TO:<b@y.test>\\r\\nBDAT 13\\r\\nSubject: b\\r\\n\\r"
                + "BDAT 11 LAST\\r\\n\\nhello\\r\\n.\\r\\nQUIT\\r\\n",
            "recv", "recv", "recv", "recv", "recv", "recv", "close",
        ])
        #expect(t.error == nil)
        try #require(t.replies.count == 7, "\(t.replies)")
        #expect(Array(t.replies.prefix(5)) == ["220 mx.test ESMTP Mailgate", Self.ehloReply, "250 2.1.0 Ok", "250 2.1.5 Ok",
                                              "250 2.0.0 13 octets received"])
        #expect(t.replies[5].hasPrefix("250 2.0.0 Ok: queued as "))
        #expect(t.replies[6] == "221 2.0.0 Bye")
        let acks = gateway.path("acks.jsonl")
        // BDAT content is not dot-stuffed: the ".\r\n" line is content.
        let tail = try gateway.file("bdat.eml", Array("Subject: b\r\n\r\nhello\r\n.\r\n".utf8))
        try SMTPClients.writeAck(to: acks, id: try #require(t.queueID(at: 5)), tailFile: tail, mailFrom: "a@x.test",
                                 rcptTo: ["b@y.test"], helo: "c.x.test", protocol: "ESMTP")
        let report = try SMTPClients.checkStore(gateway, acks: [acks])
        #expect(report.stored == 1)
        #expect(report.problems == [])
        gateway.removeFiles()
    }

    /// Sequencing errors keep the connection open (RFC 5321 §3.3; Postfix's wording: DATA
    /// without any RCPT is "need RCPT", DATA after only refused RCPTs is "no valid recipients").
    @Test func rcptBeforeMailIsASequenceError() throws {
        let gateway = try GatewayProcess()
        let t = try SMTPClients.raw(gateway, [
            "recv", "send:EHLO c.x.test\\r\\n", "recv", "send:RCPT TO:<b@y.test>\\r\\n", "recv",
            "send:DATA\\r\\n", "recv", "send:QUIT\\r\\n", "recv", "close",
        ])
        #expect(t.error == nil)
        #expect(t.replies == ["220 mx.test ESMTP Mailgate", Self.ehloReply, "503 5.5.1 Error: need MAIL command",
                             "503 5.5.1 Error: need RCPT command", "221 2.0.0 Bye"])
        #expect(t.closed == "eof")
        gateway.removeFiles()
    }

    /// A client that talks before the greeting (here during a 300 ms greet wait) gets 554 and
    /// the connection closes; it never sees the banner.
    @Test func earlyTalkerIsRefused() throws {
        let gateway = try GatewayProcess(["MAILGATE_SMTP_GREET_DELAY": "300ms"])
        let t = try SMTPClients.raw(gateway, ["send:EHLO hasty.x.test\\r\\n", "close"])
        #expect(t.error == nil)
        #expect(t.replies == ["554 5.5.1 Error: talked before greeting"])
        #expect(t.closed != nil)
        // A patient client on the same gateway gets the banner after the wait.
        let patient = try SMTPClients.raw(gateway, ["recv", "send:QUIT\\r\\n", "recv", "close"])
        #expect(patient.replies == ["220 mx.test ESMTP Mailgate", "221 2.0.0 Bye"])
        gateway.removeFiles()
    }

    /// An HTTP client on the SMTP port: closed at once, no SMTP reply to its request.
    @Test func httpRequestOnTheSMTPPortIsClosed() throws {
        let gateway = try GatewayProcess()
        let t = try SMTPClients.raw(gateway, ["recv", "send:GET / HTTP/1.1\\r\\nHost: mx.test\\r\\n\\r\\n", "close"])
        #expect(t.error == nil)
        #expect(t.replies == ["220 mx.test ESMTP Mailgate"])
        #expect(t.extra == "")
        #expect(t.closed != nil)
        gateway.removeFiles()
    }

    /// RFC 5321 §4.5.3.2.7: no command within the idle timeout → 421 4.4.2 and close.
    @Test func idleClientTimesOut() throws {
        let gateway = try GatewayProcess(["MAILGATE_SMTP_IDLE_TIMEOUT": "1s"])
        let t = try SMTPClients.raw(gateway, ["recv", "send:EHLO c.x.test\\r\\n", "recv", "close"])
        #expect(t.error == nil)
        #expect(t.replies == ["220 mx.test ESMTP Mailgate", Self.ehloReply, "421 4.4.2 mx.test Error: timeout exceeded"])
        #expect(t.closed == "eof")
        gateway.removeFiles()
    }
}
