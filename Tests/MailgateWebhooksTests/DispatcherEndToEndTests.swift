import Dispatch
import MailgateCore
import MailgateStore
import Synchronization
import Testing
@testable import MailgateWebhooks

/// The dispatcher against a real HTTP receiver that verifies every request with the
/// `standardwebhooks` PyPI package. Short schedules keep the suite fast; deadlines are generous.
@Suite(.serialized) struct DispatcherEndToEndTests {
    let storage: TestStorage
    let messages = MessageStore()

    init() throws { storage = try TestStorage() }

    func configuration(schedule: String = "300ms,300ms,300ms", timeout: Int = 5_000, perSubscriber: Int = 4,
                       global: Int = 64) throws -> DispatcherConfiguration {
        DispatcherConfiguration(version: "test", policy: RetryPolicy(schedule: try RetrySchedule(parsing: schedule)),
                                connectTimeoutMilliseconds: 2_000, requestTimeoutMilliseconds: timeout,
                                perSubscriberConcurrency: perSubscriber, globalConcurrency: global,
                                idlePollMilliseconds: 200)
    }

    func subscriber(_ url: String, secret: String, filter: [String]? = nil) throws -> Subscriber {
        try storage.sync { db in
            try db.insertSubscriber(NewSubscriber(url: url, secret: secret,
                                                  filter: try filter.map { try RecipientFilter(validating: $0) }),
                                    now: Clock.nowMilliseconds())
        }
    }

    /// Stores a message's deliveries the way the store does, then wakes the dispatcher.
    @discardableResult
    func receive(_ webhooks: Webhooks, to recipient: String = "a@b.test") throws -> String {
        let id = messages.add(ULID.make())
        _ = try storage.sync { db in
            try webhooks.outbox.enqueue(in: db, messageID: id, recipients: [recipient], now: Clock.nowMilliseconds())
        }
        webhooks.wake()
        return id
    }

    func deliveries(_ webhookID: String) throws -> [Delivery] {
        try storage.read { try $0.deliveries(webhookID: webhookID, limit: 500).items }
    }

    @Test func aReceiverThatFailsTwiceGetsTheSameWebhookIDThreeTimes() throws {
        let secret = WebhookSecret.generate()
        let receiver = try Receiver(routes: ["/flaky": .init(mode: .fail2, secrets: [secret])])
        let sub = try subscriber(receiver.url("/flaky"), secret: secret)
        let webhooks = Webhooks(storage: storage, configuration: try configuration(), payloadProvider: messages.provider)
        try webhooks.start()
        defer { webhooks.stop() }
        let messageID = try receive(webhooks)

        #expect(try eventually { try deliveries(sub.id).first?.status == .succeeded })
        let delivery = try #require(try deliveries(sub.id).first)
        #expect(delivery.attempts == 3)
        #expect(delivery.messageID == messageID)
        #expect(delivery.lastStatusCode == 200)
        let records = receiver.records("/flaky")
        #expect(records.map(\.status) == [500, 500, 200])
        #expect(records.map(\.webhookID) == Array(repeating: "msg_" + delivery.id, count: 3))
        #expect(records.map(\.verified) == [[true], [true], [true]])
        #expect(records.allSatisfy { $0.userAgent == "Mailgate/test" && $0.contentType == "application/json" })
        let expectedBody = WebhookPayload.messageReceived(eventTime: delivery.createdAt,
                                                          message: messages.provider(messageID, .linksOnly) ?? [])
        #expect(records.allSatisfy { Array($0.body.utf8) == expectedBody })

        let detail = try #require(try storage.read { try $0.deliveryDetail(id: delivery.id) })
        #expect(detail.attempts.map(\.statusCode) == [500, 500, 200])
        #expect(detail.attempts.map(\.error) == ["HTTP 500", "HTTP 500", nil])
        #expect(detail.attempts.map { String(decoding: $0.responseExcerpt, as: UTF8.self) }
            == [#"{"status": 500}"#, #"{"status": 500}"#, #"{"status": 200}"#])
        #expect(detail.attempts.allSatisfy { $0.durationMilliseconds != nil })
        let snapshot = webhooks.metrics.snapshot()
        #expect(snapshot.deliveriesByResult[.retrying] == 2)
        #expect(snapshot.deliveriesByResult[.succeeded] == 1)
        #expect(snapshot.latencyCount == 3)
        #expect(snapshot.latencyBuckets.last?.count == 3)
    }

    @Test func aReceiverThatIsDownGetsEverythingWhenItComesBack() throws {
        let secret = WebhookSecret.generate()
        let receiver = try Receiver(routes: ["/in": .init(mode: .ok, secrets: [secret])])
        receiver.stop()
        let sub = try subscriber(receiver.url("/in"), secret: secret)
        let webhooks = Webhooks(storage: storage, configuration: try configuration(schedule: Array(repeating: "300ms", count: 40).joined(separator: ",")),
                                payloadProvider: messages.provider)
        try webhooks.start()
        defer { webhooks.stop() }
        for _ in 0..<3 { try receive(webhooks) }

        // Every delivery has been refused at least once.
        #expect(try eventually {
            let ds = try deliveries(sub.id)
            return ds.count == 3 && ds.allSatisfy { $0.attempts >= 1 && $0.status == .pending && $0.lastError != nil }
        })
        #expect(receiver.records.isEmpty)
        try receiver.start()

        #expect(try eventually { try deliveries(sub.id).allSatisfy { $0.status == .succeeded } })
        let records = receiver.records("/in")
        #expect(Set(records.map(\.webhookID)) == Set(try deliveries(sub.id).map { "msg_" + $0.id }))
        #expect(records.count == 3)
        #expect(records.allSatisfy { $0.verified == [true] })
    }

    @Test func aHungReceiverDoesNotDelayAHealthyOne() throws {
        let secret = WebhookSecret.generate()
        let receiver = try Receiver(routes: ["/hung": .init(mode: .hang, secrets: [secret]),
                                             "/ok": .init(mode: .ok, secrets: [secret])])
        defer { receiver.release() }
        let hung = try subscriber(receiver.url("/hung"), secret: secret, filter: ["*@hung.test"])
        let healthy = try subscriber(receiver.url("/ok"), secret: secret, filter: ["*@ok.test"])
        let webhooks = Webhooks(storage: storage,
                                configuration: try configuration(timeout: 60_000, perSubscriber: 4, global: 6),
                                payloadProvider: messages.provider)
        try webhooks.start()
        defer { webhooks.stop() }

        for _ in 0..<8 { try receive(webhooks, to: "x@hung.test") }
        #expect(eventually { receiver.records("/hung").count == 4 })
        for _ in 0..<5 { try receive(webhooks, to: "y@ok.test") }

        #expect(try eventually { try deliveries(healthy.id).filter { $0.status == .succeeded }.count == 5 })
        // The hung endpoint holds exactly its own four slots, and none of its deliveries finished.
        #expect(receiver.records("/hung").count == 4)
        #expect(try deliveries(hung.id).allSatisfy { $0.status == .pending })
        #expect(receiver.records("/ok").count == 5)

        receiver.release()
        #expect(try eventually { try deliveries(hung.id).allSatisfy { $0.status == .succeeded } })
        #expect(receiver.records("/hung").count == 8)
    }

    @Test func goneDisablesTheSubscriberAndCancelsItsPendingDeliveries() throws {
        let secret = WebhookSecret.generate()
        let receiver = try Receiver(routes: ["/gone": .init(mode: .gone, secrets: [secret])])
        let sub = try subscriber(receiver.url("/gone"), secret: secret)
        let webhooks = Webhooks(storage: storage, configuration: try configuration(perSubscriber: 1),
                                payloadProvider: messages.provider)
        try webhooks.start()
        defer { webhooks.stop() }
        for _ in 0..<3 { try receive(webhooks) }

        #expect(try eventually { try deliveries(sub.id).allSatisfy { $0.status != .pending } })
        // One delivery was POSTed and got the 410; the other two were cancelled unsent. (Which
        // one went first is not the id order: ids made in one millisecond sort at random.)
        let ds = try deliveries(sub.id)
        let failed = ds.filter { $0.status == .failed }
        let cancelled = ds.filter { $0.status == .cancelled }
        #expect(ds.count == 3 && failed.count == 1 && cancelled.count == 2)
        #expect(failed.first?.lastStatusCode == 410)
        #expect(cancelled.allSatisfy { $0.lastError == "webhook disabled: the endpoint answered 410 Gone" })
        let after = try #require(try storage.read { try $0.subscriber(id: sub.id) })
        #expect(!after.enabled)
        #expect(after.disabledReason == "the endpoint answered 410 Gone")
        #expect(receiver.records.count == 1)
        // Later messages no longer go to it.
        #expect(try storage.sync { db in try webhooks.outbox.enqueue(in: db, messageID: "m", recipients: [], now: 1) } == 0)
    }

    @Test func deliveriesInFlightWhenTheDispatcherStoppedAreDeliveredAfterARestart() throws {
        let secret = WebhookSecret.generate()
        let receiver = try Receiver(routes: ["/slow": .init(mode: .hangFirst, secrets: [secret])])
        defer { receiver.release() }
        let sub = try subscriber(receiver.url("/slow"), secret: secret)
        let first = Webhooks(storage: storage, configuration: try configuration(timeout: 60_000),
                             payloadProvider: messages.provider)
        try first.start()
        try receive(first)
        #expect(eventually { receiver.records.count == 1 })
        first.stop()

        let leased = try storage.read { db in
            try db.scalarInt("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending' AND lease_until IS NOT NULL")
        }
        #expect(leased == 1)
        #expect(try deliveries(sub.id).first?.attempts == 1)

        let second = Webhooks(storage: storage, configuration: try configuration(), payloadProvider: messages.provider)
        try second.start()
        defer { second.stop() }
        #expect(try eventually { try deliveries(sub.id).first?.status == .succeeded })
        let delivery = try #require(try deliveries(sub.id).first)
        #expect(delivery.attempts == 2)
        #expect(receiver.records.map(\.webhookID) == ["msg_" + delivery.id, "msg_" + delivery.id])
        let detail = try #require(try storage.read { try $0.deliveryDetail(id: delivery.id) })
        #expect(detail.attempts.map(\.error) == ["interrupted: mailgate stopped during the attempt", nil])
    }

    @Test func aTestEventDuringRotationCarriesBothSignatures() throws {
        let old = WebhookSecret.generate(), new = WebhookSecret.generate()
        let receiver = try Receiver(routes: ["/t": .init(mode: .ok, secrets: [old, new])])
        let sub = try subscriber(receiver.url("/t"), secret: old)
        let webhooks = Webhooks(storage: storage, configuration: try configuration(), payloadProvider: messages.provider)
        try webhooks.start()
        defer { webhooks.stop() }
        let rotated = try wait { webhooks.update(id: sub.id, patch: SubscriberPatch(secret: .set(new)), completion: $0) }
        #expect(rotated.secret == new)
        let test = try wait { webhooks.sendTest(webhookID: sub.id, completion: $0) }

        #expect(eventually { receiver.records.count == 1 })
        let record = try #require(receiver.records.first)
        #expect(record.webhookID == "msg_" + test.id)
        #expect(record.verified == [true, true])
        #expect(record.signature.split(separator: " ").count == 2)
        #expect(Array(record.body.utf8) == WebhookPayload.test(eventTime: test.createdAt, webhookID: sub.id))
    }

    @Test func retryAfterOn429IsHonoured() throws {
        let secret = WebhookSecret.generate()
        let receiver = try Receiver(routes: ["/busy": .init(mode: .busyOnce, secrets: [secret])])
        let sub = try subscriber(receiver.url("/busy"), secret: secret)
        let webhooks = Webhooks(storage: storage, configuration: try configuration(schedule: "100ms,100ms"),
                                payloadProvider: messages.provider)
        try webhooks.start()
        defer { webhooks.stop() }
        try receive(webhooks)

        #expect(try eventually { try deliveries(sub.id).first?.status == .succeeded })
        let delivery = try #require(try deliveries(sub.id).first)
        let detail = try #require(try storage.read { try $0.deliveryDetail(id: delivery.id) })
        #expect(detail.attempts.map(\.statusCode) == [429, 200])
        // The second attempt waited for Retry-After (1 s), not for the 100 ms of the schedule.
        let first = detail.attempts[0], second = detail.attempts[1]
        #expect(second.startedAt - first.startedAt >= 1000)
    }

    @Test func aLargeResponseIsCutAtTheCapAndTheExcerptStored() throws {
        let secret = WebhookSecret.generate()
        let receiver = try Receiver(routes: ["/big": .init(mode: .big, secrets: [secret])])
        let sub = try subscriber(receiver.url("/big"), secret: secret)
        let webhooks = Webhooks(storage: storage, configuration: try configuration(), payloadProvider: messages.provider)
        try webhooks.start()
        defer { webhooks.stop() }
        try receive(webhooks)

        #expect(try eventually { try deliveries(sub.id).first?.status == .succeeded })
        let delivery = try #require(try deliveries(sub.id).first)
        let detail = try #require(try storage.read { try $0.deliveryDetail(id: delivery.id) })
        #expect(detail.attempts.map(\.responseExcerpt) == [Array(repeating: UInt8(ascii: "x"), count: 2048)])
    }

    @Test func aDeliveryWhoseMessageWasDeletedIsCancelled() throws {
        let secret = WebhookSecret.generate()
        let receiver = try Receiver(routes: ["/in": .init(mode: .ok, secrets: [secret])])
        let sub = try subscriber(receiver.url("/in"), secret: secret)
        let webhooks = Webhooks(storage: storage, configuration: try configuration(), payloadProvider: messages.provider)
        let id = messages.add(ULID.make())
        _ = try storage.sync { db in try webhooks.outbox.enqueue(in: db, messageID: id, recipients: [], now: Clock.nowMilliseconds()) }
        messages.remove(id)
        try webhooks.start()
        defer { webhooks.stop() }

        #expect(try eventually { try deliveries(sub.id).first?.status == .cancelled })
        #expect(try deliveries(sub.id).first?.lastError == "the message no longer exists")
        #expect(try deliveries(sub.id).first?.attempts == 0)
        #expect(receiver.records.isEmpty)
    }
}

/// Waits for a completion-style API call.
func wait<T: Sendable>(_ call: (@escaping @Sendable (Result<T, WebhookError>) -> Void) -> Void) throws -> T {
    let done = DispatchSemaphore(value: 0)
    let box = Mutex<Result<T, WebhookError>?>(nil)
    call { result in
        box.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    guard let result = box.withLock({ $0 }) else { throw WebhookError.storage("no result") }
    return try result.get()
}
