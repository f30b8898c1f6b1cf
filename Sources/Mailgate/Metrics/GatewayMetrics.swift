/// The gateway's own counters (the store and the dispatcher keep theirs and are read at scrape
/// time). All of them are safe to bump from any thread.
final class GatewayMetrics: Sendable {
    let smtpConnectionsOpened = Counter()
    let smtpConnectionsOpen = Gauge()
    let smtpBytesReceived = Counter()
    let messagesAccepted = Counter()
    let messageBytes = Counter()
    /// Refused or failed messages and sessions by reason (message_too_big, bare_lf, store_error, ...).
    let smtpRejections = LabeledCounter()
    let parseSeconds = Histogram(bounds: [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5])

    let httpConnectionsOpen = Gauge()
    /// HTTP requests by "route code" (route pattern and status).
    let httpRequests = LabeledCounter()
    let httpRequestSeconds = Histogram(bounds: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5])
}
