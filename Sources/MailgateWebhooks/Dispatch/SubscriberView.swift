import MailgateCore
import MailgateStore

/// The dispatcher's copy of the enabled subscribers, with their signing keys decoded once. It
/// is reloaded when SubscriberChanges moves, and every few seconds in any case (so a rotated-out
/// secret stops signing within that time of its expiry).
struct SubscriberView {
    struct Entry {
        var id: String
        var url: String
        /// The keys that sign now: two during a rotation.
        var keys: [[UInt8]]
        var inline: InlineContent
    }

    static let maxAgeMilliseconds: Int64 = 5000

    private(set) var entries: [String: Entry] = [:]
    /// Enabled subscriber ids in a stable order; scans start at a rotating offset for fairness.
    private(set) var order: [String] = []
    private(set) var generation: UInt64 = .max
    private(set) var loadedAt: Int64 = .min
    private var rotation = 0

    func isStale(now: Int64) -> Bool {
        generation != SubscriberChanges.current || now - loadedAt >= Self.maxAgeMilliseconds
    }

    /// Reloads from `db`; returns the ids that could not be used (undecodable secret).
    mutating func load(from db: Database, now: Int64) throws -> [String] {
        let generation = SubscriberChanges.current
        var entries: [String: Entry] = [:], order: [String] = [], broken: [String] = []
        for s in try db.subscribers() where s.enabled {
            let keys = s.signingSecrets(now: now).compactMap(WebhookSecret.key)
            guard WebhookSecret.key(s.secret) != nil else { broken.append(s.id); continue }
            entries[s.id] = Entry(id: s.id, url: s.url, keys: keys, inline: s.inline)
            order.append(s.id)
        }
        self.entries = entries
        self.order = order
        self.generation = generation
        loadedAt = now
        return broken
    }

    /// The subscriber ids to scan this time, starting one further each call.
    mutating func scanOrder() -> [String] {
        guard !order.isEmpty else { return [] }
        rotation = (rotation + 1) % order.count
        return Array(order[rotation...] + order[..<rotation])
    }
}
