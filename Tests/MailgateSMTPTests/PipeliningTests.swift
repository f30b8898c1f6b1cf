import Testing
import MailgateCore
@testable import MailgateSMTP

@Suite("Pipelining (RFC 2920) and delivery")
struct PipeliningTests {
    @Test func commandsAfterTheFinalDotWaitForTheDelivery() {
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
            C: first
            C: .
            C: MAIL FROM:<c@example.org>
            C: RCPT TO:<d@example.com>
            C: DATA
            S: 250 2.0.0 Ok: queued as ID1
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            -- deliver ID1
            C: second
            C: .
            C: QUIT
            S: 250 2.0.0 Ok: queued as ID2
            S: 221 2.0.0 Bye
            -- deliver ID2
            -- close
            """)
        #expect(messages.map(\.envelope.mailFrom) == ["a@example.org", "c@example.org"])
        #expect(messages.last?.data == bytes(trace(from: "c@example.org", id: "ID2", rcpt: "d@example.com") + "second\r\n"))
    }

    @Test func bdatLastFollowedByCommands() {
        expectTranscript("""
            \(openTransaction)
            C: BDAT 3 LAST
            c: abcMAIL FROM:<c@example.org><CR><LF>
            C: RCPT TO:<d@example.com>
            C: BDAT 2 LAST
            c: xy
            S: 250 2.0.0 Ok: queued as ID1
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 250 2.0.0 Ok: queued as ID2
            -- deliver ID1
            -- deliver ID2
            """)
    }

    @Test func inputWhileAwaitingDeliveryIsOnlyBuffered() {
        let session = SMTPSession(configuration: SMTPConfiguration(), peer: SMTPPeer(address: "192.0.2.1", port: 1),
                                  now: { Transcript.now }, makeID: { "Q1" })
        _ = session.start()
        _ = session.receive(bytes("EHLO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n"))
        let actions = session.receive(bytes("x\r\n.\r\nNOOP\r\nNO"))
        #expect(actions.count == 1)
        guard case .deliver(let message) = actions.first else {
            Issue.record("expected a delivery, got \(actions)")
            return
        }
        #expect(message.id == "Q1")
        #expect(session.isAwaitingDelivery)
        #expect(session.bufferedByteCount == 8)
        #expect(session.receive(bytes("OP\r\n")).isEmpty)
        #expect(session.bufferedByteCount == 12)
        #expect(session.deliveryCompleted(.stored) == [
            .send(bytes("250 2.0.0 Ok: queued as Q1\r\n250 2.0.0 Ok\r\n250 2.0.0 Ok\r\n")),
        ])
        #expect(!session.isAwaitingDelivery)
        #expect(session.bufferedByteCount == 0)
        #expect(session.deliveryCompleted(.stored).isEmpty)
    }

    @Test func storageFailureAndDiskFull() {
        var t = Transcript()
        t.outcome = .temporaryFailure
        let script = """
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: x
            C: .
            C: NOOP
            S: %@
            S: 250 2.0.0 Ok
            -- deliver ID1
            """
        expectTranscript(script.replacingAll("%@", "451 4.3.0 Error: queue file write error"), t)
        t.outcome = .diskFull
        expectTranscript(script.replacingAll("%@", "452 4.3.1 Insufficient system storage"), t)
    }

    @Test func heloClientMustNotPipeline() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: HELO client.test
            C: MAIL FROM:<a@example.org>
            S: 554 5.5.0 Error: SMTP protocol synchronization
            -- log pipelining_violation
            -- close
            """, feeds: [.whole])
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: HELO client.test
            S: 250 localhost
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.com>
            S: 554 5.5.0 Error: SMTP protocol synchronization
            -- log pipelining_violation
            -- close
            """, feeds: [.whole])
    }

    @Test func commandsBeforeAnyEhloMustNotBePipelined() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: NOOP
            C: EHLO client.test
            S: 554 5.5.0 Error: SMTP protocol synchronization
            -- log pipelining_violation
            -- close
            """, feeds: [.whole])
    }

    @Test func contentBefore354IsASynchronizationError() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.com>
            C: DATA
            C: Subject: too early
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 554 5.5.0 Error: SMTP protocol synchronization
            -- log pipelining_violation
            -- close
            """, feeds: [.whole])
    }

    @Test func aHeloClientThatWaitsIsFine() {
        expectTranscript("""
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
            C: QUIT
            S: 221 2.0.0 Bye
            -- close
            """)
    }
}
