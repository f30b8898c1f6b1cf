import MailgateCore
import MailgateStore

/// Delivery queries for the API, and the state changes the API can ask for.
extension Database {
    static let deliveryColumns = """
        id, webhook_id, event_type, message_id, status, attempts, next_attempt_at, last_attempt_at,
        last_status_code, last_error, created_at
        """

    public static let maxPageSize = 500

    /// Deliveries of one subscriber, newest first, optionally of one status. `cursor` is the
    /// `nextCursor` of the previous page (the last delivery id it showed).
    public func deliveries(webhookID: String, status: DeliveryStatus? = nil, limit: Int = 50,
                           cursor: String? = nil) throws -> DeliveryPage {
        guard (1...Self.maxPageSize).contains(limit) else {
            throw WebhookError.field("limit", "must be between 1 and \(Self.maxPageSize)")
        }
        if let cursor, !ULID.isValid(cursor) { throw WebhookError.field("cursor", "is not a cursor of this list") }
        var sql = "SELECT \(Self.deliveryColumns) FROM webhook_deliveries WHERE webhook_id = ?"
        var arguments: [DatabaseValue] = [.text(webhookID)]
        if let status { sql += " AND status = ?"; arguments.append(.text(status.rawValue)) }
        if let cursor { sql += " AND id < ?"; arguments.append(.text(cursor)) }
        sql += " ORDER BY id DESC LIMIT ?"
        arguments.append(.int(Int64(limit + 1)))
        let statement = try prepare(sql)
        try statement.bind(arguments)
        var items: [Delivery] = []
        while try statement.step() { items.append(Self.delivery(from: statement)) }
        var next: String?
        if items.count > limit {
            items.removeLast()
            next = items.last?.id
        }
        return DeliveryPage(items: items, nextCursor: next)
    }

    public func delivery(id: String) throws -> Delivery? {
        let statement = try prepare("SELECT \(Self.deliveryColumns) FROM webhook_deliveries WHERE id = ?")
        try statement.bind([.text(id)])
        return try statement.step() ? Self.delivery(from: statement) : nil
    }

    /// A delivery with every attempt, oldest attempt first.
    public func deliveryDetail(id: String) throws -> DeliveryDetail? {
        guard let delivery = try delivery(id: id) else { return nil }
        let statement = try prepare("""
            SELECT started_at, duration_ms, status_code, error, response_excerpt FROM webhook_attempts
            WHERE delivery_id = ? ORDER BY id
            """)
        try statement.bind([.text(id)])
        var attempts: [DeliveryAttempt] = []
        while try statement.step() {
            attempts.append(DeliveryAttempt(
                startedAt: statement.int64(0), durationMilliseconds: statement.isNull(1) ? nil : statement.int64(1),
                statusCode: statement.isNull(2) ? nil : statement.int(2), error: statement.text(3),
                responseExcerpt: statement.blob(4)))
        }
        return DeliveryDetail(delivery: delivery, attempts: attempts)
    }

    /// Queues a delivery again, due now, whatever its status (a manual retry is one more attempt:
    /// if it fails after the schedule ran out, it is `failed` again). Nil when it does not exist.
    public func retryDelivery(id: String, now: Int64) throws -> Delivery? {
        guard let existing = try delivery(id: id) else { return nil }
        guard try subscriber(id: existing.webhookID) != nil else {
            throw WebhookError.conflict("the webhook \(existing.webhookID) of delivery \(id) was deleted")
        }
        try prepare("""
            UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ? WHERE id = ?
            """).run([.int(now), .text(id)])
        return try delivery(id: id)
    }

    /// Creates a pending `webhook.test` delivery for a subscriber, due now.
    public func insertTestDelivery(webhookID: String, now: Int64) throws -> Delivery {
        guard let subscriber = try subscriber(id: webhookID) else {
            throw WebhookError.notFound("webhook \(webhookID) does not exist")
        }
        guard subscriber.enabled else { throw WebhookError.conflict("webhook \(webhookID) is disabled") }
        let id = ULID.make(milliseconds: now)
        try prepare("""
            INSERT INTO webhook_deliveries (id, webhook_id, event_type, message_id, status, next_attempt_at, created_at)
            VALUES (?, ?, ?, NULL, 'pending', ?, ?)
            """).run([.text(id), .text(webhookID), .text(WebhookEventType.test), .int(now), .int(now)])
        return Delivery(id: id, webhookID: webhookID, eventType: WebhookEventType.test, messageID: nil,
                        status: .pending, attempts: 0, nextAttemptAt: now, lastAttemptAt: nil,
                        lastStatusCode: nil, lastError: nil, createdAt: now)
    }

    /// Cancels the pending deliveries of a subscriber (except one, if given).
    func cancelPendingDeliveries(webhookID: String, reason: String, except: String?) throws {
        try prepare("""
            UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL, last_error = ?
            WHERE webhook_id = ? AND status = 'pending' AND id IS NOT ?
            """).run([.text(reason), .text(webhookID), except.map { .text($0) } ?? .null])
    }

    static func delivery(from s: Statement) -> Delivery {
        Delivery(
            id: s.text(0) ?? "", webhookID: s.text(1) ?? "", eventType: s.text(2) ?? "", messageID: s.text(3),
            status: DeliveryStatus(rawValue: s.text(4) ?? "") ?? .pending, attempts: s.int(5),
            nextAttemptAt: s.isNull(6) ? nil : s.int64(6), lastAttemptAt: s.isNull(7) ? nil : s.int64(7),
            lastStatusCode: s.isNull(8) ? nil : s.int(8), lastError: s.text(9), createdAt: s.int64(10))
    }
}
