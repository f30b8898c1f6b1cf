import MailgateCore

extension MessageRendering {
    /// The full message object of API.md (`GET /api/v1/messages/{id}`). With baseURL "" the
    /// attachment `url` and `raw_url` are relative; with "https://mail.example" absolute.
    public static func messageJSON(_ parsed: ParsedMessage, id: String, receivedAt: Int64, envelope: Envelope,
                                   size: Int, baseURL: String) -> [UInt8] {
        // Reserve for the bodies plus their escapes (each "\n" becomes two octets), so a large
        // body is written without the array doubling: a 25 MiB message must peak under
        // 3 x its size (PERFORMANCE.md).
        let bodies = (parsed.text?.utf8.count ?? 0) + (parsed.html?.utf8.count ?? 0)
        let headers = parsed.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 32 }
        var w = JSONWriter(capacity: 2048 + headers + bodies + bodies / 8 + parsed.attachments.count * 256)
        let messageURL = baseURL + "/api/v1/messages/" + id
        w.beginObject()
        w.field("id", id)
        w.field("received_at", Timestamp.rfc3339(milliseconds: receivedAt))
        w.field("size", size)
        w.key("envelope")
        w.beginObject()
        w.field("mail_from", envelope.mailFrom)
        w.field("rcpt_to", strings: envelope.rcptTo)
        w.field("helo", envelope.helo)
        w.field("remote_addr", envelope.remoteAddress)
        w.field("remote_port", envelope.remotePort)
        w.field("protocol", envelope.transport)
        w.field("tls", envelope.tls)
        w.endObject()
        w.field("message_id", parsed.messageID)
        w.field("date", parsed.date)
        w.field("subject", parsed.subject)
        w.key("from"); addresses(&w, parsed.from)
        w.key("sender")
        if let sender = parsed.sender { address(&w, sender) } else { w.null() }
        w.key("reply_to"); addresses(&w, parsed.replyTo)
        w.key("to"); addresses(&w, parsed.to)
        w.key("cc"); addresses(&w, parsed.cc)
        w.key("bcc"); addresses(&w, parsed.bcc)
        w.field("in_reply_to", parsed.inReplyTo)
        w.field("references", strings: parsed.references)
        w.key("headers")
        w.beginArray()
        for h in parsed.headers {
            w.beginObject()
            w.field("name", h.name)
            w.field("value", h.value)
            w.endObject()
        }
        w.endArray()
        w.field("text", parsed.text)
        w.field("html", parsed.html)
        w.key("attachments")
        w.beginArray()
        for a in parsed.attachments {
            w.beginObject()
            w.field("id", a.id)
            w.field("filename", a.filename)
            w.field("content_type", a.contentType)
            w.field("size", a.size)
            w.field("disposition", a.disposition)
            w.field("content_id", a.contentID)
            w.field("sha256", a.sha256)
            w.field("url", messageURL + "/attachments/" + a.id)
            if let m = a.embedded {
                // message/rfc822 only: the attached message's own headers (an addition to API.md).
                w.key("message")
                w.beginObject()
                w.field("subject", m.subject)
                w.key("from"); addresses(&w, m.from)
                w.key("to"); addresses(&w, m.to)
                w.field("date", m.date)
                w.field("message_id", m.messageID)
                w.endObject()
            }
            w.endObject()
        }
        w.endArray()
        w.field("raw_url", messageURL + "/raw")
        w.endObject()
        return w.bytes
    }

    /// The summary object of the list API and of `message.received` events.
    public static func summaryJSON(_ parsed: ParsedMessage, id: String, receivedAt: Int64, envelope: Envelope, size: Int) -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        w.beginObject()
        w.field("id", id)
        w.field("received_at", Timestamp.rfc3339(milliseconds: receivedAt))
        w.field("size", size)
        w.field("mail_from", envelope.mailFrom)
        w.field("rcpt_to", strings: envelope.rcptTo)
        w.key("from")
        if let first = parsed.from.first { address(&w, first) } else { w.null() }
        w.key("to"); addresses(&w, parsed.to)
        w.field("subject", parsed.subject)
        w.field("snippet", snippet(parsed))
        w.field("attachment_count", parsed.attachments.count)
        w.endObject()
        return w.bytes
    }

    private static func address(_ w: inout JSONWriter, _ a: MailAddress) {
        w.beginObject()
        w.field("name", a.name)
        w.field("address", a.address)
        w.endObject()
    }

    private static func addresses(_ w: inout JSONWriter, _ list: [MailAddress]) {
        w.beginArray()
        for a in list { address(&w, a) }
        w.endArray()
    }
}
