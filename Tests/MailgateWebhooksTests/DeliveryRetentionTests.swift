import MailgateCore
import MailgateStore
import Testing
@testable import MailgateWebhooks

/// MAILGATE_RETENTION bounds the delivery log: finished deliveries older than the cutoff go
/// with their attempts, in batches; pending ones and newer ones stay.
@Suite struct DeliveryRetentionTests {
    /// Adds a delivery created at `createdAt` (ms) with `status` and one attempt; returns its id.
    func delivery(_ storage: TestStorage, createdAt: Int64, status: String) throws -> String {
        try storage.sync { db in
            let id = ULID.make(milliseconds: createdAt)
            try db.cached("""
                INSERT INTO webhook_deliveries (id, webhook_id, event_type, message_id, status, next_attempt_at, created_at)
                VALUES (?, 'wh', 'message.received', 'm', ?, ?, ?)
                """).run([.text(id), .text(status), status == "pending" ? .int(createdAt) : .null, .int(createdAt)])
            try db.cached("INSERT INTO webhook_attempts (delivery_id, started_at) VALUES (?, ?)").run([.text(id), .int(createdAt)])
            return id
        }
    }

    func ids(_ storage: TestStorage, _ table: String, _ column: String) throws -> Set<String> {
        try storage.read { db in
            let s = try db.prepare("SELECT \(column) FROM \(table)")
            var out = Set<String>()
            while try s.step() { out.insert(s.text(0) ?? "") }
            return out
        }
    }

    @Test func finishedDeliveriesOlderThanTheCutoffGoWithTheirAttempts() throws {
        let storage = try TestStorage()
        let cutoff: Int64 = 1_700_000_000_000
        let old = try ["succeeded", "failed", "cancelled"].map { try delivery(storage, createdAt: cutoff - 5_000, status: $0) }
        let oldPending = try delivery(storage, createdAt: cutoff - 5_000, status: "pending")
        let atCutoff = try delivery(storage, createdAt: cutoff, status: "succeeded")
        let recent = try delivery(storage, createdAt: cutoff + 1, status: "failed")

        // In batches of two: 2, then 1, then nothing.
        #expect(try storage.sync { db in try DeliveryRetention.prune(in: db, olderThan: cutoff, limit: 2) } == 2)
        #expect(try storage.sync { db in try DeliveryRetention.prune(in: db, olderThan: cutoff, limit: 2) } == 1)
        #expect(try storage.sync { db in try DeliveryRetention.prune(in: db, olderThan: cutoff, limit: 2) } == 0)

        let kept: Set = [oldPending, atCutoff, recent]
        #expect(try ids(storage, "webhook_deliveries", "id") == kept)
        #expect(try ids(storage, "webhook_attempts", "delivery_id") == kept)
        #expect(Set(old).isDisjoint(with: kept))
    }
}
