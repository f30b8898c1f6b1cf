/// What ingest keeps of one message so that reads never re-parse it.
public struct ParsedMessage: Sendable {
    /// Every top-level header field in original order, duplicates kept, values unfolded and
    /// decoded (RFC 2047, RFC 6532) to UTF-8.
    public var headers: [(name: String, value: String)]
    public var subject: String?
    public var from: [MailAddress]
    public var sender: MailAddress?
    public var replyTo: [MailAddress]
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var bcc: [MailAddress]
    /// RFC 3339 UTC, e.g. "2026-11-28T11:59:58Z"; nil when absent or unparseable.
    public var date: String?
    public var messageID: String?
    public var inReplyTo: String?
    public var references: [String]
    /// The first text/plain body that is not an attachment, UTF-8, line breaks as "\n".
    public var text: String?
    /// The first text/html body that is not an attachment, UTF-8, line breaks as "\n".
    public var html: String?
    public var attachments: [ParsedAttachment]

    public init() {
        headers = []
        subject = nil
        from = []
        sender = nil
        replyTo = []
        to = []
        cc = []
        bcc = []
        date = nil
        messageID = nil
        inReplyTo = nil
        references = []
        text = nil
        html = nil
        attachments = []
    }

    /// The first value of the header `name` (case-insensitive), decoded.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
