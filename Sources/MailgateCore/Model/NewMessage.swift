/// Everything the store writes for one accepted message, prepared before it reaches the
/// writer thread so the writer only binds and steps (ARCHITECTURE.md: parse on the loop thread).
public struct NewMessage: Sendable {
    /// The message id (a ULID), also the queue id of the SMTP `250 ... queued as <id>` reply.
    public var id: String
    /// Milliseconds since the Unix epoch, UTC.
    public var receivedAt: Int64
    public var envelope: Envelope
    /// The bytes as stored: trace headers (Return-Path, Received) followed by the message as received.
    public var raw: [UInt8]

    // Summary columns, decoded to UTF-8 (RFC 2047), for listing and filtering.
    public var fromAddress: String?
    public var fromName: String?
    /// Addresses of To and Cc headers, lower-cased, for the `to` filter (envelope recipients are stored separately).
    public var headerRecipients: [String]
    public var subject: String?
    /// The Date header as RFC 3339, nil when absent or unparseable.
    public var date: String?
    public var messageID: String?
    public var attachmentCount: Int
    /// Text indexed for full-text search (subject, addresses and names, text body), derived
    /// from `raw` by the MIME module's `MessageRendering.searchText` at ingest, or nil to have
    /// the store derive it when it indexes. When set it must be exactly that derivation: the
    /// store derives it again to remove the message from the index.
    public var searchText: String?

    /// The summary object of the list API, rendered once at ingest.
    public var summaryJSON: [UInt8]
    /// The full message object of `GET /api/v1/messages/{id}`, rendered once at ingest.
    public var messageJSON: [UInt8]
    /// Where each attachment's encoded body lies in `raw`, so it can be decoded on demand.
    public var attachments: [AttachmentLocation]

    public init(id: String, receivedAt: Int64, envelope: Envelope, raw: [UInt8],
                fromAddress: String? = nil, fromName: String? = nil, headerRecipients: [String] = [],
                subject: String? = nil, date: String? = nil, messageID: String? = nil,
                attachmentCount: Int = 0, searchText: String? = nil,
                summaryJSON: [UInt8] = [], messageJSON: [UInt8] = [],
                attachments: [AttachmentLocation] = []) {
        self.id = id
        self.receivedAt = receivedAt
        self.envelope = envelope
        self.raw = raw
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.headerRecipients = headerRecipients
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.attachmentCount = attachmentCount
        self.searchText = searchText
        self.summaryJSON = summaryJSON
        self.messageJSON = messageJSON
        self.attachments = attachments
    }
}

/// One attachment (or inline part) of a stored message: its metadata and where its encoded body
/// sits inside the stored raw bytes.
public struct AttachmentLocation: Sendable, Equatable {
    /// The part id used in the API path (`/attachments/{id}`), e.g. "2" or "1.2".
    public var id: String
    public var filename: String?
    public var contentType: String
    /// "attachment" or "inline".
    public var disposition: String
    /// Decoded size in octets.
    public var size: Int
    /// Byte range of the encoded body within the stored raw message.
    public var offset: Int
    public var length: Int
    /// Content-Transfer-Encoding, lower-cased ("base64", "quoted-printable", "7bit", ...).
    public var transferEncoding: String

    public init(id: String, filename: String?, contentType: String, disposition: String,
                size: Int, offset: Int, length: Int, transferEncoding: String) {
        self.id = id
        self.filename = filename
        self.contentType = contentType
        self.disposition = disposition
        self.size = size
        self.offset = offset
        self.length = length
        self.transferEncoding = transferEncoding
    }
}
