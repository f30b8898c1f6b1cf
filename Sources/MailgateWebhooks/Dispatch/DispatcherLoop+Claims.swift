import MailgateCore
import MailgateStore

/// Finding due deliveries and claiming them, within the per-subscriber and global caps.
extension DispatcherLoop {
    func refreshView(now: Int64) {
        guard view.isStale(now: now), let read else { return }
        let before = view.generation
        do {
            let broken = try view.load(from: read, now: now)
            for id in broken { log("webhook \(id) has an unusable secret; its deliveries wait") }
            gone = gone.filter { view.entries[$0] != nil }
            if view.generation != before { needsScan = true }
        } catch {
            log("cannot load webhooks: \(error)")
            pauseUntil = now + 1000
        }
    }

    /// Looks at each enabled subscriber with free slots: claims its due deliveries (soonest first)
    /// and notes when the next one falls due. Querying per subscriber keeps a backlog of a
    /// hung endpoint from hiding the due work of the others.
    func scan(now: Int64) {
        guard let read else { return }
        needsScan = false
        nextDue = nil
        var claimed: [Prepared] = []
        var cancelled: [String] = []
        let globalWindow = configuration.globalConcurrency + configuration.claimAhead
        for webhookID in view.scanOrder() {
            guard !gone.contains(webhookID), let subscriber = view.entries[webhookID] else { continue }
            if unsentTotal >= globalWindow { break }
            let held = slotsPerWebhook[webhookID] ?? 0
            let window = configuration.perSubscriberConcurrency + (healthy.contains(webhookID) ? configuration.claimAhead : 0)
            var free = min(window - (unsent[webhookID] ?? 0), globalWindow - unsentTotal)
            guard free > 0 else { continue }
            let rows: [QueuedDelivery]
            do {
                rows = try read.queuedDeliveries(webhookID: webhookID, now: now, limit: free + held + 1)
            } catch {
                log("cannot read the delivery queue: \(error)")
                pauseUntil = now + 1000
                needsScan = true
                break
            }
            for row in rows where slots[row.id] == nil {
                if row.nextAttemptAt > now {
                    nextDue = min(nextDue ?? row.nextAttemptAt, row.nextAttemptAt)
                    break
                }
                guard free > 0 else { break }
                free -= 1
                hold(row.id, webhookID: webhookID)
                if let body = render(row, webhookID: webhookID, inline: subscriber.inline) {
                    claimed.append(Prepared(deliveryID: row.id, webhookID: webhookID, url: subscriber.url,
                                            body: body, attempts: row.attempts + 1))
                } else {
                    cancelled.append(row.id)
                }
            }
        }
        guard !claimed.isEmpty || !cancelled.isEmpty else { return }
        for p in claimed { preparing[p.deliveryID] = p }
        recordStarts(claimed.map(\.deliveryID), cancelling: cancelled, now: now)
    }

    /// The request body, or nil when the message no longer exists (the delivery is cancelled).
    private func render(_ row: QueuedDelivery, webhookID: String, inline: InlineContent) -> [UInt8]? {
        switch row.eventType {
        case WebhookEventType.test:
            return WebhookPayload.test(eventTime: row.createdAt, webhookID: webhookID)
        default:
            guard let messageID = row.messageID, let message = payloadProvider(messageID, inline) else { return nil }
            return WebhookPayload.messageReceived(eventTime: row.createdAt, message: message)
        }
    }

    /// Records the attempt starts (and the cancellations) before any POST goes out.
    private func recordStarts(_ ids: [String], cancelling cancelled: [String], now: Int64) {
        let started = StartedBox()
        let lease = now + configuration.leaseMilliseconds
        for _ in cancelled { metrics.record(.cancelled) }
        submit({ db in
            for id in cancelled { try db.cancelDelivery(id: id, reason: "the message no longer exists") }
            started.set(try db.recordAttemptStarts(ids, now: now, leaseUntil: lease))
        }, then: { failed in
            .started(requested: ids + cancelled, started: failed ? [] : started.get(), failed: failed)
        })
    }
}

import Synchronization

/// Carries the started ids from the write job to its completion.
private final class StartedBox: Sendable {
    private let ids = Mutex<[String]>([])
    func set(_ value: [String]) { ids.withLock { $0 = value } }
    func get() -> [String] { ids.withLock { $0 } }
}
