import MailgateCore
import MailgateIO
import Synchronization

/// The durable message store: one writer thread doing group commit on the only write
/// connection, and read-only connections for the API (`openReader`).
///
/// The rule it exists for: an append's completion reports success only after the COMMIT that
/// holds the message (and what the commit hooks wrote with it) has returned, with
/// `synchronous=FULL` in WAL mode, so the SMTP 250 that follows is durable.
public final class Store: Sendable {
    /// Runs inside an append's savepoint, after the message rows (the webhook outbox uses it).
    /// Throwing fails (and rolls back) that one append.
    public typealias CommitHook = @Sendable (Database, NewMessage) throws -> Void
    /// Called on the writer thread after a COMMIT, before the completions, with the ids of
    /// the messages it stored.
    public typealias CommitObserver = @Sendable ([String]) -> Void
    /// Run by each retention pass after the messages, on the write connection: deletes at most
    /// `limit` of another module's rows older than `cutoff` (ms since the epoch) and returns how
    /// many; it is called again while it returns `limit`.
    public typealias RetentionHook = @Sendable (_ database: Database, _ cutoff: Int64, _ limit: Int) throws -> Int

    public let path: String
    let options: StoreOptions
    let queue = JobQueue()
    let hooks = HookRegistry()
    let metricsRecorder = StoreMetricsRecorder()
    let health = StoreHealth()
    /// Search texts from ingest, from the writer (after each COMMIT) to the search index.
    let searchTexts = PendingSearchTexts()
    private let writerThread: Mutex<OSThread?>
    let checkpointer: Checkpointer
    /// The search indexes, in their own file (SearchSchema) and threads.
    let searchIndex: SearchIndex
    /// That file.
    let searchPath: String
    let retention = Mutex<RetentionTask?>(nil)

    /// Opens (creating or migrating) the file and starts the writer thread.
    public init(options: StoreOptions) throws {
        self.options = options
        path = options.path
        let database = try Self.openWriteConnection(options)
        searchPath = SearchSchema.path(forStore: options.path)
        let metrics = metricsRecorder
        let searchIndex = try SearchIndex(storePath: options.path, searchPath: searchPath, texts: searchTexts,
                                          busyTimeoutMilliseconds: options.busyTimeoutMilliseconds,
                                          maxBacklog: options.searchMaxBacklog, inBackground: options.searchInBackground,
                                          failed: { metrics.failed($0) })
        self.searchIndex = searchIndex
        let checkpointer: Checkpointer
        do {
            checkpointer = try Checkpointer(path: options.path, threshold: options.checkpointThresholdPages,
                                            busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
        } catch {
            searchIndex.close()
            throw error
        }
        self.checkpointer = checkpointer
        let writer = StoreWriter(database: database, queue: queue, hooks: hooks, metrics: metricsRecorder,
                                 health: health, checkpointer: checkpointer, searchTexts: searchTexts,
                                 searchIndex: searchIndex, options: options)
        do {
            writerThread = Mutex(try OSThread(name: "mailgate-store") { writer.run() })
        } catch {
            checkpointer.stop()
            searchIndex.close()
            throw error
        }
    }

    deinit { close() }

    // MARK: writing

    /// Stores `message`; `completion` runs on the writer thread after the COMMIT (or at once
    /// with `.closed` on this thread when the store is closed).
    public func append(_ message: NewMessage,
                       completion: @escaping @Sendable (Result<Void, StoreError>) -> Void) {
        // The index entries are removed by deriving the text again: it must be that derivation.
        assert(message.searchText.map { $0 == SearchText.of(raw: message.raw) } ?? true,
               "NewMessage.searchText differs from the text derived from its raw bytes")
        submit(AppendJob(message, completion: completion))
    }

    /// Runs `job` on the write connection inside its own savepoint of the next batch; its value
    /// reaches `completion` after the COMMIT. A throwing job is rolled back alone.
    public func write<T: Sendable>(_ job: @escaping @Sendable (Database) throws -> T,
                                   completion: @escaping @Sendable (Result<T, StoreError>) -> Void) {
        submit(ClosureJob(job, completion: completion))
    }

    func submit(_ job: WriterJob) {
        if !queue.enqueue(job) {
            metricsRecorder.failed(.closed)
            job.fail(.closed)
        }
    }

    /// Blocks the calling thread (never a loop thread) until `job` has committed.
    func writeAndWait<T: Sendable>(_ job: @escaping @Sendable (Database) throws -> T) -> Result<T, StoreError> {
        let signal = WakeSignal()
        let result = Mutex<Result<T, StoreError>?>(nil)
        write(job) { r in
            result.withLock { $0 = r }
            signal.signal()
        }
        signal.wait()
        return result.withLock { $0 } ?? .failure(.closed)
    }

    public func addCommitHook(_ hook: @escaping CommitHook) { hooks.add(hook) }
    public func addCommitObserver(_ observer: @escaping CommitObserver) { hooks.add(observer) }
    public func addRetentionHook(_ hook: @escaping RetentionHook) { hooks.add(retention: hook) }

    // MARK: reading and health

    /// A read-only connection for the calling thread (one per event-loop thread).
    public func openReader() throws -> MessageReader {
        try MessageReader(path: path, searchPath: searchPath, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
    }

    /// Whether the store accepts writes and the last transaction reached the disk.
    public var isWritable: Bool { !queue.isClosed && health.lastWriteError == nil }

    /// The error of the last failed transaction, nil once a later one commits.
    public var lastWriteError: StoreError? { health.lastWriteError }

    public var metrics: StoreMetrics {
        var snapshot = metricsRecorder.snapshot
        snapshot.queueDepth = queue.depth
        snapshot.checkpoints = UInt64(checkpointer.checkpoints.load(ordering: .relaxed))
        snapshot.searchBacklog = searchIndex.backlog
        return snapshot
    }

    /// Stops taking jobs (later ones fail with `.closed`), commits what is queued, checkpoints
    /// the WAL and joins the writer thread. Idempotent.
    public func close() {
        stopRetention()
        queue.close()
        let thread = writerThread.withLock { t -> OSThread? in defer { t = nil }; return t }
        thread?.join()
        searchIndex.close()
    }
}
