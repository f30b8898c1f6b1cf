import MailgateCore
import MailgateIO
import Synchronization

/// The background thread that deletes messages past their age.
final class RetentionTask: Sendable {
    let stopSignal = WakeSignal()
    let stopped = Atomic<Bool>(false)
    let thread = Mutex<OSThread?>(nil)

    func stop() {
        stopped.store(true, ordering: .releasing)
        stopSignal.signal()
        thread.withLock { t -> OSThread? in defer { t = nil }; return t }?.join()
    }
}

extension Store {
    /// Every `intervalMilliseconds`, deletes the messages received more than
    /// `maxAgeMilliseconds` ago, `deleteBatchSize` per write job with the queue free in
    /// between, so ingest never waits behind a long delete. 0 keeps messages forever.
    /// Replaces a retention started before.
    public func startRetention(maxAgeMilliseconds: Int64, intervalMilliseconds: Int64 = 60_000) throws {
        stopRetention()
        guard maxAgeMilliseconds > 0 else { return }
        let task = RetentionTask()
        let interval = UInt64(max(1, intervalMilliseconds)) * 1_000_000
        let thread = try OSThread(name: "mailgate-retain") { [weak self] in
            while !task.stopped.load(ordering: .acquiring) {
                guard let store = self else { return }
                store.purge(olderThan: Clock.nowMilliseconds() - maxAgeMilliseconds, until: task)
                task.stopSignal.wait(untilNanoseconds: Clock.monotonicNanoseconds() + interval)
            }
        }
        task.thread.withLock { $0 = thread }
        retention.withLock { $0 = task }
    }

    func stopRetention() {
        retention.withLock { t -> RetentionTask? in defer { t = nil }; return t }?.stop()
    }

    /// Deletes, batch by batch, the messages received before `cutoff` (ms), then the search
    /// terms only they carried, then what the retention hooks delete; returns how many messages.
    @discardableResult
    func purge(olderThan cutoff: Int64, until task: RetentionTask? = nil) -> Int {
        let bound = MessageSequence.first(ofMillisecond: cutoff)
        let metrics = metricsRecorder
        let total = purgeBatches(until: task) { database, limit in
            let select = try database.cached("SELECT seq FROM messages WHERE seq < ? ORDER BY seq LIMIT ?")
            try select.bind(bound, at: 1)
            try select.bind(limit, at: 2)
            var seqs: [Int64] = []
            while try select.step() { seqs.append(select.int64(0)) }
            select.reset()
            try Self.deleteMessages(seqs: seqs, in: database)
            metrics.deleted(seqs.count)
            return seqs.count
        }
        pruneSearchTerms(olderThan: cutoff)
        for hook in hooks.retentionHooks {
            purgeBatches(until: task) { database, limit in try hook(database, cutoff, limit) }
        }
        return total
    }

    /// Drops the search terms only the deleted mail carried, on the search index's thread once
    /// it has applied the deletions.
    private func pruneSearchTerms(olderThan cutoff: Int64) {
        let done = WakeSignal()
        searchIndex.perform { applier in
            defer { done.signal() }
            guard let applier else { return }
            do {
                while try applier.pruneTerms(olderThan: cutoff, limit: Self.deleteBatchSize) == Self.deleteBatchSize {}
            } catch {
                self.metricsRecorder.failed(StoreError(error))
            }
        }
        done.wait()
    }

    /// Runs `batch` (which deletes at most `limit` rows and returns how many) as write jobs,
    /// one at a time so ingest interleaves, until it deletes fewer than a full batch; returns
    /// how many rows it deleted.
    @discardableResult
    private func purgeBatches(until task: RetentionTask?, _ batch: @escaping @Sendable (Database, Int) throws -> Int) -> Int {
        let limit = Self.deleteBatchSize
        var total = 0
        while task?.stopped.load(ordering: .acquiring) != true {
            guard case .success(let count) = writeAndWait({ database in try batch(database, limit) }) else { break }
            total += count
            if count < limit { break }
        }
        return total
    }
}
