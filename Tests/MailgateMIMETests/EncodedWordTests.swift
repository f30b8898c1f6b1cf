import Testing
@testable import MailgateMIME

@Suite struct EncodedWordTests {
    @Test func bAndQ() {
        #expect(decodeHeader("=?UTF-8?B?R3LDvMOfZQ==?=") == "Grüße")
        #expect(decodeHeader("=?utf-8?q?Gr=C3=BC=c3=9fe_dich?=") == "Grüße dich")
        #expect(decodeHeader("=?ISO-8859-1?Q?a?=") == "a")
        #expect(decodeHeader("=?utf-8?Q??=") == "")
    }

    @Test func adjacentWordsAreJoined() {
        // RFC 2047 §8 examples.
        #expect(decodeHeader("(=?ISO-8859-1?Q?a?=)") == "(a)")
        #expect(decodeHeader("=?ISO-8859-1?Q?a?= b") == "a b")
        #expect(decodeHeader("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=") == "ab")
        #expect(decodeHeader("=?ISO-8859-1?Q?a?=  \r\n   =?ISO-8859-1?Q?b?=") == "ab")
        #expect(decodeHeader("=?ISO-8859-1?Q?a_b?=") == "a b")
        #expect(decodeHeader("=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=") == "a b")
        #expect(decodeHeader("Re: =?utf-8?Q?caf=C3=A9?= ok") == "Re: café ok")
    }

    @Test func multiByteCharacterSplitAcrossWords() {
        // "é" = C3 A9 split over two words of the same charset.
        #expect(decodeHeader("=?utf-8?Q?caf=C3?= =?utf-8?Q?=A9?=") == "café")
        #expect(decodeHeader("=?utf-8?B?w6k=?==?utf-8?B?w6k=?=") == "éé")
    }

    @Test func charsets() {
        #expect(decodeHeader("=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkT0AkMyYbKEI=?=") == "こんにちは世界")
        #expect(decodeHeader("=?Shift_JIS?B?grGC8YLJgr+CzZCiikU=?=") == "こんにちは世界")
        #expect(decodeHeader("=?euc-jp?B?pLOk86TLpMGkz8Cks6Y=?=") == "こんにちは世界")
        #expect(decodeHeader("=?GB2312?B?xOO6w6OsysC95w==?=") == "你好，世界")
        #expect(decodeHeader("=?gb18030?B?xOO6w6OsysC95w==?=") == "你好，世界")
        #expect(decodeHeader("=?big5?B?p0GmbqFBpUCsyQ==?=") == "你好，世界")
        #expect(decodeHeader("=?KOI8-R?B?8NLJ18XULCDNydI=?=") == "Привет, мир")
        #expect(decodeHeader("=?koi8-u?B?8NLJ16bULCDT16bU?=") == "Привіт, світ")
        #expect(decodeHeader("=?euc-kr?B?vsiz58fPvLy/5A==?=") == "안녕하세요")
        #expect(decodeHeader("=?iso-8859-2?B?WmG/87PmIGfqtmyx?=") == "Zażółć gęślą")
        #expect(decodeHeader("=?windows-1251?B?z/Do4uXy?=") == "Привет")
        #expect(decodeHeader("=?iso-8859-15?Q?Prix:_10=A4?=") == "Prix: 10€")
        #expect(decodeHeader("=?utf-8*en?Q?hi?=") == "hi")
    }

    @Test func unknownAndBrokenCharsetsFallBack() {
        // Unknown charset: UTF-8 if the octets are UTF-8, else Windows-1252.
        #expect(decodeHeader("=?x-unknown?Q?caf=C3=A9?=") == "café")
        #expect(decodeHeader("=?x-unknown?Q?caf=E9?=") == "café")
        #expect(decodeHeader("=?bad/name?Q?x?=") == "x")
        // Declared UTF-8 that is not: U+FFFD, the rest kept.
        #expect(decodeHeader("=?utf-8?Q?a=FFb?=") == "a\u{FFFD}b")
        // Not encoded words: kept as written.
        #expect(decodeHeader("=?utf-8?X?abc?=") == "=?utf-8?X?abc?=")
        #expect(decodeHeader("=?utf-8?Q?no end") == "=?utf-8?Q?no end")
        #expect(decodeHeader("a =? b") == "a =? b")
        #expect(decodeHeader("=?utf-8?Q?bad=ZZescape?=") == "bad=ZZescape")
    }
}
