import MailgateCore
import MailgateStore
import Synchronization

/// The transactional outbox (WEBHOOKS.md): the store calls `enqueue` inside the savepoint that
/// writes the message, before the SMTP 250, so a message and its deliveries commit together.
/// The enabled subscribers and their filters are cached until a subscriber changes.
public final class Outbox: Sendable {
    struct Target: Sendable {
        let webhookID: String
        let filter: RecipientFilter?
    }

    private let cache = Mutex<(generation: UInt64, targets: [Target])?>(nil)

    public init() {}

    /// Inserts one pending delivery, due `now` (milliseconds), per enabled subscriber whose
    /// filter matches one of the envelope `recipients`. Returns how many were inserted (wake the
    /// dispatcher after the commit when it is not zero).
    @discardableResult
    public func enqueue(in db: Database, messageID: String, recipients: [String], now: Int64) throws -> Int {
        let targets = try self.targets(db)
        guard !targets.isEmpty else { return 0 }
        var lowered: [String]?
        var matching: [String] = []
        for target in targets {
            guard let filter = target.filter else { matching.append(target.webhookID); continue }
            let recipientsLowered = lowered ?? recipients.map { $0.lowercased() }
            lowered = recipientsLowered
            if recipientsLowered.contains(where: filter.matches(lowercased:)) { matching.append(target.webhookID) }
        }
        guard !matching.isEmpty else { return 0 }
        let insert = try db.cached("""
            INSERT INTO webhook_deliveries (id, webhook_id, event_type, message_id, status, next_attempt_at, created_at)
            VALUES (?, ?, 'message.received', ?, 'pending', ?, ?)
            """)
        for webhookID in matching {
            try insert.run([.text(ULID.make(milliseconds: now)), .text(webhookID), .text(messageID), .int(now), .int(now)])
        }
        return matching.count
    }

    /// The enabled subscribers, from the cache when no subscriber changed since it was filled.
    private func targets(_ db: Database) throws -> [Target] {
        let generation = SubscriberChanges.current
        if let cached = cache.withLock({ $0 }), cached.generation == generation { return cached.targets }
        let statement = try db.prepare("SELECT id, filter_recipients FROM webhooks WHERE enabled = 1 ORDER BY id")
        var targets: [Target] = []
        while try statement.step() {
            targets.append(Target(webhookID: statement.text(0) ?? "",
                                  filter: statement.text(1).map { RecipientFilter(stored: $0) }))
        }
        cache.withLock { $0 = (generation, targets) }
        return targets
    }
}
