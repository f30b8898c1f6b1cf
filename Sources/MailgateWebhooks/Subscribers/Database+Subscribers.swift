import MailgateCore
import MailgateStore

/// Subscriber CRUD. Mutations must run in a write job (WebhookStorage.write); reads work on any
/// connection. Each mutation bumps SubscriberChanges so cached views reload.
extension Database {
    static let subscriberColumns = """
        id, url, description, secret, previous_secret, previous_secret_expires_at,
        filter_recipients, enabled, disabled_reason, is_default, created_at, updated_at,
        inline_raw, inline_attachments, inline_max_bytes
        """

    /// Every subscriber, oldest first.
    public func subscribers() throws -> [Subscriber] {
        let statement = try prepare("SELECT \(Self.subscriberColumns) FROM webhooks ORDER BY id")
        var out: [Subscriber] = []
        while try statement.step() { out.append(Self.subscriber(from: statement)) }
        return out
    }

    public func subscriber(id: String) throws -> Subscriber? {
        let statement = try prepare("SELECT \(Self.subscriberColumns) FROM webhooks WHERE id = ?")
        try statement.bind([.text(id)])
        return try statement.step() ? Self.subscriber(from: statement) : nil
    }

    /// Creates a subscriber; the secret is generated when none is given.
    public func insertSubscriber(_ new: NewSubscriber, now: Int64, isDefault: Bool = false) throws -> Subscriber {
        if let problem = WebhookURL.problem(new.url) { throw WebhookError.field("url", problem) }
        let secret = try new.secret.map { s throws(WebhookError) in try WebhookSecret.normalize(s) }
            ?? WebhookSecret.generate()
        let subscriber = Subscriber(
            id: ULID.make(milliseconds: now), url: new.url, description: new.description, secret: secret,
            previousSecret: nil, previousSecretExpiresAt: nil, filter: new.filter, enabled: new.enabled,
            disabledReason: nil, isDefault: isDefault, createdAt: now, updatedAt: now, inline: new.inline)
        try prepare("""
            INSERT INTO webhooks (\(Self.subscriberColumns)) VALUES (?, ?, ?, ?, NULL, NULL, ?, ?, NULL, ?, ?, ?, ?, ?, ?)
            """).run([.text(subscriber.id), .text(subscriber.url), .text(subscriber.description),
                      .text(secret), Self.value(subscriber.filter), .int(new.enabled ? 1 : 0),
                      .int(isDefault ? 1 : 0), .int(now), .int(now)] + Self.values(new.inline))
        SubscriberChanges.bump()
        return subscriber
    }

    /// Applies `patch`; nil when the subscriber does not exist. A new secret starts a rotation:
    /// the replaced one keeps signing for WebhookSecret.rotationOverlapMilliseconds.
    public func updateSubscriber(id: String, patch: SubscriberPatch, now: Int64) throws -> Subscriber? {
        guard var s = try subscriber(id: id) else { return nil }
        if let url = patch.url {
            if let problem = WebhookURL.problem(url) { throw WebhookError.field("url", problem) }
            s.url = url
        }
        if let description = patch.description { s.description = description }
        if let filter = patch.filter { s.filter = filter }
        if let inline = patch.inline { s.inline = inline }
        if let enabled = patch.enabled {
            s.enabled = enabled
            if enabled { s.disabledReason = nil }
        }
        if let change = patch.secret {
            let next: String
            switch change {
            case .set(let given): next = try WebhookSecret.normalize(given)
            case .generate: next = WebhookSecret.generate()
            }
            s.previousSecret = s.secret
            s.previousSecretExpiresAt = now + WebhookSecret.rotationOverlapMilliseconds
            s.secret = next
        }
        s.updatedAt = now
        try save(s)
        return s
    }

    /// Deletes a subscriber and cancels its pending deliveries (kept for their history).
    /// Returns false when it does not exist.
    public func deleteSubscriber(id: String, now: Int64) throws -> Bool {
        try prepare("DELETE FROM webhooks WHERE id = ?").run([.text(id)])
        guard changes > 0 else { return false }
        SubscriberChanges.bump()
        try cancelPendingDeliveries(webhookID: id, reason: "webhook deleted", except: nil)
        return true
    }

    /// Declares the subscriber of MAILGATE_WEBHOOK_URL / MAILGATE_WEBHOOK_SECRET /
    /// MAILGATE_WEBHOOK_INLINE; idempotent across restarts. A changed URL updates it (and
    /// re-enables it); a changed secret rotates it; a missing secret keeps the existing one (or
    /// generates one the first time); the inline setting is the configured one at every start.
    public func ensureDefaultSubscriber(url: String, secret: String?, inline: InlineContent = .linksOnly,
                                        now: Int64) throws -> (subscriber: Subscriber, created: Bool) {
        if let problem = WebhookURL.problem(url) { throw WebhookError.field("MAILGATE_WEBHOOK_URL", problem) }
        let normalized = try secret.map { s throws(WebhookError) in try WebhookSecret.normalize(s) }
        let statement = try prepare("SELECT \(Self.subscriberColumns) FROM webhooks WHERE is_default = 1")
        guard try statement.step() else {
            let created = try insertSubscriber(NewSubscriber(url: url, description: "MAILGATE_WEBHOOK_URL", secret: normalized,
                                                             inline: inline),
                                               now: now, isDefault: true)
            return (created, true)
        }
        let existing = Self.subscriber(from: statement)
        statement.reset()
        var patch = SubscriberPatch()
        if existing.url != url { patch.url = url; patch.enabled = true }
        if let normalized, normalized != existing.secret { patch.secret = .set(normalized) }
        if inline != existing.inline { patch.inline = inline }
        guard patch != SubscriberPatch() else { return (existing, false) }
        return (try updateSubscriber(id: existing.id, patch: patch, now: now) ?? existing, false)
    }

    /// Disables a subscriber that answered 410 Gone and cancels its other pending deliveries.
    func disableSubscriberGone(id: String, keeping deliveryID: String, now: Int64) throws {
        try prepare("""
            UPDATE webhooks SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?
            """).run([.text("the endpoint answered 410 Gone"), .int(now), .text(id)])
        SubscriberChanges.bump()
        try cancelPendingDeliveries(webhookID: id, reason: "webhook disabled: the endpoint answered 410 Gone",
                                    except: deliveryID)
    }

    private func save(_ s: Subscriber) throws {
        try prepare("""
            UPDATE webhooks SET url = ?, description = ?, secret = ?, previous_secret = ?,
                previous_secret_expires_at = ?, filter_recipients = ?, enabled = ?, disabled_reason = ?,
                updated_at = ?, inline_raw = ?, inline_attachments = ?, inline_max_bytes = ?
            WHERE id = ?
            """).run([.text(s.url), .text(s.description), .text(s.secret), s.previousSecret.map { .text($0) } ?? .null,
                      s.previousSecretExpiresAt.map { .int($0) } ?? .null, Self.value(s.filter),
                      .int(s.enabled ? 1 : 0), s.disabledReason.map { .text($0) } ?? .null, .int(s.updatedAt)]
                     + Self.values(s.inline) + [.text(s.id)])
        SubscriberChanges.bump()
    }

    private static func value(_ filter: RecipientFilter?) -> DatabaseValue {
        guard let filter, !filter.patterns.isEmpty else { return .null }
        return .text(filter.stored)
    }

    private static func values(_ inline: InlineContent) -> [DatabaseValue] {
        [.int(inline.raw ? 1 : 0), .int(inline.attachments ? 1 : 0), .int(Int64(inline.maxBytes))]
    }

    static func subscriber(from s: Statement) -> Subscriber {
        Subscriber(
            id: s.text(0) ?? "", url: s.text(1) ?? "", description: s.text(2) ?? "", secret: s.text(3) ?? "",
            previousSecret: s.text(4), previousSecretExpiresAt: s.isNull(5) ? nil : s.int64(5),
            filter: s.text(6).map { RecipientFilter(stored: $0) }, enabled: s.int64(7) != 0,
            disabledReason: s.text(8), isDefault: s.int64(9) != 0, createdAt: s.int64(10), updatedAt: s.int64(11),
            inline: InlineContent(raw: s.int64(12) != 0, attachments: s.int64(13) != 0, maxBytes: s.int(14)))
    }
}
