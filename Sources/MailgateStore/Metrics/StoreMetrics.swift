import Synchronization

/// A snapshot of the store's counters, for `/metrics`.
public struct StoreMetrics: Sendable, Equatable {
    /// Messages committed by appends since start.
    public var messagesStored: UInt64 = 0
    /// Messages deleted (API deletes and retention).
    public var messagesDeleted: UInt64 = 0
    /// Transactions committed.
    public var batchesCommitted: UInt64 = 0
    /// Seconds from BEGIN to the end of COMMIT (the fsync included) per committed batch.
    public var commitSeconds = Histogram(upperBounds: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                       0.05, 0.1, 0.25, 0.5, 1, 2.5])
    /// Jobs per committed batch.
    public var batchSize = Histogram(upperBounds: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512])
    /// Failed jobs by `StoreError.kind`.
    public var writeErrors: [String: UInt64] = [:]
    /// Jobs waiting for the writer when the snapshot was taken.
    public var queueDepth: Int = 0
    /// WAL checkpoints run by the background checkpointer.
    public var checkpoints: UInt64 = 0
    /// Changes (stored or deleted messages) the search index has not applied yet.
    public var searchBacklog: Int64 = 0
}

/// The writer's side of the metrics: updated once per batch under a mutex.
final class StoreMetricsRecorder: Sendable {
    private let state = Mutex(StoreMetrics())

    func committed(jobs: Int, messages: Int, seconds: Double) {
        state.withLock {
            $0.batchesCommitted += 1
            $0.messagesStored += UInt64(messages)
            $0.commitSeconds.observe(seconds)
            $0.batchSize.observe(Double(jobs))
        }
    }

    func failed(_ error: StoreError, jobs: Int = 1) {
        state.withLock { $0.writeErrors[error.kind, default: 0] += UInt64(jobs) }
    }

    func deleted(_ count: Int) {
        state.withLock { $0.messagesDeleted += UInt64(count) }
    }

    var snapshot: StoreMetrics { state.withLock { $0 } }
}
