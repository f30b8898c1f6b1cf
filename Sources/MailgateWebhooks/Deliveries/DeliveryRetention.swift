import MailgateCore
import MailgateStore

/// Keeps the delivery log bounded: finished deliveries (succeeded, failed, cancelled) older than
/// the message retention go, with their attempts. Pending ones stay whatever their age: they
/// are still owed to a subscriber. Runs as a store retention hook (MAILGATE_RETENTION).
public enum DeliveryRetention {
    /// Deletes at most `limit` finished deliveries created before `cutoff` (ms) and their
    /// attempts; returns how many deliveries.
    public static func prune(in db: Database, olderThan cutoff: Int64, limit: Int) throws -> Int {
        // Delivery ids are ULIDs: the ones created before `cutoff` sort below the lowest ULID
        // of that millisecond, so this is a range of the primary key.
        let bound = ULID.encode(milliseconds: cutoff, random: [UInt8](repeating: 0, count: 10))
        let select = try db.cached("""
            SELECT id FROM webhook_deliveries
            WHERE id < ? AND status IN ('succeeded', 'failed', 'cancelled') ORDER BY id LIMIT ?
            """)
        defer { select.reset() }
        try select.bind([.text(bound), .int(Int64(limit))])
        var ids: [String] = []
        while try select.step() { if let id = select.text(0) { ids.append(id) } }
        let attempts = try db.cached("DELETE FROM webhook_attempts WHERE delivery_id = ?")
        let delivery = try db.cached("DELETE FROM webhook_deliveries WHERE id = ?")
        for id in ids {
            try attempts.run([.text(id)])
            try delivery.run([.text(id)])
        }
        return ids.count
    }
}
