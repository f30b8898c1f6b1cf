import CCurl
import MailgateCore
import MailgateStore

/// The dispatcher thread's state and main loop: one curl multi handle, woken by
/// curl_multi_wakeup. Everything here is confined to that thread; other threads talk to it
/// through the DispatcherInbox.
final class DispatcherLoop {
    /// A claimed delivery, rendered and waiting for its start record to commit.
    struct Prepared {
        var deliveryID: String
        var webhookID: String
        var url: String
        var body: [UInt8]
        var attempts: Int
    }

    let multi: UnsafeMutableRawPointer
    let inbox: DispatcherInbox
    let storage: any WebhookStorage
    let configuration: DispatcherConfiguration
    let payloadProvider: PayloadProvider
    let metrics: WebhookMetrics

    var read: Database?
    var view = SubscriberView()
    /// Every delivery this process holds, from claim until its result is committed: id → webhook id.
    var slots: [String: String] = [:]
    var slotsPerWebhook: [String: Int] = [:]
    /// Claimed deliveries whose POST is not over yet (preparing, ready or sending), per subscriber
    /// and in total: what the claim window counts.
    var unsent: [String: Int] = [:]
    var unsentTotal = 0
    var preparing: [String: Prepared] = [:]
    /// Started (their start record committed), waiting for a request slot of their subscriber.
    var ready: [String: [Prepared]] = [:]
    /// Requests in flight per subscriber.
    var sending: [String: Int] = [:]
    /// Subscribers whose last attempt succeeded: they may claim ahead (DispatcherConfiguration.claimAhead).
    var healthy: Set<String> = []
    /// Subscribers that just answered 410 Gone: nothing more is claimed or sent for them, even
    /// before the commit that disables them reaches the view (their other deliveries are
    /// cancelled by that commit). Dropped once a reloaded view no longer lists them.
    var gone: Set<String> = []
    var transfers: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    var idle: [CurlTransfer] = []
    var results: [AttemptRecord] = []
    var outstandingWrites = 0

    var recovered = false
    var recovering = false
    var needsScan = true
    var nextDue: Int64?
    /// After a database error, wait before touching the queue again.
    var pauseUntil: Int64 = 0
    var metricsRefreshedAt: Int64 = 0
    var rng = SystemRandomNumberGenerator()

    init(multi: UnsafeMutableRawPointer, inbox: DispatcherInbox, storage: any WebhookStorage,
         configuration: DispatcherConfiguration, payloadProvider: @escaping PayloadProvider,
         metrics: WebhookMetrics) {
        self.multi = multi
        self.inbox = inbox
        self.storage = storage
        self.configuration = configuration
        self.payloadProvider = payloadProvider
        self.metrics = metrics
    }

    func log(_ message: String) { configuration.log?("webhooks: " + message) }

    func run() {
        while true {
            let (events, wake, stop) = inbox.drain()
            if stop {
                shutdown(leftover: events)
                return
            }
            if wake { needsScan = true }
            for event in events { handle(event) }
            let now = Clock.nowMilliseconds()
            if now >= pauseUntil { step(now: now) }
            performTransfers()
            flushResults()
            pollOnce(now: Clock.nowMilliseconds())
        }
    }

    /// Recovery first; then keep the subscriber view fresh and claim due deliveries.
    private func step(now: Int64) {
        if read == nil {
            do { read = try storage.openReadConnection() } catch {
                log("cannot open a read connection: \(error)")
                pauseUntil = now + 1000
                return
            }
        }
        guard recovered else {
            if !recovering { startRecovery(now: now) }
            return
        }
        refreshView(now: now)
        if needsScan || (nextDue.map { $0 <= now } ?? false) { scan(now: now) }
        if now - metricsRefreshedAt >= 1000 { refreshMetrics(now: now) }
    }

    private func handle(_ event: DispatcherInbox.Event) {
        switch event {
        case .recovered(let failed):
            outstandingWrites -= 1
            recovering = false
            recovered = !failed
            if failed { pauseUntil = Clock.nowMilliseconds() + 1000 }
        case .started(let requested, let started, let failed):
            outstandingWrites -= 1
            if failed { pauseUntil = Clock.nowMilliseconds() + 1000 }
            let go = Set(started)
            for id in requested {
                if go.contains(id), let prepared = preparing.removeValue(forKey: id) {
                    ready[prepared.webhookID, default: []].append(prepared)
                } else {
                    preparing.removeValue(forKey: id)
                    if let webhookID = slots[id] { settle(webhookID: webhookID) }
                    release(id)
                }
            }
            pump()
        case .recorded(let ids, let failed):
            outstandingWrites -= 1
            if failed { pauseUntil = Clock.nowMilliseconds() + 1000 }
            for id in ids { release(id) }
        }
    }

    func hold(_ id: String, webhookID: String) {
        slots[id] = webhookID
        slotsPerWebhook[webhookID, default: 0] += 1
        unsent[webhookID, default: 0] += 1
        unsentTotal += 1
    }

    /// A held delivery's POST is over, or will not happen: it leaves the claim window (it stays
    /// held until its result is committed).
    func settle(webhookID: String) {
        unsent[webhookID, default: 1] -= 1
        unsentTotal -= 1
        needsScan = true
    }

    func release(_ id: String) {
        guard let webhookID = slots.removeValue(forKey: id) else { return }
        slotsPerWebhook[webhookID, default: 1] -= 1
        needsScan = true
    }

    /// Submits a write job; its completion posts an event (which wakes the loop).
    func submit(_ job: @escaping @Sendable (Database) throws -> Void,
                then event: @escaping @Sendable (_ failed: Bool) -> DispatcherInbox.Event) {
        outstandingWrites += 1
        let inbox = self.inbox
        let log = configuration.log
        storage.write(job) { error in
            if let error { log?("webhooks: write failed: \(error)") }
            inbox.post(event(error != nil))
        }
    }

    private func startRecovery(now: Int64) {
        recovering = true
        submit({ db in try db.recoverInterruptedDeliveries(now: now) }, then: { .recovered(failed: $0) })
    }

    private func refreshMetrics(now: Int64) {
        metricsRefreshedAt = now
        guard let read else { return }
        do { metrics.setPending(try read.pendingDeliveryStats()) } catch { log("metrics query failed: \(error)") }
    }

    private func pollOnce(now: Int64) {
        var timeout = Int64(configuration.idlePollMilliseconds)
        // Room was made in a claim window during this turn: claim again without sleeping.
        if needsScan && recovered && pauseUntil <= now { timeout = 0 }
        if let nextDue { timeout = min(timeout, max(0, nextDue - now)) }
        if pauseUntil > now { timeout = min(timeout, pauseUntil - now) }
        metrics.setInFlight(transfers.count)
        _ = curl_multi_poll(multi, nil, 0, Int32(max(0, timeout)), nil)
    }

    /// Stops sending: in-flight requests are dropped (their deliveries stay leased and are due
    /// again at the next start), then waits a little for writes already submitted.
    private func shutdown(leftover: [DispatcherInbox.Event]) {
        for (easy, _) in transfers { curl_multi_remove_handle(multi, easy) }
        transfers.removeAll()
        idle.removeAll()
        var events = leftover
        let deadline = Clock.nowMilliseconds() + 5000
        while true {
            // Started records are not acted on any more: those deliveries are recovered at the next start.
            for event in events {
                if case .started = event { outstandingWrites -= 1 } else { handle(event) }
            }
            guard outstandingWrites > 0, Clock.nowMilliseconds() < deadline else { break }
            _ = curl_multi_poll(multi, nil, 0, 50, nil)
            events = inbox.drain().events
        }
        metrics.setInFlight(0)
    }
}
