import Testing
@testable import MailgateMIME

@Suite struct AddressListTests {
    @Test func bareAndAngle() {
        #expect(addresses("a@x.test") == [addr("", "a@x.test")])
        #expect(addresses("<a@x.test>") == [addr("", "a@x.test")])
        #expect(addresses("Alice Smith <a@x.test>, b@y.test") == [addr("Alice Smith", "a@x.test"), addr("", "b@y.test")])
    }

    @Test func quotedDisplayNames() {
        #expect(addresses(#""Smith, Alice" <a@x.test>"#) == [addr("Smith, Alice", "a@x.test")])
        #expect(addresses(#""A \"quoted\" name" <a@x.test>"#) == [addr(#"A "quoted" name"#, "a@x.test")])
        #expect(addresses("John Q. Public <jqp@x.test>") == [addr("John Q. Public", "jqp@x.test")])
    }

    @Test func comments() {
        #expect(addresses("a@x.test (Alice)") == [addr("Alice", "a@x.test")])
        #expect(addresses("Alice (the first) <a@x.test>") == [addr("Alice", "a@x.test")])
        #expect(addresses("a(c1)@(c2)x.test") == [addr("c1", "a@x.test")])
        #expect(addresses("(nested (comment)) <a@x.test>") == [addr("nested (comment)", "a@x.test")])
    }

    @Test func groups() {
        #expect(addresses("undisclosed-recipients:;") == [])
        #expect(addresses(#"Team: a@x.test, "B" <b@x.test>;, c@x.test"#)
            == [addr("", "a@x.test"), addr("B", "b@x.test"), addr("", "c@x.test")])
        #expect(addresses("Empty: ; Full: d@x.test;") == [addr("", "d@x.test")])
    }

    @Test func routeSyntax() {
        #expect(addresses("Bob <@relay1.test,@relay2.test:bob@x.test>") == [addr("Bob", "bob@x.test")])
    }

    @Test func quotedLocalParts() {
        #expect(addresses(#""john doe"@x.test"#) == [addr("", #""john doe"@x.test"#)])
        #expect(addresses(#""john"@x.test"#) == [addr("", "john@x.test")])
        #expect(addresses("a . b @ x.test") == [addr("", "a.b@x.test")])
        #expect(addresses("user@[192.0.2.1]") == [addr("", "user@[192.0.2.1]")])
    }

    @Test func encodedWordsInDisplayNames() {
        #expect(addresses("=?UTF-8?B?SsO2cmc=?= <j@x.test>") == [addr("Jörg", "j@x.test")])
        #expect(addresses("=?iso-8859-1?Q?Andr=E9?= =?iso-8859-1?Q?_Pirard?= <p@x.test>") == [addr("André Pirard", "p@x.test")])
        #expect(addresses(#""=?utf-8?q?Zo=C3=AB?=" <z@x.test>"#) == [addr("Zoë", "z@x.test")])
        #expect(addresses("=?koi8-r?B?8NLJ18XU?= <r@x.test>") == [addr("Привет", "r@x.test")])
    }

    @Test func malformedDoesNotLoseAddresses() {
        #expect(addresses("Alice <a@x.test") == [addr("Alice", "a@x.test")])
        #expect(addresses(",, a@x.test ,") == [addr("", "a@x.test")])
        #expect(addresses("<>") == [])
        #expect(addresses("Alice <a@x.test> junk, b@x.test") == [addr("Alice", "a@x.test"), addr("", "b@x.test")])
        #expect(addresses("undisclosed") == [addr("", "undisclosed")])
        #expect(addresses(#""unterminated <a@x.test>"#) == [addr("", #""unterminated <a@x.test>""#)])
    }

    @Test func allAddressHeaders() {
        let m = parse("""
            From: A <a@x.test>
            Sender: S <s@x.test>, t@x.test
            Reply-To: r@x.test
            To: t1@x.test
            Cc: C <c@x.test>
            Bcc: b@x.test
            To: t2@x.test

            """)
        #expect(m.from == [addr("A", "a@x.test")])
        #expect(m.sender == addr("S", "s@x.test"))
        #expect(m.replyTo == [addr("", "r@x.test")])
        #expect(m.to == [addr("", "t1@x.test"), addr("", "t2@x.test")])
        #expect(m.cc == [addr("C", "c@x.test")])
        #expect(m.bcc == [addr("", "b@x.test")])
    }
}
