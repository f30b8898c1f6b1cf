import Testing
import MailgateCore
@testable import MailgateSMTP

@Suite("Limits, abuse and lifecycle")
struct LimitsTests {
    @Test func tooManyErrors() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: FOO
            C: RCPT TO:<b@example.com>
            S: 500 5.5.2 Error: command not recognized
            S: 503 5.5.1 Error: need MAIL command
            C: BAR
            S: 500 5.5.2 Error: command not recognized
            S: 421 4.7.0 localhost Error: too many errors
            -- log too_many_errors
            -- close
            """, configuration { $0.maxErrors = 3 })
    }

    @Test func tooManyRecipientsDoesNotCountAsErrors() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.com>
            C: RCPT TO:<c@example.com>
            C: RCPT TO:<d@example.com>
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 452 4.5.3 Error: too many recipients
            S: 452 4.5.3 Error: too many recipients
            -- log too_many_recipients
            -- log too_many_recipients
            """, configuration { $0.maxErrors = 2; $0.maxRecipients = 1 })
    }

    @Test func tooManyCommandsOutsideATransaction() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: NOOP
            C: MAIL FROM:<a@example.org>
            C: NOOP
            C: RSET
            C: VRFY x
            S: 250 2.0.0 Ok
            S: 250 2.1.0 Ok
            S: 250 2.0.0 Ok
            S: 250 2.0.0 Ok
            S: 421 4.7.0 localhost Error: too many non-mail commands
            -- log junk_commands
            -- close
            """, configuration { $0.maxNonTransactionCommands = 2 })
    }

    @Test func messagesPerConnection() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.com>
            C: BDAT 1 LAST
            c: x
            C: MAIL FROM:<a@example.org>
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 250 2.0.0 Ok: queued as ID1
            S: 421 4.7.0 localhost Error: too many messages in one connection
            -- deliver ID1
            -- log too_many_messages
            -- close
            """, configuration { $0.maxMessagesPerConnection = 1 })
    }

    @Test func commandLineTooLongIsDiscardedToTheNextLF() {
        let t = configuration { $0.maxCommandLine = 20 }
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: NOOP 1234567890123
            S: 250 2.0.0 Ok
            C: NOOP 12345678901234
            S: 500 5.5.2 Error: line too long
            -- log line_too_long
            C: NOOP 123456789012345678901234567890123456789012345678901234567890
            S: 500 5.5.2 Error: line too long
            -- log line_too_long
            C: NOOP
            S: 250 2.0.0 Ok
            """, t)
    }

    @Test func commandLineEndingInBareLF() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            c: NOOP<LF>
            S: 500 5.5.2 Error: bare <LF> received
            -- log bare_lf
            c: <LF>
            S: 500 5.5.2 Error: bare <LF> received
            -- log bare_lf
            C: NOOP
            S: 250 2.0.0 Ok
            """)
    }

    @Test(arguments: ["GET / HTTP/1.1", "POST /api HTTP/1.1", "CONNECT example.com:443 HTTP/1.1", "get / HTTP/1.0"])
    func httpOnTheSMTPPortClosesAtOnce(_ requestLine: String) {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: \(requestLine)
            C: Host: example.com
            C:
            -- log http_on_smtp
            -- close
            """)
    }

    @Test func earlyTalkerIsRefused() {
        expectTranscript("""
            C: EHLO client.test
            S: 554 5.5.1 Error: talked before greeting
            -- log early_talker
            -- close
            == start
            """)
    }

    @Test func earlyTalkerToleratedWhenConfigured() {
        expectTranscript("""
            C: EHLO client.test
            == start
            S: 220 localhost ESMTP Mailgate
            \(ehloReply)
            """, configuration { $0.rejectEarlyTalkers = false })
    }

    @Test func timeouts() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            == idle
            S: 421 4.4.2 localhost Error: timeout exceeded
            -- log idle_timeout
            -- close
            == idle
            """)
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            S: 250 2.1.0 Ok
            == session
            S: 421 4.4.2 localhost Error: session time limit exceeded
            -- log session_timeout
            -- close
            C: RCPT TO:<b@example.com>
            """)
    }

    @Test func shutdownOutsideATransactionIsImmediate() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            == shutdown
            S: 421 4.3.2 localhost Service shutting down
            -- close
            """)
    }

    @Test func shutdownWaitsForTheTransactionsFinalReply() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            S: 250 2.1.0 Ok
            == shutdown
            C: RCPT TO:<b@example.com>
            C: DATA
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: x
            C: .
            C: MAIL FROM:<a@example.org>
            S: 250 2.0.0 Ok: queued as ID1
            S: 421 4.3.2 localhost Service shutting down
            -- deliver ID1
            -- close
            """)
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            S: 250 2.1.0 Ok
            == shutdown
            C: RSET
            C: NOOP
            S: 250 2.0.0 Ok
            S: 421 4.3.2 localhost Service shutting down
            -- close
            """)
    }

    @Test func shutdownWhileAwaitingDelivery() {
        let session = SMTPSession(configuration: SMTPConfiguration(), peer: SMTPPeer(address: "192.0.2.1", port: 1),
                                  now: { Transcript.now }, makeID: { "Q1" })
        _ = session.start()
        _ = session.receive(bytes("EHLO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n"))
        #expect(session.receive(bytes("x\r\n.\r\n")).count == 1)
        #expect(session.shutdown().isEmpty)
        #expect(session.deliveryCompleted(.stored) == [
            .send(bytes("250 2.0.0 Ok: queued as Q1\r\n421 4.3.2 localhost Service shutting down\r\n")), .close,
        ])
        #expect(session.isClosed)
    }

    @Test func forceShutdownInATransaction() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            == shutdown
            C: partial content
            == force
            S: 421 4.3.2 localhost Service shutting down
            -- close
            """)
    }
}
