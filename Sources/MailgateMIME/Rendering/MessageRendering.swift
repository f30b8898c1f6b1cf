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
            fromAddress: first.map { $0.address.lowercased() }, fromName: first?.name,
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

    /// What full-text search indexes: the subject, the names and addresses of From, To and Cc,
    /// then the text body (or the HTML body's text when there is no plain text), one per line.
    public static func searchText(_ parsed: ParsedMessage) -> String {
        var s = parsed.subject ?? ""
        for a in parsed.from + parsed.to + parsed.cc {
            s += "\n"
            if !a.name.isEmpty { s += a.name + " " }
            s += a.address
        }
        if let body = parsed.text ?? parsed.html.map(HTMLText.plain) {
            s += "\n"
            s += body
        }
        return s
    }

    /// The list snippet: the first 200 characters of the text body (or of the HTML body's text),
    /// whitespace runs collapsed to one space.
    public static func snippet(_ parsed: ParsedMessage) -> String {
        guard let body = parsed.text ?? parsed.html.map(HTMLText.plain) else { return "" }
        var out = ""
        var count = 0
        var pendingSpace = false
        for ch in body {
            if ch.isWhitespace {
                pendingSpace = count > 0
                continue
            }
            if pendingSpace {
                guard count < 200 else { break }
                out.append(" ")
                count += 1
                pendingSpace = false
            }
            guard count < 200 else { break }
            out.append(ch)
            count += 1
        }
        return out
    }
}
