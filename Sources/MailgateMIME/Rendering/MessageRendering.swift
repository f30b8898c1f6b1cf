import MailgateCore

/// The ingest step: one parse per message, and everything the store and the API need from it.
public enum MessageRendering {
    /// Parses `raw` (the stored bytes, trace headers included) and fills every field of NewMessage:
    /// summary columns, searchText, summaryJSON, messageJSON (relative URLs) and attachments.
    public static func makeNewMessage(id: String, receivedAt: Int64, envelope: Envelope, raw: [UInt8]) -> NewMessage {
        let parsed = MIMEParser.parse(raw)
        let first = parsed.from.first
        return NewMessage(
            id: id, receivedAt: receivedAt, envelope: envelope, raw: raw,
            fromAddress: first.map { $0.address.lowercased() }, fromName: first.flatMap { $0.name.isEmpty ? nil : $0.name },
            headerRecipients: (parsed.to + parsed.cc).map { $0.address.lowercased() },
            subject: parsed.subject, date: parsed.date, messageID: parsed.messageID,
            attachmentCount: parsed.attachments.count, searchText: searchText(parsed),
            summaryJSON: summaryJSON(parsed, id: id, receivedAt: receivedAt, envelope: envelope, size: raw.count),
            messageJSON: messageJSON(parsed, id: id, receivedAt: receivedAt, envelope: envelope, size: raw.count, baseURL: ""),
            attachments: parsed.attachments.map {
                AttachmentLocation(id: $0.id, filename: $0.filename, contentType: $0.contentType, disposition: $0.disposition,
                                   size: $0.size, offset: $0.offset, length: $0.length, transferEncoding: $0.transferEncoding)
            })
    }

    /// How much of the body full-text search indexes. Indexing costs about as much as storing
    /// the text again, so a 25 MiB body would triple the write of its message; mail is searched
    /// by what it starts with (docs/ARCHITECTURE.md, "Search").
    public static let maxIndexedBodyBytes = 128 * 1024

    /// What full-text search indexes: the subject, the names and addresses of From, To and Cc,
    /// then the first `maxIndexedBodyBytes` of the text body (or the HTML body's text when there
    /// is no plain text), one per line.
    public static func searchText(_ parsed: ParsedMessage) -> String {
        var s = parsed.subject ?? ""
        for a in parsed.from + parsed.to + parsed.cc {
            s += "\n"
            if !a.name.isEmpty { s += a.name + " " }
            s += a.address
        }
        if let body = parsed.text ?? parsed.html.map(HTMLText.plain) {
            s += "\n"
            s += prefix(body, maxBytes: maxIndexedBodyBytes)
        }
        return s
    }

    /// At most `maxBytes` UTF-8 octets of `text`, cut at a character boundary.
    static func prefix(_ text: String, maxBytes: Int) -> Substring {
        let utf8 = text.utf8
        guard utf8.count > maxBytes else { return Substring(text) }
        var end = utf8.index(utf8.startIndex, offsetBy: maxBytes)
        // Step back over UTF-8 continuation octets (10xxxxxx) to the start of a character.
        while end > utf8.startIndex && utf8[end] & 0xC0 == 0x80 { end = utf8.index(before: end) }
        return text[..<end]
    }

    /// The list snippet: the first 200 characters (Unicode scalars) of the text body, or of the
    /// HTML body's text when there is no plain text, whitespace runs collapsed to one space.
    /// Works on the UTF-8 octets: grapheme segmentation would cost more than the whole parse.
    public static func snippet(_ parsed: ParsedMessage) -> String {
        guard var body = parsed.text ?? parsed.html.map(HTMLText.plain) else { return "" }
        return body.withUTF8 { b in
            var out = [UInt8]()
            out.reserveCapacity(min(b.count, 800))
            var count = 0
            var pendingSpace = false
            var i = 0
            while i < b.count {
                let c = b[i]
                // ASCII whitespace and U+00A0 (C2 A0) collapse.
                if c == ASCII.sp || (c >= 0x09 && c <= 0x0D) { pendingSpace = count > 0; i += 1; continue }
                if c == 0xC2, i + 1 < b.count, b[i + 1] == 0xA0 { pendingSpace = count > 0; i += 2; continue }
                let isLead = c & 0xC0 != 0x80
                if isLead {
                    if count >= 200 { break }
                    if pendingSpace {
                        out.append(ASCII.sp)
                        count += 1
                        pendingSpace = false
                        if count >= 200 { break }
                    }
                    count += 1
                }
                out.append(c)
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
