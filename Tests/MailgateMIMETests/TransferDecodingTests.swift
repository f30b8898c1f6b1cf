import Testing
@testable import MailgateMIME

@Suite struct TransferDecodingTests {
    func decode(_ s: String, _ cte: String) -> [UInt8] {
        Array(s.utf8).withUnsafeBytes { TransferDecoding.decode($0, transferEncoding: cte) }
    }

    @Test func base64() {
        #expect(decode("SGVsbG8=", "base64") == Array("Hello".utf8))
        #expect(decode("SGVs\r\nbG8=\r\n", "BASE64") == Array("Hello".utf8))
        #expect(decode(" S G V s b G 8 ", "base64") == Array("Hello".utf8))    // whitespace anywhere
        #expect(decode("SGVsbG8", "base64") == Array("Hello".utf8))            // missing padding
        #expect(decode("SGVsbA", "base64") == Array("Hell".utf8))
        #expect(decode("SGVsbG8===", "base64") == Array("Hello".utf8))         // extra padding
        #expect(decode("SGVs*bG8!", "base64") == Array("Hello".utf8))          // garbage ignored
        #expect(decode("SA==\r\nZQ==\r\n", "base64") == Array("He".utf8))      // padded line by line
        #expect(decode("SGVsbG8gA", "base64") == Array("Hello ".utf8))         // lone sextet dropped
        #expect(decode("", "base64") == [])
    }

    @Test func quotedPrintable() {
        #expect(decode("caf=C3=A9", "quoted-printable") == Array("café".utf8))
        #expect(decode("caf=c3=a9", "quoted-printable") == Array("café".utf8))       // lower-case hex
        #expect(decode("soft=\r\nbreak=\nhere", "quoted-printable") == Array("softbreakhere".utf8))
        #expect(decode("pad= \t\r\nded", "quoted-printable") == Array("padded".utf8)) // padding after "="
        #expect(decode("a=ZZb=4", "quoted-printable") == Array("a=ZZb=4".utf8))      // bad escapes kept
        #expect(decode("end=", "quoted-printable") == Array("end".utf8))
        #expect(decode("trail  \r\nx\t\r\n", "quoted-printable") == Array("trail\r\nx\r\n".utf8))
        #expect(decode("a = b", "quoted-printable") == Array("a = b".utf8))
    }

    @Test func identityEncodings() {
        for cte in ["7bit", "8bit", "binary", "x-unknown", ""] {
            #expect(decode("a\r\nb=C3", cte) == Array("a\r\nb=C3".utf8))
        }
    }

    @Test func bodiesDecodeThroughTheParser() {
        let m = parse("""
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: Quoted-Printable

            Gr=C3=BC=C3=9Fe, this is a long line that was wrapped =
            softly.
            """)
        #expect(m.text == "Grüße, this is a long line that was wrapped softly.")
        let b = parse("""
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            R3LDvMOfZQ0KbGluZSAy
            """)
        #expect(b.text == "Grüße\nline 2")
    }
}
