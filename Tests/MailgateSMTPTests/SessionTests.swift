import Testing
import MailgateCore
@testable import MailgateSMTP

@Suite("Session commands")
struct SessionTests {
    @Test func ehloMailRcptDataQuit() {
        let messages = expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: Subject: hi
            C:
            C: body
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            C: QUIT
            S: 221 2.0.0 Bye
            -- close
            """)
        #expect(messages.count == 1)
        guard let m = messages.first else { return }
        #expect(m.id == "ID1")
        #expect(m.receivedAt == Transcript.now)
        #expect(m.envelope == Envelope(mailFrom: "a@example.org", rcptTo: ["b@example.com"], helo: "client.test",
                                       remoteAddress: "192.0.2.1", remotePort: 40000, transport: "ESMTP",
                                       tls: nil, body: nil, smtpUTF8: false))
        #expect(m.data == bytes(trace() + "Subject: hi\r\n\r\nbody\r\n"))
    }

    @Test func heloGetsPlainReplyAndSMTPTransport() {
        let messages = expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: HELO client.test
            S: 250 localhost
            C: MAIL FROM:<a@example.org>
            S: 250 2.1.0 Ok
            C: RCPT TO:<b@example.com>
            S: 250 2.1.5 Ok
            C: DATA
            S: 354 End data with <CR><LF>.<CR><LF>
            C: x
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            """)
        #expect(messages.first?.envelope.transport == "SMTP")
        #expect(messages.first?.data == bytes(trace(with: "SMTP") + "x\r\n"))
    }

    @Test func simpleCommands() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: NOOP
            C: noop with an argument
            C: HELP
            C: VRFY someone
            C: VRFY
            C: EXPN list
            C: RSET
            C: RSET now
            C: FOO bar
            C:
            S: 250 2.0.0 Ok
            S: 250 2.0.0 Ok
            S: 214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP
            S: 252 2.5.2 Cannot VRFY user, but will accept message and attempt delivery
            S: 501 5.5.4 Syntax: VRFY address
            S: 502 5.5.1 Error: command not implemented
            S: 250 2.0.0 Ok
            S: 501 5.5.4 Syntax: RSET
            S: 500 5.5.2 Error: command not recognized
            S: 500 5.5.2 Error: bad syntax
            C: quit
            S: 221 2.0.0 Bye
            -- close
            """, feeds: [.lines, .bytes])
    }

    @Test func sequencing() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: MAIL FROM:<a@example.org>
            S: 503 5.5.1 Error: send HELO/EHLO first
            C: RCPT TO:<b@example.com>
            S: 503 5.5.1 Error: need MAIL command
            C: DATA
            S: 503 5.5.1 Error: need RCPT command
            C: EHLO
            S: 501 5.5.4 Syntax: EHLO hostname
            C: HELO
            S: 501 5.5.4 Syntax: HELO hostname
            C: EHLO client.test
            \(ehloReply)
            C: DATA
            S: 503 5.5.1 Error: need RCPT command
            C: RCPT TO:<b@example.com>
            C: MAIL FROM:<a@example.org>
            C: MAIL FROM:<c@example.org>
            C: DATA
            S: 503 5.5.1 Error: need MAIL command
            S: 250 2.1.0 Ok
            S: 503 5.5.1 Error: nested MAIL command
            S: 554 5.5.1 Error: no valid recipients
            C: RCPT TO:<b@example.com>
            C: DATA now
            S: 250 2.1.5 Ok
            S: 501 5.5.4 Syntax: DATA
            C: EHLO again.test
            \(ehloReply)
            C: RCPT TO:<b@example.com>
            S: 503 5.5.1 Error: need MAIL command
            """)
    }

    @Test func secondEhloResetsTheTransaction() {
        let messages = expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: HELO first.test
            S: 250 localhost
            C: MAIL FROM:<x@example.org>
            S: 250 2.1.0 Ok
            C: EHLO second.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            """)
        #expect(messages.first?.envelope.helo == "second.test")
        #expect(messages.first?.envelope.transport == "ESMTP")
        #expect(messages.first?.data == bytes(trace(helo: "second.test")))
    }

    @Test func rsetAbandonsTheTransactionAndSessionContinues() {
        let messages = expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<x@example.org>
            C: RCPT TO:<y@example.com>
            C: RSET
            C: MAIL FROM:<>
            C: RCPT TO:<b@example.com>
            C: RCPT TO:<c@example.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 250 2.0.0 Ok
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: one
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            C: MAIL FROM:<a@example.org> BODY=8BITMIME SIZE=100 SMTPUTF8
            C: RCPT TO:<b@example.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: two
            C: .
            S: 250 2.0.0 Ok: queued as ID2
            -- deliver ID2
            """)
        #expect(messages.count == 2)
        #expect(messages.first?.envelope.mailFrom == "")
        #expect(messages.first?.envelope.rcptTo == ["b@example.com", "c@example.com"])
        #expect(messages.first?.data == bytes(trace(from: "", rcpt: nil) + "one\r\n"))
        #expect(messages.last?.envelope.body == "8BITMIME")
        #expect(messages.last?.envelope.smtpUTF8 == true)
        #expect(messages.last?.data == bytes(trace(id: "ID2", with: "UTF8SMTP") + "two\r\n"))   // RFC 6531 §4.3
    }
}
