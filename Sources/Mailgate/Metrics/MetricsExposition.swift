import MailgateStore

/// `/metrics`: every figure of API.md under the `mailgate_` prefix, in text format 0.0.4.
enum MetricsExposition {
    static func render(gateway g: GatewayMetrics, store s: StoreMetrics,
                       sseClients: Int, extra: (inout PrometheusText) -> Void) -> String {
        var p = PrometheusText()
        p.counter("mailgate_smtp_connections_total", "SMTP connections accepted", g.smtpConnectionsOpened.current)
        p.gauge("mailgate_smtp_connections_open", "SMTP connections open now", Double(g.smtpConnectionsOpen.current))
        p.counter("mailgate_smtp_bytes_received_total", "Octets received on SMTP connections", g.smtpBytesReceived.current)
        p.counter("mailgate_messages_accepted_total", "Messages committed and acknowledged with 250", g.messagesAccepted.current)
        p.counter("mailgate_message_bytes_total", "Octets of accepted messages as stored", g.messageBytes.current)
        p.labeled("mailgate_smtp_rejections_total", "counter", "Refused messages, commands and sessions by reason",
                  label: "reason", g.smtpRejections.snapshot)
        let parse = g.parseSeconds.snapshot
        p.histogram("mailgate_mime_parse_seconds", "Time to parse and render one message at ingest",
                    buckets: parse.buckets, sum: parse.sum, count: parse.count)

        p.counter("mailgate_store_messages_stored_total", "Messages committed by the store", Int(s.messagesStored))
        p.counter("mailgate_store_messages_deleted_total", "Messages deleted (API and retention)", Int(s.messagesDeleted))
        p.counter("mailgate_store_commits_total", "Store transactions committed", Int(s.batchesCommitted))
        p.gauge("mailgate_store_queue_depth", "Jobs waiting for the store writer", Double(s.queueDepth))
        p.gauge("mailgate_search_backlog", "Stored or deleted messages the search index has not applied yet",
                Double(s.searchBacklog))
        p.histogram("mailgate_store_commit_seconds", "BEGIN to end of COMMIT (fsync included) per batch",
                    buckets: zip(s.commitSeconds.upperBounds, s.commitSeconds.cumulativeCounts.map { Int($0) }).map { ($0, $1) },
                    sum: s.commitSeconds.sum, count: Int(s.commitSeconds.count))
        p.histogram("mailgate_store_batch_size", "Jobs per committed store transaction",
                    buckets: zip(s.batchSize.upperBounds, s.batchSize.cumulativeCounts.map { Int($0) }).map { ($0, $1) },
                    sum: s.batchSize.sum, count: Int(s.batchSize.count))
        p.labeled("mailgate_store_write_errors_total", "counter", "Failed store jobs by kind",
                  label: "kind", s.writeErrors.sorted { $0.key < $1.key }.map { ($0.key, Int($0.value)) })

        p.gauge("mailgate_http_connections_open", "HTTP connections open now", Double(g.httpConnectionsOpen.current))
        p.gauge("mailgate_sse_clients", "Server-Sent Events streams open now", Double(sseClients))
        p.header("mailgate_http_requests_total", "counter", "HTTP requests by route and status code")
        for (key, n) in g.httpRequests.snapshot {
            let parts = key.split(separator: "\u{0}", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            p.sample("mailgate_http_requests_total", [("route", parts[0]), ("code", parts[1])], n)
        }
        let r = g.httpRequestSeconds.snapshot
        p.histogram("mailgate_http_request_seconds", "Time to answer an HTTP request (until the response is queued)",
                    buckets: r.buckets, sum: r.sum, count: r.count)
        extra(&p)
        return p.text
    }
}
