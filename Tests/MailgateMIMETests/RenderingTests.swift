import Foundation
import MailgateCore
import Testing
@testable import MailgateMIME

@Suite struct RenderingTests {
    static let raw = crlf("""
        From: Alice <a@x.test>
        To: b@y.test, "Carol C" <Carol@Y.test>
        Cc: D <D@z.test>
        Subject: Hello
        Date: Sat, 28 Nov 2026 11:59:58 +0000
        Message-ID: <abc@x.test>
        Content-Type: multipart/mixed; boundary=b

        --b
        Content-Type: text/plain

        Hello,
        This is a "test".
        --b
        Content-Type: text/plain; name=hi.txt
        Content-Disposition: attachment; filename=hi.txt

        hello
        --b--

        """)
    static let envelope = Envelope(mailFrom: "a@x.test", rcptTo: ["b@y.test"], helo: "client.x.test",
                                   remoteAddress: "192.0.2.7", remotePort: 50123, transport: "ESMTP")
    static let id = "01JDX4Q6W9Z7ZK3B2B7T1N5G3M"
    static let receivedAt: Int64 = 1_795_867_200_123
    static let sha = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"

    func json(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func messageJSONByteForByte() {
        let parsed = MIMEParser.parse(Self.raw)
        let expected = #"{"id":"01JDX4Q6W9Z7ZK3B2B7T1N5G3M","received_at":"2026-11-28T12:00:00.123Z","size":\#(Self.raw.count),"#
            + #""envelope":{"mail_from":"a@x.test","rcpt_to":["b@y.test"],"helo":"client.x.test","remote_addr":"192.0.2.7","remote_port":50123,"protocol":"ESMTP","tls":null},"#
            + #""message_id":"<abc@x.test>","date":"2026-11-28T11:59:58Z","subject":"Hello","#
            + #""from":[{"name":"Alice","address":"a@x.test"}],"sender":null,"reply_to":[],"#
            + #""to":[{"name":"","address":"b@y.test"},{"name":"Carol C","address":"Carol@Y.test"}],"cc":[{"name":"D","address":"D@z.test"}],"bcc":[],"#
            + #""in_reply_to":null,"references":[],"#
            + #""headers":[{"name":"From","value":"Alice <a@x.test>"},{"name":"To","value":"b@y.test, \"Carol C\" <Carol@Y.test>"},"#
            + #"{"name":"Cc","value":"D <D@z.test>"},{"name":"Subject","value":"Hello"},{"name":"Date","value":"Sat, 28 Nov 2026 11:59:58 +0000"},"#
            + #"{"name":"Message-ID","value":"<abc@x.test>"},{"name":"Content-Type","value":"multipart/mixed; boundary=b"}],"#
            + #""text":"Hello,\nThis is a \"test\".","html":null,"#
            + #""attachments":[{"id":"2","filename":"hi.txt","content_type":"text/plain","size":5,"disposition":"attachment","#
            + #""content_id":null,"sha256":"\#(Self.sha)","url":"/api/v1/messages/01JDX4Q6W9Z7ZK3B2B7T1N5G3M/attachments/2"}],"#
            + #""raw_url":"/api/v1/messages/01JDX4Q6W9Z7ZK3B2B7T1N5G3M/raw"}"#
        let got = MessageRendering.messageJSON(parsed, id: Self.id, receivedAt: Self.receivedAt, envelope: Self.envelope,
                                               size: Self.raw.count, baseURL: "")
        #expect(json(got) == expected)
        let absolute = MessageRendering.messageJSON(parsed, id: Self.id, receivedAt: Self.receivedAt, envelope: Self.envelope,
                                                    size: Self.raw.count, baseURL: "https://mail.example")
        #expect(json(absolute) == expected
            .replacingOccurrences(of: "\"/api/v1/", with: "\"https://mail.example/api/v1/"))
    }

    @Test func summaryJSONByteForByte() {
        let parsed = MIMEParser.parse(Self.raw)
        let got = MessageRendering.summaryJSON(parsed, id: Self.id, receivedAt: Self.receivedAt, envelope: Self.envelope, size: 321)
        let expected = #"{"id":"01JDX4Q6W9Z7ZK3B2B7T1N5G3M","received_at":"2026-11-28T12:00:00.123Z","size":321,"#
            + #""mail_from":"a@x.test","rcpt_to":["b@y.test"],"from":{"name":"Alice","address":"a@x.test"},"#
            + #""to":[{"name":"","address":"b@y.test"},{"name":"Carol C","address":"Carol@Y.test"}],"#
            + #""subject":"Hello","snippet":"Hello, This is a \"test\".","attachment_count":1}"#
        #expect(json(got) == expected)
        let empty = MessageRendering.summaryJSON(MIMEParser.parse([]), id: "x", receivedAt: 0, envelope: Envelope(), size: 0)
        #expect(json(empty) == #"{"id":"x","received_at":"1970-01-01T00:00:00.000Z","size":0,"mail_from":"","rcpt_to":[],"#
            + #""from":null,"to":[],"subject":null,"snippet":"","attachment_count":0}"#)
    }

    @Test func newMessageFields() {
        let n = MessageRendering.makeNewMessage(id: Self.id, receivedAt: Self.receivedAt, envelope: Self.envelope, raw: Self.raw)
        #expect(n.fromAddress == "a@x.test")
        #expect(n.fromName == "Alice")
        #expect(n.headerRecipients == ["b@y.test", "carol@y.test", "d@z.test"])
        #expect(n.subject == "Hello")
        #expect(n.date == "2026-11-28T11:59:58Z")
        #expect(n.messageID == "<abc@x.test>")
        #expect(n.attachmentCount == 1)
        #expect(n.searchText == "Hello\nAlice a@x.test\nb@y.test\nCarol C Carol@Y.test\nD D@z.test\nHello,\nThis is a \"test\".")
        #expect(n.attachments == [AttachmentLocation(id: "2", filename: "hi.txt", contentType: "text/plain", disposition: "attachment",
                                                     size: 5, offset: n.attachments.first?.offset ?? -1, length: 5,
                                                     transferEncoding: "7bit")])
        let a = n.attachments[0]
        #expect(Array(Self.raw[a.offset..<a.offset + a.length]) == Array("hello".utf8))
        #expect(n.messageJSON == MessageRendering.messageJSON(MIMEParser.parse(Self.raw), id: Self.id, receivedAt: Self.receivedAt,
                                                              envelope: Self.envelope, size: Self.raw.count, baseURL: ""))
        #expect(n.summaryJSON.count > 0)
    }

    @Test func snippetFromHTMLAndLongText() {
        var m = ParsedMessage()
        m.html = "<html><head><style>p{color:red}</style></head><body><p>Hi&nbsp;there &amp; <b>you</b></p><!-- x --><script>x()</script>&#x263A;</body></html>"
        #expect(MessageRendering.snippet(m) == "Hi there & you ☺")
        m.text = String(repeating: "ab  \n", count: 100)
        let s = MessageRendering.snippet(m)
        #expect(s.count == 200)
        #expect(s.hasPrefix("ab ab ab"))
        #expect(!s.hasSuffix(" "))
    }

    @Test func embeddedMessageInJSON() {
        let raw = crlf("""
            Content-Type: message/rfc822

            Subject: inner
            From: i@x.test

            body
            """)
        let parsed = MIMEParser.parse(raw)
        let j = json(MessageRendering.messageJSON(parsed, id: "m", receivedAt: 0, envelope: Envelope(), size: raw.count, baseURL: ""))
        #expect(j.contains(#""url":"/api/v1/messages/m/attachments/1","message":{"subject":"inner","from":[{"name":"","address":"i@x.test"}],"to":[],"date":null,"message_id":null}}"#))
    }
}

