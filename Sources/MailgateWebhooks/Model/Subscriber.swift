/// A webhook subscriber: where to POST, how to sign, which messages.
public struct Subscriber: Sendable, Equatable {
    public var id: String
    public var url: String
    public var description: String
    /// The current signing secret (`whsec_...`). Shown to the operator only at creation or rotation.
    public var secret: String
    /// The secret replaced by the last rotation; it keeps signing until `previousSecretExpiresAt`.
    public var previousSecret: String?
    public var previousSecretExpiresAt: Int64?
    /// nil: every message.
    public var filter: RecipientFilter?
    public var enabled: Bool
    /// Why the subscriber was disabled automatically (HTTP 410), nil otherwise.
    public var disabledReason: String?
    /// Declared by MAILGATE_WEBHOOK_URL rather than through the API.
    public var isDefault: Bool
    public var createdAt: Int64
    public var updatedAt: Int64
    /// What its payloads inline besides links.
    public var inline: InlineContent = .linksOnly

    /// The secrets that sign a request at `now`: the current one, then the previous one while
    /// its rotation overlap lasts (both signatures are sent, space-separated).
    public func signingSecrets(now: Int64) -> [String] {
        if let previousSecret, let expires = previousSecretExpiresAt, now < expires {
            return [secret, previousSecret]
        }
        return [secret]
    }
}

/// A subscriber to create (POST /api/v1/webhooks).
public struct NewSubscriber: Sendable, Equatable {
    public var url: String
    public var description: String
    /// nil: a secret is generated.
    public var secret: String?
    public var filter: RecipientFilter?
    public var enabled: Bool
    public var inline: InlineContent

    public init(url: String, description: String = "", secret: String? = nil,
                filter: RecipientFilter? = nil, enabled: Bool = true, inline: InlineContent = .linksOnly) {
        self.url = url
        self.description = description
        self.secret = secret
        self.filter = filter
        self.enabled = enabled
        self.inline = inline
    }
}

/// Changes to a subscriber (PATCH /api/v1/webhooks/{id}); nil members are left alone.
public struct SubscriberPatch: Sendable, Equatable {
    public enum SecretChange: Sendable, Equatable {
        /// Rotate to this secret.
        case set(String)
        /// Rotate to a freshly generated secret.
        case generate
    }

    public var url: String?
    public var description: String?
    /// `.some(nil)` removes the filter.
    public var filter: RecipientFilter??
    public var enabled: Bool?
    public var secret: SecretChange?
    public var inline: InlineContent?

    public init(url: String? = nil, description: String? = nil, filter: RecipientFilter?? = nil,
                enabled: Bool? = nil, secret: SecretChange? = nil, inline: InlineContent? = nil) {
        self.url = url
        self.description = description
        self.filter = filter
        self.enabled = enabled
        self.secret = secret
        self.inline = inline
    }

    /// Whether the response should show the (new) secret.
    public var rotatesSecret: Bool { secret != nil }
}
