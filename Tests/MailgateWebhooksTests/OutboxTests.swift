import MailgateStore
import Testing
@testable import MailgateWebhooks

@Suite struct OutboxTests {
    func make(_ storage: TestStorage, _ url: String, filter: [String]? = nil, enabled: Bool = true) throws -> String {
        try storage.sync { db in
            try db.insertSubscriber(NewSubscriber(url: url, filter: try filter.map { try RecipientFilter(validating: $0) },
                                                  enabled: enabled), now: 1000).id
        }
    }

    func targets(_ storage: TestStorage, message: String) throws -> Set<String> {
        try storage.read { db in
            let s = try db.prepare("SELECT webhook_id, status, next_attempt_at, event_type FROM webhook_deliveries WHERE message_id = ?")
            try s.bind([.text(message)])
            var out = Set<String>()
            while try s.step() {
                #expect(s.text(1) == "pending")
                #expect(s.int64(2) == 5000)
                #expect(s.text(3) == "message.received")
                out.insert(s.text(0) ?? "")
            }
            return out
        }
    }

    @Test func enqueuePicksExactlyTheMatchingEnabledSubscribers() throws {
        let storage = try TestStorage()
        let all = try make(storage, "http://a.test/")
        let domain = try make(storage, "http://b.test/", filter: ["*@example.com"])
        let exact = try make(storage, "http://c.test/", filter: ["support@x.test"])
        _ = try make(storage, "http://d.test/", enabled: false)
        _ = try make(storage, "http://e.test/", filter: ["*@other.test"])
        let outbox = Outbox()

        let n1 = try storage.sync { db in try outbox.enqueue(in: db, messageID: "m1", recipients: ["User@Example.COM"], now: 5000) }
        #expect(n1 == 2)
        #expect(try targets(storage, message: "m1") == [all, domain])

        _ = try storage.sync { db in try outbox.enqueue(in: db, messageID: "m2", recipients: ["nobody@y.test", "SUPPORT@x.test"], now: 5000) }
        #expect(try targets(storage, message: "m2") == [all, exact])
    }

    @Test func subscriberChangesReachTheCachedOutbox() throws {
        let storage = try TestStorage()
        let outbox = Outbox()
        #expect(try storage.sync { db in try outbox.enqueue(in: db, messageID: "m1", recipients: ["a@b.test"], now: 5000) } == 0)
        let added = try make(storage, "http://a.test/")
        #expect(try storage.sync { db in try outbox.enqueue(in: db, messageID: "m2", recipients: ["a@b.test"], now: 5000) } == 1)
        _ = try storage.sync { db in try db.updateSubscriber(id: added, patch: SubscriberPatch(enabled: false), now: 2000) }
        #expect(try storage.sync { db in try outbox.enqueue(in: db, messageID: "m3", recipients: ["a@b.test"], now: 5000) } == 0)
    }
}

@Suite struct SubscriberStoreTests {
    @Test func createGeneratesASecretAndValidatesTheURL() throws {
        let storage = try TestStorage()
        let s = try storage.sync { db in try db.insertSubscriber(NewSubscriber(url: "https://h.test/x", description: "d"), now: 1000) }
        #expect(s.secret.hasPrefix("whsec_") && WebhookSecret.key(s.secret)?.count == 24)
        #expect(try storage.read { try $0.subscriber(id: s.id) } == s)
        #expect(throws: WebhookError.field("url", "scheme must be http or https")) {
            try storage.sync { db in try db.insertSubscriber(NewSubscriber(url: "ftp://h.test/"), now: 1000) }
        }
    }

    @Test func rotationKeepsThePreviousSecretFor24Hours() throws {
        let storage = try TestStorage()
        let s = try storage.sync { db in try db.insertSubscriber(NewSubscriber(url: "https://h.test/x"), now: 1000) }
        let rotated = try #require(try storage.sync { db in
            try db.updateSubscriber(id: s.id, patch: SubscriberPatch(secret: .generate), now: 10_000)
        })
        #expect(rotated.secret != s.secret)
        #expect(rotated.previousSecret == s.secret)
        #expect(rotated.previousSecretExpiresAt == Int64(86_410_000))
        #expect(rotated.signingSecrets(now: 20_000) == [rotated.secret, s.secret])
    }

    @Test func deleteCancelsPendingDeliveriesAndKeepsFinalOnes() throws {
        let storage = try TestStorage()
        let s = try storage.sync { db in try db.insertSubscriber(NewSubscriber(url: "https://h.test/x"), now: 1000) }
        let outbox = Outbox()
        _ = try storage.sync { db in
            try outbox.enqueue(in: db, messageID: "m1", recipients: ["a@b.test"], now: 2000)
            try outbox.enqueue(in: db, messageID: "m2", recipients: ["a@b.test"], now: 2001)
            try db.execute("UPDATE webhook_deliveries SET status = 'succeeded', next_attempt_at = NULL WHERE message_id = 'm1'")
        }
        #expect(try storage.sync { db in try db.deleteSubscriber(id: s.id, now: 3000) })
        #expect(try storage.sync { db in try db.deleteSubscriber(id: s.id, now: 3000) } == false)
        let page = try storage.read { try $0.deliveries(webhookID: s.id) }
        #expect(page.items.map(\.status) == [.cancelled, .succeeded])
        #expect(page.items.first?.lastError == "webhook deleted")
    }

    @Test func defaultSubscriberIsIdempotentAcrossRestarts() throws {
        let storage = try TestStorage()
        let first = try storage.sync { db in try db.ensureDefaultSubscriber(url: "http://h.test/in", secret: nil, now: 1000) }
        #expect(first.created)
        let again = try storage.sync { db in try db.ensureDefaultSubscriber(url: "http://h.test/in", secret: nil, now: 2000) }
        #expect(!again.created)
        #expect(again.subscriber == first.subscriber)
        let moved = try storage.sync { db in
            try db.ensureDefaultSubscriber(url: "http://h.test/v2", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", now: 3000)
        }
        #expect(moved.subscriber.id == first.subscriber.id)
        #expect(moved.subscriber.url == "http://h.test/v2")
        #expect(moved.subscriber.secret == "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        #expect(moved.subscriber.previousSecret == first.subscriber.secret)
        #expect(try storage.read { try $0.subscribers().count } == 1)
        // MAILGATE_WEBHOOK_INLINE is re-asserted at every start, like the URL.
        let inline = InlineContent(raw: true, attachments: false, maxBytes: 4096)
        let inlined = try storage.sync { db in try db.ensureDefaultSubscriber(url: "http://h.test/v2", secret: nil, inline: inline, now: 4000) }
        #expect(inlined.subscriber.inline == inline && !inlined.created)
        let back = try storage.sync { db in try db.ensureDefaultSubscriber(url: "http://h.test/v2", secret: nil, now: 5000) }
        #expect(back.subscriber.inline == .linksOnly)
    }
}

@Suite struct DeliveryQueryTests {
    @Test func listsNewestFirstWithAKeysetCursorAndStatusFilter() throws {
        let storage = try TestStorage()
        let s = try storage.sync { db in try db.insertSubscriber(NewSubscriber(url: "https://h.test/x"), now: 1000) }
        let outbox = Outbox()
        _ = try storage.sync { db in
            for i in 0..<5 { try outbox.enqueue(in: db, messageID: "m\(i)", recipients: [], now: 2000 + Int64(i)) }
            try db.execute("UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE message_id IN ('m1', 'm3')")
        }
        let first = try storage.read { try $0.deliveries(webhookID: s.id, limit: 2) }
        #expect(first.items.map(\.messageID) == ["m4", "m3"])
        let cursor = try #require(first.nextCursor)
        let second = try storage.read { try $0.deliveries(webhookID: s.id, limit: 2, cursor: cursor) }
        #expect(second.items.map(\.messageID) == ["m2", "m1"])
        let third = try storage.read { try $0.deliveries(webhookID: s.id, limit: 2, cursor: second.nextCursor) }
        #expect(third.items.map(\.messageID) == ["m0"])
        #expect(third.nextCursor == nil)
        let failed = try storage.read { try $0.deliveries(webhookID: s.id, status: .failed) }
        #expect(failed.items.map(\.messageID) == ["m3", "m1"])
        #expect(throws: WebhookError.field("cursor", "is not a cursor of this list")) {
            try storage.read { try $0.deliveries(webhookID: s.id, cursor: "nope") }
        }
    }

    @Test func deliveryJSONHasTheAPIShape() {
        let d = Delivery(id: "01JDX4Q6W9Z7ZK3B2B7T1N5G3M", webhookID: "01JDX4Q6W9Z7ZK3B2B7T1N5G3N",
                         eventType: "message.received", messageID: "01JDX4Q6W9Z7ZK3B2B7T1N5G3P", status: .pending,
                         attempts: 2, nextAttemptAt: 1_795_867_200_000, lastAttemptAt: 1_795_867_195_000,
                         lastStatusCode: 503, lastError: "HTTP 503", createdAt: 1_795_867_190_000)
        #expect(String(decoding: d.json(), as: UTF8.self) == #"{"id":"01JDX4Q6W9Z7ZK3B2B7T1N5G3M","webhook_id":"01JDX4Q6W9Z7ZK3B2B7T1N5G3N","type":"message.received","message_id":"01JDX4Q6W9Z7ZK3B2B7T1N5G3P","status":"pending","attempts":2,"next_attempt_at":"2026-11-28T12:00:00.000Z","last_attempt_at":"2026-11-28T11:59:55.000Z","last_status_code":503,"last_error":"HTTP 503","created_at":"2026-11-28T11:59:50.000Z"}"#)
        let detail = DeliveryDetail(delivery: d, attempts: [
            DeliveryAttempt(startedAt: 1_795_867_195_000, durationMilliseconds: 12, statusCode: 503, error: "HTTP 503",
                            responseExcerpt: Array("busy".utf8)),
        ])
        #expect(String(decoding: detail.json(), as: UTF8.self).hasSuffix(
            #""attempt_history":[{"started_at":"2026-11-28T11:59:55.000Z","duration_ms":12,"status_code":503,"error":"HTTP 503","response_excerpt":"busy"}]}"#))
    }

    @Test func subscriberJSONShowsTheSecretOnlyWhenAsked() throws {
        let s = Subscriber(id: "01JDX4Q6W9Z7ZK3B2B7T1N5G3N", url: "https://h.test/x", description: "CI",
                           secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", previousSecret: nil, previousSecretExpiresAt: nil,
                           filter: try RecipientFilter(validating: ["*@example.com"]), enabled: true, disabledReason: nil,
                           isDefault: false, createdAt: 1_795_867_200_000, updatedAt: 1_795_867_200_000)
        let hidden = #"{"id":"01JDX4Q6W9Z7ZK3B2B7T1N5G3N","url":"https://h.test/x","description":"CI","filter":{"recipients":["*@example.com"]},"inline":{"raw":false,"attachments":false,"max_bytes":1048576},"enabled":true,"disabled_reason":null,"default":false,"created_at":"2026-11-28T12:00:00.000Z","updated_at":"2026-11-28T12:00:00.000Z"}"#
        #expect(String(decoding: s.json(), as: UTF8.self) == hidden)
        #expect(String(decoding: s.json(includeSecret: true), as: UTF8.self) ==
            hidden.dropLast() + #","secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}"#)
    }
}
