import MailgateCore
import MailgateIO
import Synchronization

/// Keeps the search file (SearchSchema) following the store's search_queue, on two threads of
/// its own, so that no indexing work holds the store's write lock or takes CPU from the threads
/// clients wait on:
///
/// - `mailgate-index` runs passes in the background at SCHED_IDLE, only on CPU nothing else
///   wants (on a busy 2-core machine even a nice-19 thread slowed ingest, docs/PERFORMANCE.md),
///   once a pass's worth is queued or the oldest change has waited `maxLagNanoseconds`;
/// - `mailgate-search`, at normal priority, serves the searches: a search must see every
///   message acknowledged before it, so `flush` applies everything queued so far first. A
///   thread cannot leave SCHED_IDLE without privileges, hence a second one. While the
///   background thread is inside a pass the flush waits for the lock; a pass is ~10 ms of CPU.
///
/// Both use one SearchApplier, under a lock.
///
/// Under a burst that leaves no idle CPU the background thread falls behind (W2: 10 000 of
/// 30 000 messages at the end of the run), and catches up once the burst is over. The lag is
/// bounded: past `maxBacklog` queued changes (25 000 by default, ~0.5 s of catching up for a
/// search: the applier does ~50 000 W2 messages a second) the `mailgate-search` thread applies passes at
/// normal priority until half of them are left, so under sustained saturation the index keeps
/// up by taking CPU from ingest, and a search never waits for more than ~0.5 s of catching up.
final class SearchIndex: Sendable {
    static let pollNanoseconds: UInt64 = 50_000_000
    static let maxLagNanoseconds: UInt64 = 500_000_000

    private final class Box: @unchecked Sendable {
        let applier: SearchApplier
        init(_ applier: SearchApplier) { self.applier = applier }
    }

    private struct Requests {
        var flushes: [@Sendable (Result<Void, StoreError>) -> Void] = []
        var jobs: [@Sendable (SearchApplier?) -> Void] = []
        var closed = false
    }

    private let applier: Mutex<Box>
    private let requests = Mutex(Requests())
    private let flushWake = WakeSignal()
    private let backgroundWake = WakeSignal()
    private let threads = Mutex<[OSThread]>([])
    private let failed: @Sendable (StoreError) -> Void
    private let maxBacklog: Int64
    private let inBackground: Bool
    /// The last queue row applied: the writer deletes the rows up to it.
    let applied = Atomic<Int64>(0)
    /// The last queue row committed (the writer tells after each COMMIT).
    private let queued = Atomic<Int64>(0)

    /// Queue rows not applied yet (the `mailgate_search_backlog` gauge), without the lock: a
    /// starved background thread must not hide it.
    var backlog: Int64 { max(0, queued.load(ordering: .relaxed) - applied.load(ordering: .relaxed)) }

    /// Called by the writer after a COMMIT with the highest search_queue id so far.
    func committed(upTo lastQueued: Int64) { queued.store(lastQueued, ordering: .relaxed) }

    init(storePath: String, searchPath: String, texts: PendingSearchTexts, busyTimeoutMilliseconds: Int,
         maxBacklog: Int64 = 25_000, inBackground: Bool = true, failed: @escaping @Sendable (StoreError) -> Void) throws {
        self.maxBacklog = maxBacklog
        self.inBackground = inBackground
        let store = try StoreChanges(storePath: storePath, texts: texts, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        let applier = try SearchApplier(store: store, searchPath: searchPath, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        // The flush thread's jobs run queries that join the messages with the index.
        try SearchFile.attach(searchPath, to: store.database)
        self.applier = Mutex(Box(applier))
        self.failed = failed
        applied.store(applier.applied, ordering: .relaxed)
        queued.store(try applier.store.lastQueued(), ordering: .relaxed)
        let background = try OSThread(name: "mailgate-index") { [self] in runBackground() }
        let flusher: OSThread
        do {
            flusher = try OSThread(name: "mailgate-search") { [self] in runFlushes() }
        } catch {
            close()
            background.join()
            throw error
        }
        threads.withLock { $0 = [background, flusher] }
    }

    /// Calls `completion` (on the flush thread) once everything queued before the call is
    /// indexed, or with the error that stopped it.
    func flush(completion: @escaping @Sendable (Result<Void, StoreError>) -> Void) {
        let accepted = requests.withLock { r -> Bool in
            guard !r.closed else { return false }
            r.flushes.append(completion)
            return true
        }
        if accepted { flushWake.signal() } else { completion(.failure(.closed)) }
    }

    /// Runs `body` on the flush thread after a flush, with the applier (nil once closed, or
    /// when the flush failed: the index may lag).
    func perform(_ body: @escaping @Sendable (SearchApplier?) -> Void) {
        let accepted = requests.withLock { r -> Bool in
            guard !r.closed else { return false }
            r.jobs.append(body)
            return true
        }
        if accepted { flushWake.signal() } else { body(nil) }
    }

    /// Stops both threads after the pass in progress; what is still queued is applied at the
    /// next start. Waiting requests are served first. Idempotent.
    func close() {
        requests.withLock { $0.closed = true }
        flushWake.signal()
        backgroundWake.signal()
        for thread in threads.withLock({ t -> [OSThread] in defer { t = [] }; return t }) { thread.join() }
    }

    private var isClosed: Bool { requests.withLock { $0.closed } }

    // MARK: the threads

    private func runBackground() {
        OSThread.runCurrentOnlyWhenIdle()
        var waitingSince: UInt64?
        while !isClosed {
            backgroundWake.wait(untilNanoseconds: Clock.monotonicNanoseconds() + Self.pollNanoseconds)
            guard inBackground, !isClosed else { continue }
            applier.withLock { box in
                do {
                    let waiting = try box.applier.backlog()
                    let now = Clock.monotonicNanoseconds()
                    if waiting == 0 { waitingSince = nil } else if waitingSince == nil { waitingSince = now }
                    if waiting >= Int64(SearchApplier.batchSize)
                        || (waiting > 0 && now - (waitingSince ?? now) >= Self.maxLagNanoseconds) {
                        try box.applier.pass()
                        waitingSince = nil
                    }
                    publish(box.applier)
                } catch {
                    failed(StoreError(error))
                }
            }
        }
    }

    private func runFlushes() {
        while true {
            flushWake.wait(untilNanoseconds: Clock.monotonicNanoseconds() + Self.pollNanoseconds)
            let (flushes, jobs, closed) = requests.withLock { r in
                defer { r.flushes = []; r.jobs = [] }
                return (r.flushes, r.jobs, r.closed)
            }
            if !flushes.isEmpty || !jobs.isEmpty {
                applier.withLock { box in
                    let result = catchingUp(box.applier)
                    for completion in flushes { completion(result) }
                    for job in jobs { job(result.isSuccess ? box.applier : nil) }
                }
            } else if backlog > maxBacklog {
                applier.withLock { box in catchingUp(box.applier, downTo: maxBacklog / 2) }
            }
            if closed { break }
        }
        // Requests that raced with close.
        let (flushes, jobs) = requests.withLock { r in (r.flushes, r.jobs) }
        for completion in flushes { completion(.failure(.closed)) }
        for job in jobs { job(nil) }
    }

    /// Applies what the store queued up to now, but for the last `downTo` changes.
    @discardableResult
    private func catchingUp(_ applier: SearchApplier, downTo left: Int64 = 0) -> Result<Void, StoreError> {
        do {
            let target = try applier.store.lastQueued() - left
            while applier.rebuildAfter != nil || applier.applied < target {
                let limit = applier.rebuildAfter != nil ? SearchApplier.batchSize * 2
                    : Int(min(Int64(SearchApplier.batchSize * 2), target - applier.applied))
                guard try applier.pass(limit: limit) > 0 else { break }
            }
            publish(applier)
            return .success(())
        } catch {
            let failure = StoreError(error)
            failed(failure)
            return .failure(failure)
        }
    }

    private func publish(_ applier: SearchApplier) {
        applied.store(applier.applied, ordering: .relaxed)
    }
}
