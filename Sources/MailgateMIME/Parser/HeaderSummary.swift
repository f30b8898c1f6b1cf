/// Reads the top-level header fields of a message (RFC 5322 §3.6) into a ParsedMessage.
enum HeaderSummary {
    /// Fills the header-derived fields of `message` from `fields`. Address fields that occur
    /// more than once are concatenated (nothing is dropped); the others take the first occurrence.
    static func fill(_ message: inout ParsedMessage, _ b: UnsafeBufferPointer<UInt8>, _ fields: ArraySlice<HeaderField>,
                     limits: MIMELimits, keepHeaders: Bool) {
        if keepHeaders { message.headers.reserveCapacity(fields.count) }
        var sawDate = false, sawMessageID = false, sawInReplyTo = false
        for f in fields {
            let raw = Unfolding.value(b, f.value)
            let value = EncodedWords.decode(raw)
            if keepHeaders {
                message.headers.append((name: String(decoding: UnsafeBufferPointer(rebasing: b[f.name]), as: UTF8.self), value: value))
            }
            let name = f.name
            switch name.count {
            case 2 where ASCII.equalsLower(b, name, "to"):
                message.to += AddressList.parse(raw, limit: limits.maxAddresses)
            case 2 where ASCII.equalsLower(b, name, "cc"):
                message.cc += AddressList.parse(raw, limit: limits.maxAddresses)
            case 3 where ASCII.equalsLower(b, name, "bcc"):
                message.bcc += AddressList.parse(raw, limit: limits.maxAddresses)
            case 4 where ASCII.equalsLower(b, name, "from"):
                message.from += AddressList.parse(raw, limit: limits.maxAddresses)
            case 4 where ASCII.equalsLower(b, name, "date"):
                if !sawDate { message.date = DateTime.rfc3339(raw) }
                sawDate = true
            case 6 where ASCII.equalsLower(b, name, "sender"):
                if message.sender == nil { message.sender = AddressList.parse(raw, limit: 1).first }
            case 7 where ASCII.equalsLower(b, name, "subject"):
                if message.subject == nil { message.subject = value }
            case 8 where ASCII.equalsLower(b, name, "reply-to"):
                message.replyTo += AddressList.parse(raw, limit: limits.maxAddresses)
            case 10 where ASCII.equalsLower(b, name, "message-id"):
                if !sawMessageID { message.messageID = MessageIDs.parse(raw, limit: 1).first }
                sawMessageID = true
            case 10 where ASCII.equalsLower(b, name, "references"):
                message.references += MessageIDs.parse(raw, limit: limits.maxAddresses)
            case 11 where ASCII.equalsLower(b, name, "in-reply-to"):
                if !sawInReplyTo { message.inReplyTo = MessageIDs.parse(raw, limit: 1).first }
                sawInReplyTo = true
            default:
                break
            }
        }
    }
}
