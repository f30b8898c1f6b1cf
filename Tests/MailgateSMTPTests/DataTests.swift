import Testing
import MailgateCore
@testable import MailgateSMTP

/// The start of a transaction up to the 354, as transcript lines.
let openData = """
    S: 220 localhost ESMTP Mailgate
    C: EHLO client.test
    \(ehloReply)
    C: MAIL FROM:<a@example.org>
    C: RCPT TO:<b@example.com>
    C: DATA
    S: 250 2.1.0 Ok
    S: 250 2.1.5 Ok
    S: 354 End data with <CR><LF>.<CR><LF>
    """

@Suite("DATA content")
struct DataTests {
    @Test func dotUnstuffing() {
        let messages = expectTranscript("""
            \(openData)
            C: ..one
            C: ...
            C: .. x
            C: .x
            C: a.b
            C: ..
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            """)
        #expect(messages.first?.data == bytes(trace() + ".one\r\n..\r\n. x\r\nx\r\na.b\r\n.\r\n"))
    }

    @Test func emptyLinesAndHeadersAreKeptExactly() {
        let messages = expectTranscript("""
            \(openData)
            C: From: A <a@example.org>
            C: Subject: folded
            C:  continuation
            C:
            C:
            C: body with trailing spaces  <NUL-free>
            C:
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            """)
        #expect(messages.first?.data == bytes(trace() + "From: A <a@example.org>\r\nSubject: folded\r\n continuation\r\n"
                                              + "\r\n\r\nbody with trailing spaces  <NUL-free>\r\n\r\n"))
    }

    /// The eleven SMTP smuggling sequences (CVE-2023-51764/51765/51766). None may end DATA:
    /// the smuggled commands stay content, the real CRLF.CRLF ends it, and under `.reject`
    /// the message is refused.
    static let smuggling: [(name: String, sequence: String)] = [
        ("LF.LF", "<LF>.<LF>"), ("LF.CR", "<LF>.<CR>"), ("CR.LF", "<CR>.<LF>"), ("CR.CR", "<CR>.<CR>"),
        ("LF.CRLF", "<LF>.<CR><LF>"), ("CR.CRLF", "<CR>.<CR><LF>"), ("CRLF.LF", "<CR><LF>.<LF>"),
        ("CRLF.CR", "<CR><LF>.<CR>"), ("CRLF.CRCRLF", "<CR><LF>.<CR><CR><LF>"),
        ("CRLF NUL.CRLF", "<CR><LF><NUL>.<CR><LF>"), ("CRLF.NUL CRLF", "<CR><LF>.<NUL><CR><LF>"),
    ]

    @Test(arguments: smuggling)
    func smugglingSequenceDoesNotEndDataAndIsRejected(_ name: String, _ sequence: String) {
        let nul = sequence.contains("<NUL>")
        let reply = nul ? "550 5.6.0 Error: NUL character not allowed" : "550 5.5.2 Error: bare CR or LF not allowed"
        let messages = expectTranscript("""
            \(openData)
            c: Subject: smuggling<CR><LF><CR><LF>body\(sequence)MAIL FROM:<evil@example.org><CR><LF>
            C: RCPT TO:<victim@example.com>
            C: DATA
            C: smuggled
            C: .
            S: \(reply)
            -- log \(nul ? "nul_in_data" : "bare_lf")
            C: RSET
            S: 250 2.0.0 Ok
            """)
        #expect(messages.isEmpty, "\(name)")
    }

    @Test(arguments: zip(smuggling, [
        "body\r\n\r\nM", "body\r\n\rM", "body\r.\r\nM", "body\r.\rM", "body\r\n\r\nM", "body\r.\r\nM",
        "body\r\n\r\nM", "body\r\n\rM", "body\r\n\r\r\nM", "body\r\n\0.\r\nM", "body\r\n\0\r\nM",
    ]))
    func smugglingSequenceUnderNormalizeStaysContent(_ sample: (name: String, sequence: String), _ stored: String) {
        let t = configuration { $0.bareLineEndings = .normalize }
        let messages = expectTranscript("""
            \(openData)
            c: body\(sample.sequence)MAIL FROM:<evil@example.org><CR><LF>
            C: smuggled
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            """, t)
        #expect(messages.first?.data == bytes(trace() + stored + "AIL FROM:<evil@example.org>\r\nsmuggled\r\n"),
                "\(sample.name)")
    }

    @Test func normalizeTurnsBareLFIntoCRLFButOnlyCRLFDotCRLFEnds() {
        let t = configuration { $0.bareLineEndings = .normalize }
        let messages = expectTranscript("""
            \(openData)
            c: Subject: x<LF><LF>line one<LF>..two<LF>.<LF>
            C: bare CR<CR>inside
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            """, t)
        #expect(messages.first?.data == bytes(trace() + "Subject: x\r\n\r\nline one\r\n.two\r\n\r\nbare CR\rinside\r\n"))
    }

    @Test func bareLFInContentIsRejectedAfterTheRealTerminator() {
        expectTranscript("""
            \(openData)
            c: Subject: x<LF><LF>body<LF>
            C: tail
            C: .
            S: 550 5.5.2 Error: bare CR or LF not allowed
            -- log bare_lf
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: clean
            C: .
            S: 250 2.0.0 Ok: queued as ID2
            -- deliver ID2
            """)
    }

    @Test func sizeLimitIsEnforcedWhileReading() {
        let t = configuration { $0.maxMessageSize = 10 }
        let messages = expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            S: 250-localhost
            S: 250-PIPELINING
            S: 250-SIZE 10
            S: 250-ENHANCEDSTATUSCODES
            S: 250-8BITMIME
            S: 250-SMTPUTF8
            S: 250 CHUNKING
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: 0123456789
            C: more
            C: .
            S: 552 5.3.4 Error: message file too big
            -- log message_too_big
            C: MAIL FROM:<a@example.org> SIZE=10
            C: RCPT TO:<b@example.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: 01234567
            C: .
            S: 250 2.0.0 Ok: queued as ID2
            -- deliver ID2
            """, t)
        #expect(messages.first?.data == bytes(trace(id: "ID2") + "01234567\r\n"))
    }

    @Test func memoryStaysBoundedWhateverTheClientSends() {
        var config = SMTPConfiguration()
        config.maxMessageSize = 1024 * 1024
        let session = SMTPSession(configuration: config, peer: SMTPPeer(address: "192.0.2.1", port: 1),
                                  now: { Transcript.now }, makeID: { "ID1" })
        _ = session.start()
        _ = session.receive(bytes("EHLO c\r\n"))
        _ = session.receive(bytes("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n"))
        #expect(session.mode == .data)
        var line = [UInt8](repeating: UInt8(ascii: "x"), count: 998)
        line += [13, 10]
        var chunk: [UInt8] = []
        for _ in 0..<64 { chunk += line }  // 64000 octets
        var fed = 0
        var peak = 0
        while fed < 30 * 1024 * 1024 {
            #expect(session.receive(chunk).isEmpty)
            fed += chunk.count
            peak = max(peak, session.message.bytes.capacity, session.bufferedByteCount)
        }
        #expect(peak <= config.maxMessageSize + 64 * 1024)
        #expect(session.message.bytes.isEmpty)
        #expect(session.bufferedByteCount == 0)
        #expect(session.receive(bytes(".\r\n")) == [
            .send(bytes("552 5.3.4 Error: message file too big\r\n")),
            .log(SMTPLogEvent(reason: "message_too_big", detail: "id ID1, \(fed) octets")),
        ])
    }

    @Test func anEndlessLineIsAbuseAndStaysBounded() {
        let t = configuration { $0.maxTextLine = 10 }
        expectTranscript("""
            \(openData)
            C: 0123456789
            C: 0123456789A
            C: .
            S: 552 5.3.4 Error: message line too long
            -- log line_too_long
            """, t)
    }

    @Test func tooManyReceivedHeadersIsAMailLoop() {
        let t = configuration { $0.maxReceivedHeaders = 2 }
        let messages = expectTranscript("""
            \(openData)
            C: Received: from a
            C: RECEIVED: from b
            C: X-Received: not counted
            C:  Received: a folded line is not a field
            C:
            C: Received: in the body is not counted
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: Received: from a
            C: Received: from b
            C: received:from c
            C:
            C: .
            S: 554 5.4.6 Too many hops
            -- log mail_loop
            """, t)
        #expect(messages.count == 1)
    }

    @Test func traceHeadersForSeveralRecipientsOmitFor() {
        let messages = expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.com>
            C: RCPT TO:<c@example.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: x
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            """)
        let expected = "Return-Path: <a@example.org>\r\n"
            + "Received: from client.test ([192.0.2.1])\r\n"
            + "\tby localhost (Mailgate) with ESMTP id ID1;\r\n"
            + "\tFri, 28 Nov 2025 12:00:00 +0000\r\n"
            + "x\r\n"
        #expect(messages.first.map { String(decoding: $0.data, as: UTF8.self) } == expected)
    }

    /// RFC 6531 §4.3: a transaction that declared SMTPUTF8 is received "with UTF8SMTP", and the
    /// envelope says so too.
    @Test func smtpUTF8TransactionsAreReceivedWithUTF8SMTP() {
        let messages = expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<jürgen@example.org> SMTPUTF8
            C: RCPT TO:<b@example.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: x
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            """)
        #expect(messages.first?.data == bytes(trace(from: "jürgen@example.org", with: "UTF8SMTP") + "x\r\n"))
        #expect(messages.first?.envelope.transport == "UTF8SMTP")
    }
}
