import Testing
@testable import MailgateMIME

@Suite struct ParameterTests {
    func header(_ s: String) -> ContentHeader { ContentHeader(Array(s.utf8)) }

    @Test func plainAndQuoted() {
        let h = header(#"Text/Plain (comment); charset="UTF-8"; format=flowed ; name = "a \"b\".txt""#)
        #expect(h.value == "text/plain")
        #expect(h.parameter("charset") == "UTF-8")
        #expect(h.parameter("format") == "flowed")
        #expect(h.parameter("name") == #"a "b".txt"#)
        #expect(h.parameter("missing") == nil)
        #expect(header("attachment; filename=my file.pdf").parameter("filename") == "my file.pdf")
    }

    @Test func rfc2231() {
        // RFC 2231 §4 charset and language, percent-encoding.
        #expect(header("attachment; filename*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A").parameter("filename")
            == "This is ***fun***")
        #expect(header("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf").parameter("filename") == "résumé.pdf")
        #expect(header("attachment; filename*=iso-8859-1''caf%E9.txt").parameter("filename") == "café.txt")
        // §3 continuations, in any order, mixing encoded and plain sections.
        #expect(header(#"attachment; filename*1="second "; filename*0="first "; filename*2=third"#).parameter("filename")
            == "first second third")
        #expect(header("attachment; filename*0*=UTF-8''%E6%97%A5; filename*1*=%E6%9C%AC; filename*2=.txt").parameter("filename")
            == "日本.txt")
        // The RFC 2231 form wins over a plain fallback.
        #expect(header(#"attachment; filename="fallback.txt"; filename*=UTF-8''real.txt"#).parameter("filename") == "real.txt")
        // A bad percent escape is kept.
        #expect(header("attachment; filename*=UTF-8''100%.txt").parameter("filename") == "100%.txt")
    }

    @Test func encodedWordInFilename() {
        #expect(header(#"attachment; filename="=?UTF-8?B?5pel5pys44GuLnR4dA==?=""#).parameter("filename") == "日本の.txt")
    }

    @Test func filenameSanitising() {
        #expect(Filename.sanitised("../../etc/passwd") == "passwd")
        #expect(Filename.sanitised("C:\\Users\\x\\report.pdf") == "report.pdf")
        #expect(Filename.sanitised("a\u{0}b\u{1F}c\u{7F}d\u{85}.txt") == "abcd.txt")
        #expect(Filename.sanitised("invoice\u{202E}fdp.exe") == "invoicefdp.exe")
        #expect(Filename.sanitised("  spaced.txt  ") == "spaced.txt")
        #expect(Filename.sanitised("dir/") == nil)
        #expect(Filename.sanitised("..") == nil)
        #expect(Filename.sanitised(String(repeating: "é", count: 200))?.utf8.count == 254)
        let m = parse("""
            Content-Type: application/octet-stream; name="../evil\u{1}.sh"
            Content-Disposition: attachment

            x
            """)
        #expect(m.attachments.first?.filename == "evil.sh")
    }
}
