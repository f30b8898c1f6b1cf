import Foundation
import Testing

/// swaks, the SMTP test tool admins use, against the real binary. swaks prints every line it
/// sends (" -> ") and every reply (`<-  ` when expected, `<** ` when an error).
///
/// This swaks (20201014) has no CHUNKING support; BDAT is covered by `SMTPProtocolEdgeTests`.
@Suite struct SMTPSwaksTests {
    /// Content without a final CRLF: swaks adds one before the dot, so that is what is stored.
    static let content = Array("From: Swaks <a@x.test>\r\nTo: b@y.test\r\nSubject: swaks\r\n\r\nfirst line\r\n.a line that starts with a dot\r\nlast line".utf8)

    static func swaks(_ gateway: GatewayProcess, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try run("swaks", ["--server", "127.0.0.1:\(gateway.smtpPort)", "--timeout", "20"] + arguments)
    }

    /// The queue id from swaks's transcript.
    static func queueID(_ output: String) -> String? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("<-  250 2.0.0 Ok: queued as ") }) else { return nil }
        return String(line.dropFirst("<-  250 2.0.0 Ok: queued as ".count))
    }

    @Test func plainPipelinedAndHELOMessagesAreStoredExactly() throws {
        let gateway = try GatewayProcess()
        let data = try gateway.file("content.eml", Self.content)
        let tail = try gateway.file("tail.eml", Self.content + Array("\r\n".utf8))
        let acks = gateway.path("acks.jsonl")

        let plain = try Self.swaks(gateway, ["--from", "a@x.test", "--to", "b@y.test", "--helo", "swaks.x.test", "--data", "@" + data])
        #expect(plain.status == 0, "\(plain.output)")
        // swaks echoes content lines with their CRLF.
        #expect(plain.output.contains(" -> ..a line that starts with a dot\r\n"), "swaks dot-stuffs the line")
        let plainID = try #require(Self.queueID(plain.output), "\(plain.output)")
        try SMTPClients.writeAck(to: acks, id: plainID, tailFile: tail, mailFrom: "a@x.test", rcptTo: ["b@y.test"],
                                 helo: "swaks.x.test", protocol: "ESMTP")

        // RFC 2920: the whole envelope and DATA in one write, the replies in order after it.
        let piped = try Self.swaks(gateway, ["--pipeline", "--from", "p@x.test", "--to", "b@y.test,c@y.test",
                                             "--helo", "pipe.x.test", "--data", "@" + data])
        #expect(piped.status == 0, "\(piped.output)")
        #expect(piped.output.contains("""
             -> MAIL FROM:<p@x.test>
             -> RCPT TO:<b@y.test>
             -> RCPT TO:<c@y.test>
             -> DATA
            <-  250 2.1.0 Ok
            <-  250 2.1.5 Ok
            <-  250 2.1.5 Ok
            <-  354 End data with <CR><LF>.<CR><LF>
            """), "\(piped.output)")
        let pipedID = try #require(Self.queueID(piped.output), "\(piped.output)")
        try SMTPClients.writeAck(to: acks, id: pipedID, tailFile: tail, mailFrom: "p@x.test", rcptTo: ["b@y.test", "c@y.test"],
                                 helo: "pipe.x.test", protocol: "ESMTP")

        // Plain SMTP (HELO): "with SMTP" in the Received line, protocol SMTP in the envelope.
        let helo = try Self.swaks(gateway, ["--protocol", "SMTP", "--from", "h@x.test", "--to", "b@y.test",
                                            "--helo", "old.x.test", "--data", "@" + data])
        #expect(helo.status == 0, "\(helo.output)")
        #expect(helo.output.contains(" -> HELO old.x.test\n<-  250 mx.test\n"), "\(helo.output)")
        let heloID = try #require(Self.queueID(helo.output), "\(helo.output)")
        try SMTPClients.writeAck(to: acks, id: heloID, tailFile: tail, mailFrom: "h@x.test", rcptTo: ["b@y.test"],
                                 helo: "old.x.test", protocol: "SMTP")

        let report = try SMTPClients.checkStore(gateway, acks: [acks])
        #expect(report.checked == 3)
        #expect(report.stored == 3)
        #expect(report.problems == [])
        gateway.removeFiles()
    }

    @Test func attachmentComesBackByteForByte() throws {
        let gateway = try GatewayProcess()
        var bytes = [UInt8]()
        var state: UInt32 = 0x9E37_79B9
        for _ in 0..<3000 {
            state = state &* 1_664_525 &+ 1_013_904_223
            bytes.append(UInt8(truncatingIfNeeded: state >> 24))
        }
        let file = try gateway.file("payload.bin", bytes)
        let result = try Self.swaks(gateway, ["--from", "a@x.test", "--to", "b@y.test", "--attach", "@" + file])
        #expect(result.status == 0, "\(result.output)")
        let id = try #require(Self.queueID(result.output), "\(result.output)")

        let message = try SMTPClients.apiJSON(gateway, "/api/v1/messages/\(id)")
        let attachments = try #require(message["attachments"] as? [[String: Any]])
        try #require(attachments.count == 1, "\(attachments)")
        #expect(attachments[0]["filename"] as? String == "payload.bin")
        #expect(attachments[0]["content_type"] as? String == "application/octet-stream")
        #expect(attachments[0]["size"] as? Int == bytes.count)
        let attachmentID = try #require(attachments[0]["id"] as? String)
        let downloaded = try SMTPClients.apiBytes(gateway, "/api/v1/messages/\(id)/attachments/\(attachmentID)")
        #expect(downloaded == Data(bytes))
        let sha = try run("sha256sum", [file]).output.prefix(64)
        #expect(attachments[0]["sha256"] as? String == String(sha))
        gateway.removeFiles()
    }

    @Test func refusalsAreTheExactRepliesSwaksPrints() throws {
        let gateway = try GatewayProcess(["MAILGATE_ACCEPT": "y.test", "MAILGATE_MAX_MESSAGE_SIZE": "2048"])

        // Recipient outside MAILGATE_ACCEPT: 550 5.1.1 at RCPT; swaks exits 24 (no RCPT accepted).
        let outside = try Self.swaks(gateway, ["--from", "a@x.test", "--to", "b@z.test"])
        #expect(outside.status == 24, "\(outside.output)")
        #expect(outside.output.contains("\n -> RCPT TO:<b@z.test>\n<** 550 5.1.1 <b@z.test>: Recipient address rejected: User unknown\n -> QUIT\n<-  221 2.0.0 Bye\n"),
                "\(outside.output)")

        // One recipient refused, one accepted: the message goes to the accepted one only.
        let data = try gateway.file("content.eml", SMTPSwaksTests.content)
        let mixed = try Self.swaks(gateway, ["--from", "a@x.test", "--to", "b@y.test,c@z.test", "--data", "@" + data])
        #expect(mixed.status == 0, "\(mixed.output)")
        #expect(mixed.output.contains("<** 550 5.1.1 <c@z.test>: Recipient address rejected: User unknown\n"), "\(mixed.output)")
        let mixedID = try #require(Self.queueID(mixed.output), "\(mixed.output)")
        let message = try SMTPClients.apiJSON(gateway, "/api/v1/messages/\(mixedID)")
        let envelope = try #require(message["envelope"] as? [String: Any])
        #expect(envelope["rcpt_to"] as? [String] == ["b@y.test"])

        // Content over MAILGATE_MAX_MESSAGE_SIZE: read to the dot, then 552 5.3.4; swaks exits
        // 26 (mail not accepted after the data). The session goes on.
        let body = try gateway.file("big.txt", Array(String(repeating: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n", count: 64).utf8))
        let oversize = try Self.swaks(gateway, ["--from", "a@x.test", "--to", "b@y.test", "--body", "@" + body])
        #expect(oversize.status == 26, "\(oversize.output)")
        #expect(oversize.output.contains("\n -> .\n<** 552 5.3.4 Error: message file too big\n -> QUIT\n<-  221 2.0.0 Bye\n"),
                "\(oversize.output)")

        // Only the message with one accepted recipient was stored.
        #expect(try SMTPClients.storedCount(gateway) == 1)
        gateway.removeFiles()
    }
}
