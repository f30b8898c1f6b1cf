import Testing
import MailgateCore
@testable import MailgateSMTP

@Suite("Recipient policy")
struct RecipientPolicyTests {
    @Test func acceptListOfDomainsAndAddresses() {
        let t = configuration { $0.acceptList = ["Example.com", "Someone@Other.ORG"] }
        let messages = expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@EXAMPLE.COM>
            C: RCPT TO:<b@sub.example.com>
            C: RCPT TO:<someone@other.org>
            C: RCPT TO:<else@other.org>
            C: RCPT TO:<Postmaster>
            C: RCPT TO:<postmaster@elsewhere.test>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 550 5.1.1 <b@sub.example.com>: Recipient address rejected: User unknown
            S: 250 2.1.5 Ok
            S: 550 5.1.1 <else@other.org>: Recipient address rejected: User unknown
            S: 250 2.1.5 Ok
            S: 550 5.1.1 <postmaster@elsewhere.test>: Recipient address rejected: User unknown
            S: 354 End data with <CR><LF>.<CR><LF>
            -- log recipient_rejected
            -- log recipient_rejected
            -- log recipient_rejected
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            """, t)
        #expect(messages.first?.envelope.rcptTo == ["b@EXAMPLE.COM", "someone@other.org", "Postmaster"])
    }

    @Test func allRecipientsRejectedMeansNoValidRecipients() {
        let t = configuration { $0.acceptList = ["example.com"] }
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.net>
            C: DATA
            S: 250 2.1.0 Ok
            S: 550 5.1.1 <b@example.net>: Recipient address rejected: User unknown
            S: 554 5.5.1 Error: no valid recipients
            -- log recipient_rejected
            """, t)
    }

    @Test func recipientLimitRepliesForEachExtraAndKeepsTheAccepted() {
        let t = configuration { $0.maxRecipients = 2 }
        let messages = expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<r1@example.com>
            C: RCPT TO:<r2@example.com>
            C: RCPT TO:<r3@example.com>
            C: RCPT TO:<r4@example.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 250 2.1.5 Ok
            S: 452 4.5.3 Error: too many recipients
            S: 452 4.5.3 Error: too many recipients
            S: 354 End data with <CR><LF>.<CR><LF>
            -- log too_many_recipients
            -- log too_many_recipients
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            """, t)
        #expect(messages.first?.envelope.rcptTo == ["r1@example.com", "r2@example.com"])
        #expect(messages.first?.data == bytes(trace(rcpt: nil)))
    }

    @Test func acceptPolicyMatching() {
        let p = AcceptPolicy(["example.com", "a@b.c", ""])
        #expect(p.accepts(mailbox: "x@Example.Com"))
        #expect(p.accepts(mailbox: "A@B.C"))
        #expect(!p.accepts(mailbox: "b@b.c"))
        #expect(p.accepts(mailbox: "\"x@y\"@example.com"))
        #expect(!p.accepts(mailbox: "x@example.com.evil"))
        #expect(AcceptPolicy([]).accepts(mailbox: "anyone@anywhere.test"))
    }
}
