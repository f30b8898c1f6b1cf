import MailgateCore
import Synchronization

/// Counters and gauges for /metrics (mailgate_webhook_*), updated by the dispatcher and read
/// from any thread.
public final class WebhookMetrics: Sendable {
    /// How an attempt ended for its delivery.
    public enum Result: String, Sendable, CaseIterable {
        /// 2xx.
        case succeeded
        /// Failed; another attempt is scheduled.
        case retrying
        /// Failed for good (schedule exhausted, or 410 Gone).
        case failed
        /// Dropped before sending (its message was deleted).
        case cancelled
    }

    /// Upper bounds (seconds) of the request latency histogram.
    public static let latencyBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30]

    public struct Bucket: Sendable, Equatable {
        /// Upper bound in seconds (`le`); `.infinity` for the last bucket.
        public var upperBound: Double
        /// Cumulative: observations <= upperBound.
        public var count: UInt64
    }

    public struct Snapshot: Sendable, Equatable {
        public var deliveriesByResult: [Result: UInt64]
        /// Pending deliveries (the queue depth), in total and per subscriber id.
        public var queueDepth: Int
        public var pendingByWebhook: [String: Int]
        /// Age in seconds of the oldest pending delivery, per subscriber id.
        public var oldestPendingAgeSeconds: [String: Double]
        /// Requests in flight right now.
        public var inFlight: Int
        public var latencyBuckets: [Bucket]
        public var latencyCount: UInt64
        public var latencySumSeconds: Double
    }

    private struct State {
        var results: [Result: UInt64] = [:]
        var pending: [String: (count: Int, oldestCreatedAt: Int64)] = [:]
        var inFlight = 0
        var latency = [UInt64](repeating: 0, count: WebhookMetrics.latencyBounds.count + 1)
        var latencyCount: UInt64 = 0
        var latencySum = 0.0
    }

    private let state = Mutex(State())

    public init() {}

    func record(_ result: Result) { state.withLock { $0.results[result, default: 0] += 1 } }

    func observeLatency(seconds: Double) {
        let index = Self.latencyBounds.firstIndex { seconds <= $0 } ?? Self.latencyBounds.count
        state.withLock {
            $0.latency[index] += 1
            $0.latencyCount += 1
            $0.latencySum += seconds
        }
    }

    func setInFlight(_ n: Int) { state.withLock { $0.inFlight = n } }

    func setPending(_ stats: [(webhookID: String, count: Int, oldestCreatedAt: Int64)]) {
        var pending: [String: (Int, Int64)] = [:]
        for s in stats { pending[s.webhookID] = (s.count, s.oldestCreatedAt) }
        state.withLock { $0.pending = pending }
    }

    public func snapshot(now: Int64 = Clock.nowMilliseconds()) -> Snapshot {
        state.withLock { s in
            var cumulative: UInt64 = 0
            var buckets: [Bucket] = []
            for (i, n) in s.latency.enumerated() {
                cumulative += n
                buckets.append(Bucket(upperBound: i < Self.latencyBounds.count ? Self.latencyBounds[i] : .infinity,
                                      count: cumulative))
            }
            return Snapshot(
                deliveriesByResult: s.results,
                queueDepth: s.pending.values.reduce(0) { $0 + $1.count },
                pendingByWebhook: s.pending.mapValues(\.count),
                oldestPendingAgeSeconds: s.pending.mapValues { Double(max(0, now - $0.oldestCreatedAt)) / 1000 },
                inFlight: s.inFlight, latencyBuckets: buckets, latencyCount: s.latencyCount,
                latencySumSeconds: s.latencySum)
        }
    }
}
