import Testing
import MailgateCore
@testable import MailgateSMTP

@Suite("MAIL and RCPT syntax")
struct PathAndParameterTests {
    private func parse(_ s: String) -> Path? {
        Array(s.utf8).withUnsafeBufferPointer { PathParser.parse($0)?.path }
    }

    @Test func validPaths() {
        #expect(parse("<>") == .null)
        #expect(parse("<a@example.com>") == .mailbox("a@example.com", nonASCII: false))
        #expect(parse("a@example.com") == .mailbox("a@example.com", nonASCII: false))
        #expect(parse("<@relay.example,@other.example:a@example.com>") == .mailbox("a@example.com", nonASCII: false))
        #expect(parse("<\"john doe\"@example.com>") == .mailbox("\"john doe\"@example.com", nonASCII: false))
        #expect(parse("<\"a\\\"b\"@example.com>") == .mailbox("\"a\\\"b\"@example.com", nonASCII: false))
        #expect(parse("<user@[192.0.2.1]>") == .mailbox("user@[192.0.2.1]", nonASCII: false))
        #expect(parse("<user@[IPv6:2001:db8::1]>") == .mailbox("user@[IPv6:2001:db8::1]", nonASCII: false))
        #expect(parse("<Postmaster>") == .postmaster("Postmaster"))
        #expect(parse("<POSTMASTER>") == .postmaster("POSTMASTER"))
        #expect(parse("<first.last+tag@sub_domain.example.com>") == .mailbox("first.last+tag@sub_domain.example.com", nonASCII: false))
        #expect(parse("<jürgen@bücher.example>") == .mailbox("jürgen@bücher.example", nonASCII: true))
    }

    @Test func invalidPaths() {
        for bad in ["", "<", "<a@example.com", "<a>", "<user>", "<@example.com>", "<a@>", "<a b@example.com>",
                    "<a@-example.com>", "<a@example-.com>", "<a@example..com>", "<a@example.com.>",
                    "<a@[192.0.2.256]>", "<a@[1.2.3]>", "<a@[IPv6:zz::1]>", "<\"unterminated@example.com>",
                    "<@relay.example a@example.com>", "<a@example.com>x", "<a@ex(ample).com>",
                    "a@example.com<"] {
            #expect(parse(bad) == nil, "\(bad)")
        }
        // Invalid UTF-8 is not an address even with SMTPUTF8.
        let invalidUTF8: [UInt8] = Array("<a".utf8) + [0xC3, 0x28] + Array("@example.com>".utf8)
        #expect(invalidUTF8.withUnsafeBufferPointer { PathParser.parse($0) } == nil)
    }

    @Test func mailSyntaxReplies() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL TO:<a@example.org>
            C: MAIL FROM <a@example.org>
            C: MAIL FROM:<a b@example.org>
            C: MAIL FROM:<Postmaster>
            C: MAIL FROM:<a@example.org> FOO=bar
            C: MAIL FROM:<a@example.org> =x
            C: MAIL FROM:<a@example.org> SIZE=abc
            C: MAIL FROM:<a@example.org> SIZE
            C: MAIL FROM:<a@example.org> SIZE=26214401
            C: MAIL FROM:<a@example.org> SIZE=99999999999999999999
            C: MAIL FROM:<a@example.org> BODY=9BIT
            C: MAIL FROM:<a@example.org> SMTPUTF8=yes
            C: MAIL FROM:<jürgen@example.org>
            S: 501 5.5.4 Syntax: MAIL FROM:<address>
            S: 501 5.5.4 Syntax: MAIL FROM:<address>
            S: 501 5.1.7 Bad sender address syntax
            S: 501 5.1.7 Bad sender address syntax
            S: 555 5.5.4 Unsupported option: FOO=bar
            S: 501 5.5.4 Error: bad parameter syntax
            S: 501 5.5.4 Bad message size syntax
            S: 501 5.5.4 Bad message size syntax
            S: 552 5.3.4 Message size exceeds fixed limit
            S: 552 5.3.4 Message size exceeds fixed limit
            S: 501 5.5.4 Bad BODY keyword value
            S: 501 5.5.4 Bad SMTPUTF8 parameter syntax
            S: 553 5.6.7 Must declare SMTPUTF8 to send unicode address
            -- log message_too_big
            -- log message_too_big
            C: mail from: <a@example.org> size=26214400 body=binarymime
            S: 250 2.1.0 Ok
            """)
    }

    @Test func rcptSyntaxReplies() {
        let messages = expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org>
            C: RCPT FROM:<b@example.com>
            C: RCPT TO:<>
            C: RCPT TO:<b@>
            C: RCPT TO:<b@example.com> NOTIFY=NEVER
            C: RCPT TO:<jürgen@example.com>
            C: RCPT TO:<postmaster>
            C: RCPT TO: <@relay.example:b@example.com>
            C: RCPT TO:b2@example.com
            C: RCPT TO:<"quoted local"@[192.0.2.7]>
            C: DATA
            S: 250 2.1.0 Ok
            S: 501 5.5.4 Syntax: RCPT TO:<address>
            S: 501 5.1.3 Bad recipient address syntax
            S: 501 5.1.3 Bad recipient address syntax
            S: 555 5.5.4 Unsupported option: NOTIFY=NEVER
            S: 553 5.6.7 Must declare SMTPUTF8 to send unicode address
            S: 250 2.1.5 Ok
            S: 250 2.1.5 Ok
            S: 250 2.1.5 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            """)
        #expect(messages.first?.envelope.rcptTo == ["postmaster", "b@example.com", "b2@example.com",
                                                     "\"quoted local\"@[192.0.2.7]"])
    }

    @Test func smtpUTF8Addresses() {
        let messages = expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<jürgen@bücher.example> SMTPUTF8
            C: RCPT TO:<δοκιμή@παράδειγμα.δοκιμή>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: Subject: ü
            C: .
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            """)
        #expect(messages.first?.envelope.mailFrom == "jürgen@bücher.example")
        #expect(messages.first?.envelope.rcptTo == ["δοκιμή@παράδειγμα.δοκιμή"])
        #expect(messages.first?.envelope.smtpUTF8 == true)
        #expect(messages.first?.data == bytes(trace(from: "jürgen@bücher.example", rcpt: "δοκιμή@παράδειγμα.δοκιμή", with: "UTF8SMTP")
                                              + "Subject: ü\r\n"))
    }

    @Test func binaryMIMERequiresBDAT() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: MAIL FROM:<a@example.org> BODY=BINARYMIME
            C: RCPT TO:<b@example.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 503 5.5.1 Error: BODY=BINARYMIME requires BDAT
            """)
    }
}
