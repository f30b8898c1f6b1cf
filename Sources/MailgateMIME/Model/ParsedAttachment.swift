/// A non-body leaf part of a message: an attachment or an inline part (RFC 2183).
public struct ParsedAttachment: Sendable, Equatable {
    /// The part path, IMAP style (RFC 3501 §6.4.5): "1", "2", "1.2".
    public var id: String
    /// Sanitised filename (no path separators, no control characters), nil when the part has none.
    public var filename: String?
    /// "type/subtype", lower-cased, without parameters.
    public var contentType: String
    /// Decoded size in octets.
    public var size: Int
    /// "attachment" or "inline".
    public var disposition: String
    /// The Content-ID without angle brackets (RFC 2392), nil when absent.
    public var contentID: String?
    /// Lower-case hex SHA-256 of the decoded bytes.
    public var sha256: String
    /// Range of the encoded body within the parsed input bytes.
    public var offset: Int
    public var length: Int
    /// Content-Transfer-Encoding, lower-cased ("base64", "quoted-printable", "7bit", ...).
    public var transferEncoding: String
    /// For message/rfc822 parts: a summary of the attached message's own headers.
    public var embedded: EmbeddedMessage?

    public init(id: String, filename: String?, contentType: String, size: Int, disposition: String,
                contentID: String?, sha256: String, offset: Int, length: Int, transferEncoding: String,
                embedded: EmbeddedMessage? = nil) {
        self.id = id
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.disposition = disposition
        self.contentID = contentID
        self.sha256 = sha256
        self.offset = offset
        self.length = length
        self.transferEncoding = transferEncoding
        self.embedded = embedded
    }
}

/// The headers of an attached message (message/rfc822, RFC 2046 §5.2.1), summarised.
public struct EmbeddedMessage: Sendable, Equatable {
    public var subject: String?
    public var from: [MailAddress]
    public var to: [MailAddress]
    public var date: String?
    public var messageID: String?

    public init(subject: String? = nil, from: [MailAddress] = [], to: [MailAddress] = [],
                date: String? = nil, messageID: String? = nil) {
        self.subject = subject
        self.from = from
        self.to = to
        self.date = date
        self.messageID = messageID
    }
}
