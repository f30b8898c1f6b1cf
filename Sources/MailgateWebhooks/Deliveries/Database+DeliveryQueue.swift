import MailgateStore

/// A pending delivery as the dispatcher sees it when it looks for due work.
struct QueuedDelivery: Sendable, Equatable {
    var id: String
    var eventType: String
    var messageID: String?
    var attempts: Int
    var nextAttemptAt: Int64
    var createdAt: Int64
}

/// The result of one attempt, to be written after the POST.
struct AttemptRecord: Sendable {
    var deliveryID: String
    var webhookID: String
    var decision: DeliveryDecision
    /// When the POST went out (a delivery claimed ahead waits a little after its start record).
    var startedAt: Int64
    var statusCode: Int?
    var error: String?
    var durationMilliseconds: Int64
    var responseExcerpt: [UInt8]
}

/// The queue side of deliveries: what the dispatcher reads and writes (mox queue/hook.go style:
/// an attempt is recorded before its POST and completed after it).
extension Database {
    /// Pending deliveries of one subscriber not held by a live lease, soonest first.
    func queuedDeliveries(webhookID: String, now: Int64, limit: Int) throws -> [QueuedDelivery] {
        let statement = try prepare("""
            SELECT id, event_type, message_id, attempts, next_attempt_at, created_at FROM webhook_deliveries
            WHERE webhook_id = ? AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ?)
            ORDER BY next_attempt_at LIMIT ?
            """)
        try statement.bind([.text(webhookID), .int(now), .int(Int64(limit))])
        var out: [QueuedDelivery] = []
        while try statement.step() {
            out.append(QueuedDelivery(id: statement.text(0) ?? "", eventType: statement.text(1) ?? "",
                                      messageID: statement.text(2), attempts: statement.int(3),
                                      nextAttemptAt: statement.int64(4), createdAt: statement.int64(5)))
        }
        return out
    }

    /// Marks deliveries as in flight (leased until `leaseUntil`) and opens an attempt row for
    /// each. Returns the ids that are still pending and were started.
    func recordAttemptStarts(_ ids: [String], now: Int64, leaseUntil: Int64) throws -> [String] {
        let lease = try prepare("""
            UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = ?, lease_until = ?
            WHERE id = ? AND status = 'pending'
            """)
        let open = try prepare("INSERT INTO webhook_attempts (delivery_id, started_at) VALUES (?, ?)")
        var started: [String] = []
        for id in ids {
            try lease.run([.int(now), .int(leaseUntil), .text(id)])
            guard changes == 1 else { continue }
            try open.run([.text(id), .int(now)])
            started.append(id)
        }
        return started
    }

    /// Completes the open attempt of each record and moves its delivery on.
    func recordAttemptResults(_ records: [AttemptRecord], now: Int64) throws {
        let update = try prepare("""
            UPDATE webhook_deliveries SET status = ?, next_attempt_at = ?, last_status_code = ?, last_error = ?,
                lease_until = NULL
            WHERE id = ? AND status = 'pending'
            """)
        let release = try prepare("UPDATE webhook_deliveries SET lease_until = NULL WHERE id = ?")
        let close = try prepare("""
            UPDATE webhook_attempts SET started_at = ?, duration_ms = ?, status_code = ?, error = ?, response_excerpt = ?
            WHERE id = (SELECT MAX(id) FROM webhook_attempts WHERE delivery_id = ?)
            """)
        for r in records {
            let (status, next): (DeliveryStatus, Int64?) = switch r.decision {
            case .succeeded: (.succeeded, nil)
            case .retry(let at): (.pending, at)
            case .failed, .gone: (.failed, nil)
            }
            try update.run([.text(status.rawValue), next.map { .int($0) } ?? .null,
                            r.statusCode.map { .int(Int64($0)) } ?? .null, r.error.map { .text($0) } ?? .null,
                            .text(r.deliveryID)])
            // Cancelled while in flight: keep it cancelled, just drop the lease.
            if changes == 0 { try release.run([.text(r.deliveryID)]) }
            try close.run([.int(r.startedAt), .int(r.durationMilliseconds), r.statusCode.map { .int(Int64($0)) } ?? .null,
                           r.error.map { .text($0) } ?? .null, .blob(r.responseExcerpt), .text(r.deliveryID)])
            if r.decision == .gone {
                try disableSubscriberGone(id: r.webhookID, keeping: r.deliveryID, now: now)
            }
        }
    }

    /// Cancels one pending delivery (its message no longer exists).
    func cancelDelivery(id: String, reason: String) throws {
        try prepare("""
            UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL, last_error = ?, lease_until = NULL
            WHERE id = ? AND status = 'pending'
            """).run([.text(reason), .text(id)])
    }

    /// Restart recovery: deliveries that were in flight when the process stopped are due now, and
    /// their open attempts say so. Only valid while one process owns the queue (SQLite).
    func recoverInterruptedDeliveries(now: Int64) throws {
        try prepare("""
            UPDATE webhook_attempts SET error = 'interrupted: mailgate stopped during the attempt'
            WHERE duration_ms IS NULL AND error IS NULL AND delivery_id IN
                (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND lease_until IS NOT NULL)
            """).run()
        try prepare("""
            UPDATE webhook_deliveries SET lease_until = NULL, next_attempt_at = MIN(next_attempt_at, ?)
            WHERE status = 'pending' AND lease_until IS NOT NULL
            """).run([.int(now)])
    }

    /// Pending deliveries per subscriber: how many, and when the oldest was created (for metrics).
    func pendingDeliveryStats() throws -> [(webhookID: String, count: Int, oldestCreatedAt: Int64)] {
        let statement = try prepare("""
            SELECT webhook_id, COUNT(*), MIN(created_at) FROM webhook_deliveries
            WHERE status = 'pending' GROUP BY webhook_id
            """)
        var out: [(String, Int, Int64)] = []
        while try statement.step() { out.append((statement.text(0) ?? "", statement.int(1), statement.int64(2))) }
        return out
    }
}
