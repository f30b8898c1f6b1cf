import Testing
@testable import MailgateMIME

@Suite struct CharsetTests {
    @Test func iconvCharsets() {
        let jis: [UInt8] = [27, 36, 66, 36, 51, 36, 115, 36, 75, 36, 65, 36, 79, 64, 36, 51, 38, 27, 40, 66]
        #expect(decodeCharset(jis, "ISO-2022-JP") == "こんにちは世界")
        #expect(decodeCharset([130, 177, 130, 241, 130, 201, 130, 191, 130, 205, 144, 162, 138, 69], "shift_jis") == "こんにちは世界")
        #expect(decodeCharset([0x5C, 0x7E], "Shift_JIS") == "\\~")  // CP932 reading, as mailers mean it
        #expect(decodeCharset([164, 179, 164, 243, 164, 203, 164, 193, 164, 207, 192, 164, 179, 166], "EUC-JP") == "こんにちは世界")
        #expect(decodeCharset([196, 227, 186, 195, 163, 172, 202, 192, 189, 231], "GB2312") == "你好，世界")
        #expect(decodeCharset([196, 227, 186, 195, 163, 172, 202, 192, 189, 231], "GBK") == "你好，世界")
        // GB18030 two- and four-byte sequences, beyond GBK.
        #expect(decodeCharset([168, 166, 162, 227, 148, 57, 252, 54], "GB18030") == "é€😀")
        #expect(decodeCharset([167, 65, 166, 110, 161, 65, 165, 64, 172, 201], "Big5") == "你好，世界")
        #expect(decodeCharset([240, 210, 201, 215, 197, 212, 44, 32, 205, 201, 210], "KOI8-R") == "Привет, мир")
        #expect(decodeCharset([240, 210, 201, 215, 166, 212, 44, 32, 211, 215, 166, 212], "koi8-u") == "Привіт, світ")
        #expect(decodeCharset([190, 200, 179, 231, 199, 207, 188, 188, 191, 228], "EUC-KR") == "안녕하세요")
        #expect(decodeCharset([90, 97, 191, 243, 179, 230], "windows-1250") == "Zażółć")
        #expect(decodeCharset([207, 240, 232, 226, 229, 242], "cp1251") == "Привет")
        #expect(decodeCharset([202, 225, 235, 231, 236, 221, 241, 225], "ISO-8859-7") == "Καλημέρα")
        #expect(decodeCharset([227, 209, 205, 200, 199], "windows-1256") == "مرحبا")
        #expect(decodeCharset([80, 114, 105, 120, 58, 32, 49, 48, 164], "ISO-8859-15") == "Prix: 10€")
    }

    @Test func everyListedCharsetOpens() {
        var names = ["UTF-8", "US-ASCII", "ISO-2022-JP", "Shift_JIS", "EUC-JP", "EUC-KR", "GB2312", "GBK", "GB18030",
                     "Big5", "KOI8-R", "KOI8-U"]
        for n in 1...15 where n != 12 { names.append("ISO-8859-\(n)") }
        for n in 0...8 { names.append("windows-125\(n)") }
        for name in names {
            // "A" + one 8-bit octet that every one of them defines or replaces without failing.
            let s = decodeCharset([0x41, 0x42], name)
            #expect(s == "AB", "\(name)")
            guard case .iconv(let iconvName)? = Charset.named(name) else { continue }
            var out = [UInt8]()
            let ok = [UInt8]([0x41]).withUnsafeBufferPointer { IconvPool.shared.convert($0, from: iconvName, to: &out) }
            #expect(ok, "iconv cannot open \(iconvName)")
        }
    }

    @Test func windows1252AndLatin1() {
        #expect(decodeCharset([67, 97, 102, 233, 32, 147, 113, 148, 32, 128, 0x81], "windows-1252") == "Café “q” €\u{81}")
        #expect(decodeCharset([0xE9], "ISO-8859-1") == "é")
        #expect(decodeCharset([0xE9], "latin1") == "é")
    }

    @Test func brokenInputNeverFails() {
        // Invalid sequences become U+FFFD and decoding goes on.
        #expect(decodeCharset([0x41, 0xFF, 0x42], "EUC-JP") == "A\u{FFFD}B")
        #expect(decodeCharset([0x41, 0xA4], "EUC-JP") == "A\u{FFFD}")                 // truncated at the end
        #expect(decodeCharset([0x61, 0xC3], "utf-8") == "a\u{FFFD}")
        // Unknown charset: UTF-8 when it is, Windows-1252 otherwise.
        #expect(decodeCharset(Array("ü".utf8), "x-klingon") == "ü")
        #expect(decodeCharset([0xFC], "x-klingon") == "ü")
        #expect(decodeCharset([0xFC], "") == "ü")
        // US-ASCII with 8-bit octets: the same fallback.
        #expect(decodeCharset(Array("ü".utf8), "us-ascii") == "ü")
        #expect(decodeCharset([0xFC], "us-ascii") == "ü")
        // A stateful decoder is reset between uses from the pool.
        let unterminated: [UInt8] = [27, 36, 66, 36, 51]
        _ = decodeCharset(unterminated, "ISO-2022-JP")
        #expect(decodeCharset([0x41], "ISO-2022-JP") == "A")
    }

    @Test func bodiesInCharsets() {
        let m = MIMEParser.parse(bytes("""
            Content-Type: multipart/alternative; boundary=b

            --b
            Content-Type: text/plain; charset=KOI8-R
            Content-Transfer-Encoding: 8bit

            """, [240, 210, 201, 215, 197, 212], """

            --b
            Content-Type: text/html; charset="Shift_JIS"

            <p>
            """, [130, 177, 130, 241], """
            </p>
            --b--
            """))
        #expect(m.text == "Привет")
        #expect(m.html == "<p>こん</p>")
    }
}
