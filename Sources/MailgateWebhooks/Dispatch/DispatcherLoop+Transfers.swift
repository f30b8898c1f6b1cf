import CCurl
import MailgateCore

/// Sending the POSTs and turning their outcomes into attempt records.
extension DispatcherLoop {
    /// Begins the ready deliveries that their subscriber's and the global request caps allow.
    func pump() {
        for webhookID in Array(ready.keys) {
            while transfers.count < configuration.globalConcurrency,
                  sending[webhookID, default: 0] < configuration.perSubscriberConcurrency,
                  var queue = ready[webhookID], !queue.isEmpty {
                let next = queue.removeFirst()
                ready[webhookID] = queue.isEmpty ? nil : queue
                begin(next)
            }
        }
    }

    /// Signs and hands a claimed delivery to curl (its start record is committed).
    private func begin(_ p: Prepared) {
        guard !gone.contains(p.webhookID), let subscriber = view.entries[p.webhookID],
              let transfer = idle.popLast() ?? CurlTransfer(maxResponseBytes: configuration.maxResponseBytes)
        else {
            // Disabled or deleted meanwhile, or no handle: the lease expires and it is tried again.
            settle(webhookID: p.webhookID)
            release(p.deliveryID)
            return
        }
        sending[p.webhookID, default: 0] += 1
        let now = Clock.nowMilliseconds()
        let timestamp = now / 1000
        let webhookID = WebhookSignature.webhookID(deliveryID: p.deliveryID)
        let signature = WebhookSignature.header(keys: subscriber.keys, webhookID: webhookID,
                                                timestamp: timestamp, body: p.body)
        let headers = [
            "Content-Type: application/json",
            "webhook-id: \(webhookID)",
            "webhook-timestamp: \(timestamp)",
            "webhook-signature: \(signature)",
            // No 100-continue round trip: the body is small and the receiver is known.
            "Expect:",
        ]
        transfer.deliveryID = p.deliveryID
        transfer.webhookID = p.webhookID
        transfer.attempts = p.attempts
        transfer.startedAtNanoseconds = Clock.monotonicNanoseconds()
        transfer.startedAtMilliseconds = now
        guard transfer.prepare(url: p.url, body: p.body, headerLines: headers, configuration: configuration),
              curl_multi_add_handle(multi, transfer.easy) == CURLM_OK
        else {
            finish(transfer, response: .transport(code: -1, message: "could not set up the request"))
            return
        }
        transfers[transfer.easy] = transfer
    }

    /// Drives curl and collects finished transfers.
    func performTransfers() {
        guard !transfers.isEmpty else { return }
        var running: Int32 = 0
        _ = curl_multi_perform(multi, &running)
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                  let transfer = transfers.removeValue(forKey: easy) else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, easy)
            finish(transfer, response: transfer.outcome(code))
        }
        pump()
    }

    private func finish(_ transfer: CurlTransfer, response: AttemptResponse) {
        let now = Clock.nowMilliseconds()
        let elapsed = Clock.monotonicNanoseconds() - transfer.startedAtNanoseconds
        let decision = configuration.policy.decide(response, attempts: transfer.attempts, now: now, using: &rng)
        var statusCode: Int?
        if case .http(let status, _) = response { statusCode = status }
        sending[transfer.webhookID, default: 1] -= 1
        settle(webhookID: transfer.webhookID)
        if decision == .succeeded { healthy.insert(transfer.webhookID) } else { healthy.remove(transfer.webhookID) }
        if decision == .gone { gone.insert(transfer.webhookID) }
        results.append(AttemptRecord(
            deliveryID: transfer.deliveryID, webhookID: transfer.webhookID, decision: decision,
            startedAt: transfer.startedAtMilliseconds,
            statusCode: statusCode, error: RetryPolicy.errorText(response),
            durationMilliseconds: Int64(elapsed / 1_000_000),
            responseExcerpt: Array(transfer.response.prefix(configuration.responseExcerptBytes))))
        metrics.observeLatency(seconds: Double(elapsed) / 1e9)
        switch decision {
        case .succeeded: metrics.record(.succeeded)
        case .retry: metrics.record(.retrying)
        case .failed, .gone: metrics.record(.failed)
        }
        if idle.count < configuration.globalConcurrency { idle.append(transfer) }
    }

    /// Writes the results gathered in this turn in one job.
    func flushResults() {
        guard !results.isEmpty else { return }
        let records = results
        results.removeAll()
        let ids = records.map(\.deliveryID)
        let gone = records.contains { $0.decision == .gone }
        let now = Clock.nowMilliseconds()
        submit({ db in try db.recordAttemptResults(records, now: now) }, then: { failed in
            // Seen after COMMIT, so views reloaded from now on include the disabled subscriber.
            if gone { SubscriberChanges.bump() }
            return .recorded(ids: ids, failed: failed)
        })
    }
}
