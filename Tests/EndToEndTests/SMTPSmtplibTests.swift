import Foundation
import Testing

/// Python's smtplib (a client nobody here wrote) against the real binary: what it sends is what
/// the API gives back, behind exactly one Return-Path and one Received header.
@Suite struct SMTPSmtplibTests {
    @Test func plainSeveralRecipientsAndLargeMessagesAreStoredExactly() throws {
        let gateway = try GatewayProcess()
        let acks = gateway.path("acks.jsonl")

        let plain = try SMTPClients.send(gateway, acks: acks, ["--count", "1", "--helo", "plain.x.test"])
        #expect(plain.status == 0, "\(plain.output)")
        let several = try SMTPClients.send(gateway, acks: acks, [
            "--count", "2", "--seed", "2", "--helo", "multi.x.test", "--mail-from", "sender@x.test",
            "--rcpt", "c@y.test", "--rcpt", "d@y.test", "--rcpt", "e@z.test",
        ])
        #expect(several.status == 0, "\(several.output)")
        // 5 MiB: the content crosses many reads and the raw is streamed back by the API.
        let large = try SMTPClients.send(gateway, acks: acks, ["--count", "1", "--seed", "3", "--size", String(5 << 20)])
        #expect(large.status == 0, "\(large.output)")

        // Every acknowledged message: trace headers of the right shape (FOR only with one
        // recipient), then the sha256 of exactly the bytes sent; the envelope as sent.
        let report = try SMTPClients.checkStore(gateway, acks: [acks], sqlite: true)
        #expect(report.checked == 4)
        #expect(report.stored == 4)
        #expect(report.problems == [])

        // The same facts spelled out for one message with several recipients.
        let lines = try String(contentsOfFile: acks, encoding: .utf8).split(separator: "\n")
        try #require(lines.count == 4)
        let ack = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        let id = try #require(ack["id"] as? String)
        let message = try SMTPClients.apiJSON(gateway, "/api/v1/messages/\(id)")
        let envelope = try #require(message["envelope"] as? [String: Any])
        #expect(envelope["mail_from"] as? String == "sender@x.test")
        #expect(envelope["rcpt_to"] as? [String] == ["c@y.test", "d@y.test", "e@z.test"])
        #expect(envelope["helo"] as? String == "multi.x.test")
        #expect(envelope["protocol"] as? String == "ESMTP")
        #expect(envelope["remote_addr"] as? String == "127.0.0.1")

        let raw = try SMTPClients.apiBytes(gateway, "/api/v1/messages/\(id)/raw")
        let head = String(decoding: raw.prefix(400), as: UTF8.self)
        #expect(head.hasPrefix("Return-Path: <sender@x.test>\r\nReceived: from multi.x.test ([127.0.0.1])\r\n"
                               + "\tby mx.test (Mailgate) with ESMTP id \(id);\r\n\t"))
        #expect(!head.contains("for <"))
        gateway.removeFiles()
    }

    /// smtplib's sendmail() declares SIZE=<n> (RFC 1870) because the gateway advertises it:
    /// over MAILGATE_MAX_MESSAGE_SIZE the MAIL command itself is refused with 552 5.3.4, before
    /// any content is sent; at the limit the message goes through.
    @Test func declaredSizeOverTheLimitIsRefusedAtMail() throws {
        let gateway = try GatewayProcess(["MAILGATE_MAX_MESSAGE_SIZE": "4096"])
        struct Outcome: Decodable { let ok: [String]?; let refused: Int?; let reply: String? }
        let over = try run("python3", [client("smtp_client.py"), "sendmail", "--port", String(gateway.smtpPort), "--size", "8000"])
        let refused = try SMTPClients.decodeLast(Outcome.self, from: over.output)
        #expect(refused.refused == 552)
        #expect(refused.reply == "5.3.4 Message size exceeds fixed limit")
        let within = try run("python3", [client("smtp_client.py"), "sendmail", "--port", String(gateway.smtpPort), "--size", "3000"])
        let accepted = try SMTPClients.decodeLast(Outcome.self, from: within.output)
        #expect(accepted.ok == ["b@y.test"], "\(within.output)")
        #expect(try SMTPClients.storedCount(gateway) == 1)
        gateway.removeFiles()
    }

    /// RFC 6531: with SMTPUTF8 declared (smtplib sends the UTF-8 command itself), non-ASCII
    /// addresses are accepted and kept as sent; without it the same address gets 553 5.6.7.
    @Test func internationalizedAddressesNeedSMTPUTF8() throws {
        let gateway = try GatewayProcess()
        struct Outcome: Decodable { let ok: [String]? }
        let sent = try run("python3", [client("smtp_client.py"), "sendmail", "--port", String(gateway.smtpPort), "--smtputf8",
                                       "--mail-from", "jürgen@bücher.test", "--rcpt", "用户@例子.test", "--rcpt", "b@y.test"])
        #expect(try SMTPClients.decodeLast(Outcome.self, from: sent.output).ok == ["用户@例子.test", "b@y.test"], "\(sent.output)")
        let list = try SMTPClients.apiJSON(gateway, "/api/v1/messages?limit=10")
        let items = try #require(list["items"] as? [[String: Any]])
        try #require(items.count == 1)
        let id = try #require(items[0]["id"] as? String)
        let message = try SMTPClients.apiJSON(gateway, "/api/v1/messages/\(id)")
        let envelope = try #require(message["envelope"] as? [String: Any])
        #expect(envelope["mail_from"] as? String == "jürgen@bücher.test")
        #expect(envelope["rcpt_to"] as? [String] == ["用户@例子.test", "b@y.test"])
        let raw = try SMTPClients.apiBytes(gateway, "/api/v1/messages/\(id)/raw")
        #expect(raw.starts(with: Data("Return-Path: <jürgen@bücher.test>\r\n".utf8)))
        // RFC 6531 §4.3: received "with UTF8SMTP", in the trace header and the envelope.
        #expect(String(decoding: raw, as: UTF8.self).contains("(Mailgate) with UTF8SMTP id \(id)"))
        #expect(envelope["protocol"] as? String == "UTF8SMTP")

        // "ü" as its two UTF-8 octets, without the SMTPUTF8 parameter.
        let t = try SMTPClients.raw(gateway, ["recv", "send:EHLO c.x.test\\r\\n", "recv",
                                              "send:MAIL FROM:<j\\xc3\\xbcrgen@x.test>\\r\\n", "recv",
                                              "send:MAIL FROM:<a@x.test>\\r\\n", "recv",
                                              "send:RCPT TO:<\\xc3\\xbc@y.test>\\r\\n", "recv", "send:QUIT\\r\\n", "recv", "close"])
        #expect(Array(t.replies.dropFirst(2)) == ["553 5.6.7 Must declare SMTPUTF8 to send unicode address", "250 2.1.0 Ok",
                                                  "553 5.6.7 Must declare SMTPUTF8 to send unicode address", "221 2.0.0 Bye"])
        #expect(try SMTPClients.storedCount(gateway) == 1)
        gateway.removeFiles()
    }
}
