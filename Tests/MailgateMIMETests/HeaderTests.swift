import Testing
@testable import MailgateMIME

@Suite struct HeaderTests {
    @Test func orderDuplicatesAndUnfolding() {
        let m = parse("""
            Received: from a by b;
            \tSat, 28 Nov 2026 12:00:00 +0000
            X-Tag: one
            Subject: a folded
             subject line
            X-Tag: two
            x-tag:three

            body
            """)
        #expect(m.headers.map(\.name) == ["Received", "X-Tag", "Subject", "X-Tag", "x-tag"])
        #expect(m.headers.map(\.value) == ["from a by b;\tSat, 28 Nov 2026 12:00:00 +0000", "one",
                                           "a folded subject line", "two", "three"])
        #expect(m.subject == "a folded subject line")
        #expect(m.text == "body")
        #expect(m.header("x-TAG") == "one")
    }

    @Test func obsoleteSpaceBeforeColonAndBareLF() {
        let m = MIMEParser.parse(Array("Subject : old style\nTo: a@b.test\n\nhi\n".utf8))
        #expect(m.subject == "old style")
        #expect(m.to == [addr("", "a@b.test")])
        #expect(m.text == "hi\n")
    }

    @Test func lineThatIsNotAFieldStartsTheBody() {
        let m = parse("""
            Subject: s
            this line has no colon
            more

            """)
        #expect(m.headers.count == 1)
        #expect(m.text == "this line has no colon\nmore\n")
    }

    @Test func mboxFromLineIsSkipped() {
        let m = parse("From someone@x Sat Nov 28 12:00:00 2026\nSubject: s\n\nb")
        #expect(m.subject == "s")
        #expect(m.headers.count == 1)
    }

    @Test func utf8AndEightBitHeaderBytes() {
        // RFC 6532 UTF-8 is kept; other 8-bit octets are read as Windows-1252.
        let m = MIMEParser.parse(bytes("Subject: Grüße\nX-Latin: caf", [0xE9, 0x80], "\nFrom: Jörg <jörg@bücher.test>\n\n"))
        #expect(m.subject == "Grüße")
        #expect(m.header("x-latin") == "café€")
        #expect(m.from == [addr("Jörg", "jörg@bücher.test")])
    }

    @Test func headersOnlyNoBody() {
        let m = parse("Subject: only headers")
        #expect(m.subject == "only headers")
        #expect(m.text == "")
        #expect(m.attachments.isEmpty)
    }

    @Test func headerCountLimitKeepsTheBody() {
        var s = ""
        for i in 0..<50 { s += "X-N: \(i)\n" }
        let m = parse(s + "\nbody", limits: MIMELimits(maxHeaderCount: 10))
        #expect(m.headers.count == 10)
        #expect(m.text == "body")
    }

    @Test func messageIDsAndReferences() {
        let m = parse("""
            Message-ID: <abc@x.test>
            In-Reply-To: "phrase" <p1@x.test> (comment)
            References: <r1@x.test>
              <r2@x.test> <r 3@x.test>

            """)
        #expect(m.messageID == "<abc@x.test>")
        #expect(m.inReplyTo == "<p1@x.test>")
        #expect(m.references == ["<r1@x.test>", "<r2@x.test>", "<r3@x.test>"])
        #expect(parse("Message-ID: bare@x.test (c)\n\n").messageID == "bare@x.test")
        #expect(parse("Subject: none\n\n").messageID == nil)
    }
}
