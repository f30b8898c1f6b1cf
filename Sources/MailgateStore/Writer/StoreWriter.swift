import CSQLite
import MailgateCore

/// The writer thread's loop: owns the only write connection, takes batches from the queue and
/// commits each in one transaction (group commit), then completes the jobs.
///
/// Confined to the writer thread after `run()` starts; `@unchecked Sendable` only for that
/// one hand-off.
final class StoreWriter: @unchecked Sendable {
    let database: Database
    let queue: JobQueue
    let hooks: HookRegistry
    let metrics: StoreMetricsRecorder
    let health: StoreHealth
    let maxBatchCount: Int
    let maxBatchDelayNanoseconds: UInt64
    let faultInjector: (@Sendable (WritePhase) -> DatabaseError?)?
    /// Held here so the WAL hook's target outlives every commit of this connection.
    let checkpointer: Checkpointer
    let searchTexts: PendingSearchTexts
    let searchIndex: SearchIndex

    init(database: Database, queue: JobQueue, hooks: HookRegistry, metrics: StoreMetricsRecorder,
         health: StoreHealth, checkpointer: Checkpointer, searchTexts: PendingSearchTexts, searchIndex: SearchIndex,
         options: StoreOptions) {
        self.database = database
        self.searchTexts = searchTexts
        self.searchIndex = searchIndex
        self.checkpointer = checkpointer
        checkpointer.attach(to: database)
        self.queue = queue
        self.hooks = hooks
        self.metrics = metrics
        self.health = health
        maxBatchCount = options.maxBatchCount
        maxBatchDelayNanoseconds = UInt64(options.maxBatchDelayMicroseconds) * 1000
        faultInjector = options.faultInjector
    }

    func run() {
        while let batch = nextBatch() {
            commit(batch)
            // Jobs that queued up during this commit mean work is streaming in.
            streaming = queue.depth > 0
        }
        // Closed and drained: fold the WAL into the main file so the file is complete on its own.
        checkpointer.stop()
        sqlite3_wal_checkpoint_v2(database.handle, nil, SQLITE_CHECKPOINT_TRUNCATE, nil, nil)
    }

    /// Whether jobs were waiting when the previous batch ended.
    private var streaming = false

    /// The search_queue rows up to this id are deleted (SearchIndex applied them).
    private var queueDeletedUpTo: Int64 = 0

    /// Deletes the queue rows the search index has applied, once a pass's worth: a range at the
    /// head of the table, inside the transaction that is starting.
    private func deleteAppliedQueueRows() throws {
        let applied = searchIndex.applied.load(ordering: .relaxed)
        guard applied - queueDeletedUpTo >= Int64(SearchApplier.batchSize) else { return }
        try database.cached("DELETE FROM search_queue WHERE id <= ?").run([.int(applied)])
        queueDeletedUpTo = applied
    }

    /// Waits for work and returns up to `maxBatchCount` jobs; nil once closed and drained.
    ///
    /// A job that arrives while the writer is idle is committed at once. While work is
    /// streaming in (jobs queued up during the previous commit), the writer lingers up to
    /// `maxBatchDelay` for more, to spread one fsync over more messages.
    private func nextBatch() -> [WriterJob]? {
        var batch: [WriterJob] = []
        var deadline: UInt64?
        while true {
            let closed = queue.take(into: &batch, limit: maxBatchCount)
            if batch.count >= maxBatchCount { return batch }
            if batch.isEmpty {
                if closed { return nil }
                queue.wake.wait()
                continue
            }
            if closed || !streaming || maxBatchDelayNanoseconds == 0 { return batch }
            let now = Clock.monotonicNanoseconds()
            let end = deadline ?? now + maxBatchDelayNanoseconds
            deadline = end
            if now >= end { return batch }
            queue.wake.wait(untilNanoseconds: end)
        }
    }

    /// Commits `batch`, in more than one transaction only if SQLite rolls one back by itself.
    private func commit(_ batch: [WriterJob]) {
        var pending = batch[...]
        while !pending.isEmpty { pending = transaction(pending) }
    }

    /// Runs `jobs` in one transaction, each in its own savepoint, and completes them after the
    /// COMMIT. Returns the jobs not yet run when SQLite abandoned the transaction (SQLITE_FULL
    /// or an I/O error can roll back the whole transaction), to be retried in a new one.
    private func transaction(_ jobs: ArraySlice<WriterJob>) -> ArraySlice<WriterJob> {
        let start = Clock.monotonicNanoseconds()
        do {
            try database.cached("BEGIN IMMEDIATE").step()
        } catch {
            finish(jobs.map { ($0, StoreError(error)) }, transactionFailed: true)
            return []
        }
        // A failure here is the transaction's, like BEGIN's: it is retried with the next batch.
        try? deleteAppliedQueueRows()
        let context = WriterContext(database: database, inserter: MessageInserter(database: database),
                                    commitHooks: hooks.commitHooks)
        var done: [(WriterJob, StoreError?)] = []
        done.reserveCapacity(jobs.count)
        for (i, job) in zip(jobs.indices, jobs) {
            do {
                try database.cached("SAVEPOINT job").step()
                if let fault = faultInjector?(.job(messageID: job.messageID)) { throw fault }
                try job.perform(context)
                try database.cached("RELEASE job").step()
                done.append((job, nil))
            } catch {
                let failure = StoreError(error)
                if database.isInTransaction {
                    _ = try? database.cached("ROLLBACK TO job").step()
                    _ = try? database.cached("RELEASE job").step()
                    done.append((job, failure))
                } else {
                    // The transaction is gone: the jobs before this one are not stored either.
                    finish(done.map { ($0.0, $0.1 ?? failure) } + [(job, failure)], transactionFailed: true)
                    return jobs[(i + 1)...]
                }
            }
        }
        do {
            if let fault = faultInjector?(.commit(count: jobs.count)) { throw fault }
            try database.cached("COMMIT").step()
        } catch {
            let failure = StoreError(error)
            if database.isInTransaction { _ = try? database.cached("ROLLBACK").step() }
            finish(done.map { ($0.0, $0.1 ?? failure) }, transactionFailed: true)
            return []
        }
        let seconds = Double(Clock.monotonicNanoseconds() - start) / 1e9
        let committedIDs = done.compactMap { $0.1 == nil ? $0.0.messageID : nil }
        if let lastQueued = try? database.scalarIntCached("SELECT seq FROM sqlite_sequence WHERE name = 'search_queue'") {
            searchIndex.committed(upTo: lastQueued)
        }
        searchTexts.remember(done.compactMap { job, error in
            guard error == nil, let append = job as? AppendJob, let seq = append.seq,
                  let text = append.message.searchText else { return nil }
            return (seq, append.message.id, text)
        })
        metrics.committed(jobs: jobs.count, messages: committedIDs.count, seconds: seconds)
        health.committed()
        // Observers first: by the time a completion sends the 250, the webhook dispatcher and
        // the event stream have been told.
        if !committedIDs.isEmpty {
            for observer in hooks.commitObservers { observer(committedIDs) }
        }
        finish(done, transactionFailed: false)
        return []
    }

    /// Calls every completion: success for jobs without an error.
    private func finish(_ results: [(WriterJob, StoreError?)], transactionFailed: Bool) {
        for (job, error) in results {
            if let error {
                metrics.failed(error)
                // A full disk makes the store unready even when only one job hit it.
                if transactionFailed || error == .diskFull { health.failed(error) }
                job.fail(error)
            } else {
                job.succeed()
            }
        }
    }
}
