import MailgateCore
import MailgateStore
import MailgateWebhooks
import Synchronization

/// Connects the webhooks to the rest: the outbox as a store commit hook (delivery rows in the
/// message's own transaction, before the 250), a dispatcher wake-up after each commit, the
/// payload from the stored message JSON, the default subscriber of MAILGATE_WEBHOOK_URL.
final class WebhookWiring: Sendable {
    static let migrations = WebhookMigrations.migrations
    let webhooks: Webhooks
    let storage: StoreWebhookStorage

    init(configuration c: Configuration, store: Store, logger: Logger) throws {
        storage = StoreWebhookStorage(store: store)
        let schedule = try RetrySchedule(parsing: c.webhookRetrySchedule)
        let dispatcher = DispatcherConfiguration(
            version: MailgateVersion.current, policy: RetryPolicy(schedule: schedule),
            requestTimeoutMilliseconds: Int(c.webhookTimeoutMilliseconds),
            perSubscriberConcurrency: c.webhookConcurrency, globalConcurrency: c.webhookGlobalConcurrency,
            addressPolicy: c.webhookAddressPolicy,
            log: { line in logger.warn("webhook dispatcher", ["detail": line]) })
        let payloads = PayloadSource(store: store, publicURL: c.publicURL)
        webhooks = Webhooks(storage: storage, configuration: dispatcher) { id, inline in payloads.messageJSON(id, inline: inline) }
        let outbox = webhooks.outbox
        // Set when a commit hook added deliveries; a rolled-back one only costs a spare wake-up.
        let added = DeliveriesAdded()
        store.addCommitHook { db, message in
            let count = try outbox.enqueue(in: db, messageID: message.id, recipients: message.envelope.rcptTo,
                                           now: message.receivedAt)
            if count > 0 { added.flag.store(true, ordering: .relaxed) }
        }
        // MAILGATE_RETENTION also bounds the delivery log (finished deliveries and attempts).
        store.addRetentionHook { db, cutoff, limit in try DeliveryRetention.prune(in: db, olderThan: cutoff, limit: limit) }
        let webhooks = self.webhooks
        // One wake-up per committed batch that added deliveries (the dispatcher finds what is
        // due itself; retries have their own timers). Without subscribers, ingest never wakes it.
        store.addCommitObserver { _ in
            if added.flag.exchange(false, ordering: .relaxed) { webhooks.wake() }
        }
        try webhooks.start()
        if let url = c.webhookURL {
            let (subscriber, created) = try webhooks.ensureDefaultSubscriber(url: url, secret: c.webhookSecret,
                                                                                 inline: c.webhookInline)
            if created && c.webhookSecret == nil {
                logger.info("default webhook subscriber created; its secret is shown once",
                            ["webhook_id": subscriber.id, "url": url, "secret": subscriber.secret])
            } else {
                logger.info("default webhook subscriber", ["webhook_id": subscriber.id, "url": url])
            }
        }
    }

    func stop() { webhooks.stop() }
}

/// Whether the commit hook added deliveries since the last wake-up.
private final class DeliveriesAdded: Sendable {
    let flag = Atomic<Bool>(false)
}

/// Makes the API links in a rendered message absolute. Only the values of the keys `raw_url`
/// and `url` are touched: both keys are written by MessageRendering and never come from the
/// message (header names and values are JSON values under "name"/"value", and any quote inside a
/// value is escaped, so the byte sequence `"url":"/api/` cannot be forged by a sender).
enum AbsoluteLinks {
    static func rewrite(_ json: [UInt8], baseURL: String) -> [UInt8] {
        let patterns = [Array(#""raw_url":"/api/"#.utf8), Array(#""url":"/api/"#.utf8)]
        let base = Array(baseURL.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(json.count + 256)
        var i = 0
        scan: while i < json.count {
            if json[i] == UInt8(ascii: "\"") {
                for p in patterns where json.count - i >= p.count && json[i..<(i + p.count)].elementsEqual(p) {
                    // Copy up to the opening quote of the value, then the base, then "/api/...".
                    let valueStart = p.count - 5  // index of "/api/" within the pattern
                    out.append(contentsOf: json[i..<(i + valueStart)])
                    out.append(contentsOf: base)
                    i += valueStart
                    continue scan
                }
            }
            out.append(json[i])
            i += 1
        }
        return out
    }
}

enum MailgateVersion {
    static let current = "0.1.0"
}
