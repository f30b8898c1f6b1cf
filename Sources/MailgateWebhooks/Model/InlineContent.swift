/// What a subscriber's `message.received` payloads carry besides links (WEBHOOKS.md: options
/// may inline the raw message and attachment contents up to a size threshold; the default is
/// links only, so bodies stay small). Inlined bytes are base64: `raw_base64` on the message,
/// `content_base64` on each attachment whose decoded size is at most `maxBytes` (a larger one
/// keeps only its `url`).
public struct InlineContent: Sendable, Equatable {
    public var raw: Bool
    public var attachments: Bool
    /// Largest raw message or decoded attachment inlined, in bytes.
    public var maxBytes: Int

    public static let defaultMaxBytes = 1 << 20
    /// A delivery's body is built in memory, and up to MAILGATE_WEBHOOK_GLOBAL_CONCURRENCY are
    /// in flight: the threshold is capped so they stay bounded.
    public static let maxMaxBytes = 10 << 20

    public init(raw: Bool = false, attachments: Bool = false, maxBytes: Int = defaultMaxBytes) {
        self.raw = raw
        self.attachments = attachments
        self.maxBytes = maxBytes
    }

    public static let linksOnly = InlineContent()
    public var isLinksOnly: Bool { !raw && !attachments }
}

/// The `data` of a message.received payload for message `messageID` as `inline` asks (the
/// message JSON of GET /api/v1/messages/{id}, links absolute when MAILGATE_PUBLIC_URL is set);
/// nil when the message no longer exists. Called on the dispatcher thread.
public typealias PayloadProvider = @Sendable (_ messageID: String, _ inline: InlineContent) -> [UInt8]?
