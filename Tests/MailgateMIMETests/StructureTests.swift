import Testing
@testable import MailgateMIME

@Suite struct StructureTests {
    static let helloSHA = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"

    @Test func mixedWithAlternativeAndRelated() {
        let m = parse("""
            Content-Type: multipart/mixed; boundary="outer"

            This is the preamble.
            --outer
            Content-Type: multipart/alternative; boundary=alt

            --alt
            Content-Type: text/plain; charset=utf-8

            plain body
            --alt
            Content-Type: multipart/related; boundary=rel

            --rel
            Content-Type: text/html; charset=utf-8

            <img src="cid:logo@x">
            --rel
            Content-Type: image/png
            Content-ID: <logo@x>
            Content-Transfer-Encoding: base64

            aGVsbG8=
            --rel--
            --alt--
            --outer
            Content-Type: application/pdf; name="report.pdf"
            Content-Disposition: attachment; filename="report.pdf"
            Content-Transfer-Encoding: base64

            aGVs
            bG8=
            --outer--
            This is the epilogue.
            """)
        #expect(m.text == "plain body")
        #expect(m.html == "<img src=\"cid:logo@x\">")
        #expect(m.attachments.map(\.id) == ["1.2.2", "2"])
        let logo = m.attachments[0]
        #expect(logo.contentType == "image/png")
        #expect(logo.disposition == "inline")
        #expect(logo.contentID == "logo@x")
        #expect(logo.filename == nil)
        #expect(logo.size == 5)
        #expect(logo.sha256 == Self.helloSHA)
        #expect(logo.transferEncoding == "base64")
        let pdf = m.attachments[1]
        #expect(pdf == ParsedAttachment(id: "2", filename: "report.pdf", contentType: "application/pdf", size: 5,
                                        disposition: "attachment", contentID: nil, sha256: Self.helloSHA,
                                        offset: pdf.offset, length: 10, transferEncoding: "base64"))
    }

    @Test func attachmentRangeDecodesBack() {
        let input = crlf("""
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            body
            --b
            Content-Type: application/octet-stream
            Content-Transfer-Encoding: quoted-printable

            hel=
            lo
            --b--
            """)
        let m = MIMEParser.parse(input)
        let a = m.attachments[0]
        #expect(Array(input[a.offset..<a.offset + a.length]) == Array("hel=\r\nlo".utf8))
        let decoded = input.withUnsafeBytes {
            TransferDecoding.decode(UnsafeRawBufferPointer(rebasing: $0[a.offset..<a.offset + a.length]), transferEncoding: a.transferEncoding)
        }
        #expect(decoded == Array("hello".utf8))
        #expect(a.sha256 == Self.helloSHA)
        #expect(a.disposition == "attachment")
    }

    @Test func htmlOnlyAndSecondTextPart() {
        let h = parse("Content-Type: text/html; charset=us-ascii\n\n<b>hi</b>\n")
        #expect(h.text == nil)
        #expect(h.html == "<b>hi</b>\n")
        let m = parse("""
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            first
            --b
            Content-Type: text/plain
            Content-Disposition: inline; filename=notes.txt

            second
            --b
            Content-Disposition: attachment; filename=a.txt

            third
            --b--
            """)
        #expect(m.text == "first")
        #expect(m.attachments.map(\.filename) == ["notes.txt", "a.txt"])
        #expect(m.attachments.map(\.disposition) == ["inline", "attachment"])
        #expect(m.attachments.map(\.contentType) == ["text/plain", "text/plain"])
    }

    @Test func attachedTextIsNotTheBody() {
        let m = parse("""
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain
            Content-Disposition: attachment; filename=a.txt

            attached
            --b
            Content-Type: text/plain

            real body
            --b--
            """)
        #expect(m.text == "real body")
        #expect(m.attachments.map(\.id) == ["1"])
    }

    @Test func missingFinalBoundaryAndNoDelimiter() {
        let m = parse("""
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            cut short
            --b
            Content-Type: image/gif

            GIF89a
            """)
        #expect(m.text == "cut short")
        #expect(m.attachments.map(\.contentType) == ["image/gif"])
        #expect(m.attachments.first?.size == 6)  // "GIF89a": the part runs to the end of the input
        let none = parse("Content-Type: multipart/mixed; boundary=zzz\n\nno delimiter here\n")
        #expect(none.text == "no delimiter here\n")
        let noBoundary = parse("Content-Type: multipart/mixed\n\n--x\nbody\n")
        #expect(noBoundary.text == "--x\nbody\n")
    }

    @Test func boundaryLinesMustMatchExactly() {
        let m = parse("""
            Content-Type: multipart/mixed; boundary=ab

            --ab\t
            Content-Type: text/plain

            --abc is not a boundary
            --ab-- not a close either
            --ab--
            """)
        #expect(m.text == "--abc is not a boundary\n--ab-- not a close either")
    }

    @Test func depthLimitKeepsTheRestOpaque() {
        var s = "Content-Type: multipart/mixed; boundary=b0\n\n"
        for i in 1...40 { s += "--b\(i - 1)\nContent-Type: multipart/mixed; boundary=b\(i)\n\n" }
        s += "--b40\nContent-Type: text/plain\n\ndeep\n"
        let m = parse(s)
        #expect(m.text == nil)
        #expect(m.attachments.count == 1)
        let opaque = m.attachments[0]
        #expect(opaque.contentType == "multipart/mixed")
        #expect(opaque.id == Array(repeating: "1", count: 32).joined(separator: "."))
        #expect(opaque.transferEncoding == "7bit")
        // With a larger limit the text is found.
        #expect(parse(s, limits: MIMELimits(maxDepth: 64)).text == "deep\n")
    }

    @Test func partLimit() {
        var s = "Content-Type: multipart/mixed; boundary=b\n\n"
        for i in 0..<20 { s += "--b\nContent-Type: application/x-\(i)\n\n\(i)\n" }
        s += "--b--\n"
        #expect(parse(s).attachments.count == 20)
        #expect(parse(s, limits: MIMELimits(maxParts: 5)).attachments.count == 4)  // the root counts as one
    }

    @Test func attachedMessage() {
        let m = parse("""
            Subject: outer
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            see attached
            --b
            Content-Type: message/rfc822

            Subject: =?utf-8?Q?inner_caf=C3=A9?=
            From: Inner <in@x.test>
            To: t@x.test
            Date: Sat, 28 Nov 2026 11:59:58 +0000
            Message-ID: <inner@x.test>
            Content-Type: text/plain

            inner body
            --b--
            """)
        #expect(m.subject == "outer")
        #expect(m.text == "see attached")
        #expect(m.attachments.count == 1)
        let a = m.attachments[0]
        #expect(a.contentType == "message/rfc822")
        #expect(a.id == "2")
        #expect(a.embedded == EmbeddedMessage(subject: "inner café", from: [addr("Inner", "in@x.test")],
                                              to: [addr("", "t@x.test")], date: "2026-11-28T11:59:58Z",
                                              messageID: "<inner@x.test>"))
    }

    @Test func digestDefaultsToMessages() {
        let m = parse("""
            Content-Type: multipart/digest; boundary=d

            --d

            Subject: one

            1
            --d--
            """)
        #expect(m.attachments.first?.contentType == "message/rfc822")
        #expect(m.attachments.first?.embedded?.subject == "one")
    }

    @Test func singlePartAttachmentIsPartOne() {
        let m = parse("Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\naGVsbG8=\n")
        #expect(m.text == nil)
        #expect(m.attachments.map(\.id) == ["1"])
        #expect(m.attachments.first?.sha256 == Self.helloSHA)
    }

    @Test func invalidContentTypeIsText() {
        let m = parse("Content-Type: garbage\n\nhello\n")
        #expect(m.text == "hello\n")
    }
}
