import MailgateWebhooks

extension WebhookWiring {
    /// mailgate_webhook_*: deliveries by result, queue depth, oldest pending age per subscriber,
    /// requests in flight, request latency (API.md, Operations).
    func renderMetrics(_ p: inout PrometheusText) {
        let s = webhooks.metrics.snapshot()
        p.labeled("mailgate_webhook_deliveries_total", "counter", "Webhook attempts by how they ended for their delivery",
                  label: "result", WebhookMetrics.Result.allCases.map { ($0.rawValue, Int(s.deliveriesByResult[$0] ?? 0)) })
        p.gauge("mailgate_webhook_queue_depth", "Pending webhook deliveries", Double(s.queueDepth))
        p.gauge("mailgate_webhook_in_flight", "Webhook requests in flight", Double(s.inFlight))
        p.header("mailgate_webhook_oldest_pending_age_seconds", "gauge", "Age of the oldest pending delivery per subscriber")
        for (id, age) in s.oldestPendingAgeSeconds.sorted(by: { $0.key < $1.key }) {
            p.sample("mailgate_webhook_oldest_pending_age_seconds", [("webhook_id", id)], age)
        }
        let finite = s.latencyBuckets.filter { $0.upperBound.isFinite }.map { ($0.upperBound, Int($0.count)) }
        p.histogram("mailgate_webhook_request_seconds", "Webhook request latency", buckets: finite,
                    sum: s.latencySumSeconds, count: Int(s.latencyCount))
    }
}
