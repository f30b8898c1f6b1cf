/// How to open a store. The defaults are the durable production settings.
public struct StoreOptions: Sendable {
    /// The SQLite file (created when missing).
    public var path: String
    /// The most jobs one transaction holds (group commit).
    public var maxBatchCount: Int
    /// How long the writer lingers for more jobs once a batch has started, but only while
    /// work keeps arriving (jobs were already queued when the previous commit ended). A job
    /// that arrives at an idle writer is committed at once. 0 (the default) disables lingering: W2 measured faster without it (docs/PERFORMANCE.md).
    public var maxBatchDelayMicroseconds: Int
    /// Migrations of other modules (the webhooks use 100...199), run with the store's own.
    public var extraMigrations: [Migration]
    /// PRAGMA max_page_count: tests use it to simulate a full disk.
    public var maxPageCount: Int?
    /// WAL size (pages) at which the background checkpointer copies the WAL into the file.
    /// 4 000 (16 MiB): each checkpoint copies the pages written since the last one, and the
    /// right-most leaves of every table are rewritten by almost every commit, so rarer
    /// checkpoints copy them fewer times (W2: checkpointer CPU 49 -> 30 µs per message).
    public var checkpointThresholdPages: Int
    /// How long a connection waits on a lock before failing with SQLITE_BUSY.
    public var busyTimeoutMilliseconds: Int
    /// Queued search changes past which the search index applies them at normal priority
    /// instead of only on idle CPU (SearchIndex).
    public var searchMaxBacklog: Int64
    /// Test hook: false stops the search index's background passes (SCHED_IDLE), leaving the
    /// searches and `searchMaxBacklog` to apply the queue.
    public var searchInBackground: Bool
    /// Test hook: called before each job and before each COMMIT; an error it returns is raised
    /// there as if SQLite had failed (simulated write errors).
    public var faultInjector: (@Sendable (WritePhase) -> DatabaseError?)?

    public init(path: String, maxBatchCount: Int = 256, maxBatchDelayMicroseconds: Int = 0,
                extraMigrations: [Migration] = [], maxPageCount: Int? = nil,
                checkpointThresholdPages: Int = 4000, busyTimeoutMilliseconds: Int = 5000,
                searchMaxBacklog: Int64 = 25_000, searchInBackground: Bool = true,
                faultInjector: (@Sendable (WritePhase) -> DatabaseError?)? = nil) {
        self.searchMaxBacklog = searchMaxBacklog
        self.searchInBackground = searchInBackground
        self.path = path
        self.maxBatchCount = max(1, maxBatchCount)
        self.maxBatchDelayMicroseconds = max(0, maxBatchDelayMicroseconds)
        self.extraMigrations = extraMigrations
        self.maxPageCount = maxPageCount
        self.checkpointThresholdPages = checkpointThresholdPages
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.faultInjector = faultInjector
    }
}

/// Where the writer is when it consults `StoreOptions.faultInjector`.
public enum WritePhase: Sendable, Equatable {
    /// About to run a job; `messageID` is set for appends.
    case job(messageID: String?)
    /// About to COMMIT a batch of `count` jobs.
    case commit(count: Int)
}
