import Glibc
import CSQLite
import MailgateCore
import MailgateIO
import Synchronization
import Testing
@testable import MailgateStore

/// SQLITE_IOERR_WRITE and SQLITE_IOERR_FSYNC (C macros Swift cannot import).
let ioErrWrite = SQLITE_IOERR | (3 << 8)
let ioErrFsync = SQLITE_IOERR | (4 << 8)

@Suite struct WriterTests {
    let dir = TemporaryDirectory()

    @Test func durableSettingsAreInForce() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let settings = try store.writeAndWait { db in
            [try db.scalarText("PRAGMA journal_mode"), try db.scalarText("PRAGMA synchronous"),
             try db.scalarText("PRAGMA foreign_keys")]
        }.get()
        #expect(settings == ["wal", "2", "1"])
    }

    @Test func concurrentAppendsShareTransactions() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let gate = WriterGate()
        gate.close(on: store)
        // 4 threads × 100 appends queue up behind the gate: 400 jobs, at most 256 per batch.
        let calls = Mutex<[String: Int]>([:])
        let done = Completions<Void>()
        let ids = (0..<400).map { _ in ULID.make() }
        let threads = try (0..<4).map { t in
            try OSThread(name: "t\(t)") {
                for i in stride(from: t, to: 400, by: 4) {
                    let id = ids[i]
                    store.append(Fixture.message(id: id)) { result in
                        calls.withLock { $0[id, default: 0] += 1 }
                        done.callback(result)
                    }
                }
            }
        }
        threads.forEach { $0.join() }
        let before = store.metrics.batchesCommitted
        gate.release()
        let results = done.wait(for: 400)
        #expect(results.allSatisfy { $0.isSuccess })
        #expect(results.count == 400)
        #expect(calls.withLock { $0.values.allSatisfy { $0 == 1 } && $0.count == 400 })
        let metrics = store.metrics
        // The gate's own batch, then 256 + 144.
        #expect(metrics.batchesCommitted - before == 3)
        #expect(metrics.messagesStored == 400)
        #expect(metrics.batchSize.count == 3)
        let reader = try store.openReader()
        #expect(try reader.count() == 400)
        #expect(try ids.allSatisfy { try reader.exists(id: $0) })
    }

    @Test func aLoneMessageIsCommittedAtOnceInItsOwnBatch() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db"), maxBatchDelayMicroseconds: 60_000_000))
        defer { store.close() }
        // A one-minute linger would time the test out if a lone message waited for company.
        #expect(store.appendAndWait(Fixture.message()).isSuccess)
        #expect(store.metrics.batchesCommitted == 1)
    }

    /// Jobs that queued up during a commit mean work is streaming in: the next batch lingers
    /// for more, up to `maxBatchDelay`, or until it is full. Here the gate's commit leaves two
    /// appends queued; with a one-minute linger and batches of 4 they are not committed until
    /// two more arrive, and then all four together. (Without the linger they commit at once:
    /// the 0.3 s wait sees them done.)
    @Test func whileWorkStreamsInABatchLingersForMore() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db"), maxBatchCount: 4,
                                                    maxBatchDelayMicroseconds: 60_000_000))
        defer { store.close() }
        let gate = WriterGate()
        gate.close(on: store)
        let first = Completions<Void>()
        for _ in 0..<2 { store.append(Fixture.message(), completion: first.callback) }
        let before = store.metrics.batchesCommitted
        gate.release()
        WakeSignal().wait(untilNanoseconds: Clock.monotonicNanoseconds() + 300_000_000)
        #expect(store.metrics.batchesCommitted - before == 1)   // the gate's; the two linger
        let second = Completions<Void>()
        for _ in 0..<2 { store.append(Fixture.message(), completion: second.callback) }
        #expect((first.wait(for: 2) + second.wait(for: 2)).allSatisfy { $0.isSuccess })
        #expect(store.metrics.batchesCommitted - before == 2)   // then all four
    }

    @Test func aFailingJobIsRolledBackAlone() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        struct Boom: Error {}
        let poisoned = ULID.make()
        store.addCommitHook { db, message in
            try db.execute("CREATE TABLE IF NOT EXISTS outbox(message_id TEXT)")
            let insert = try db.cached("INSERT INTO outbox(message_id) VALUES (?)")
            try insert.bind(message.id, at: 1)
            try insert.step()
            if message.id == poisoned { throw Boom() }
        }
        let observed = Mutex<[String]>([])
        store.addCommitObserver { ids in observed.withLock { $0 += ids } }
        let gate = WriterGate()
        gate.close(on: store)
        let first = Completions<Void>(), failing = Completions<Int>(), hooked = Completions<Void>(),
            last = Completions<Void>()
        let a = Fixture.message(), b = Fixture.message()
        store.append(a, completion: first.callback)
        store.write({ db in
            try db.execute("INSERT INTO messages(id) VALUES ('half')")  // violates NOT NULL
            return 1
        }, completion: failing.callback)
        store.append(Fixture.message(id: poisoned), completion: hooked.callback)
        store.append(b, completion: last.callback)
        let batches = store.metrics.batchesCommitted
        gate.release()
        #expect(first.wait(for: 1).first?.isSuccess == true)
        #expect(last.wait(for: 1).first?.isSuccess == true)
        #expect(failing.wait(for: 1).first?.failure?.kind == "io")
        #expect(hooked.wait(for: 1).first?.failure == .io("Boom()"))
        #expect(store.metrics.batchesCommitted - batches == 2)  // the gate's, then one for all four
        #expect(observed.withLock { $0 } == [a.id, b.id])
        #expect(store.rows("messages") == 2)
        #expect(store.rows("outbox") == 2)
        #expect(store.rows("message_raw") == 2)
        #expect(store.rows("recipients") == 2)
        #expect(store.searchRows == 2)
    }

    @Test func injectedWriteErrorFailsOnlyThatMessage() throws {
        let bad = ULID.make()
        let options = StoreOptions(path: dir.file("m.db"), faultInjector: { phase in
            phase == .job(messageID: bad) ? DatabaseError(code: ioErrWrite, message: "disk I/O error") : nil
        })
        let store = try Store(options: options)
        defer { store.close() }
        let results = store.appendAll([Fixture.message(), Fixture.message(id: bad), Fixture.message()])
        #expect(results.filter { $0.isSuccess }.count == 2)
        #expect(results.compactMap { $0.failure } == [StoreError.io("SQLite error \(ioErrWrite): disk I/O error")])
        #expect(store.metrics.writeErrors == ["io": 1])
        #expect(try !store.openReader().exists(id: bad))
    }

    @Test func injectedCommitErrorFailsTheWholeBatch() throws {
        let failCommits = Atomic<Bool>(true)
        let options = StoreOptions(path: dir.file("m.db"), faultInjector: { phase in
            if case .commit = phase, failCommits.load(ordering: .relaxed) {
                return DatabaseError(code: ioErrFsync, message: "fsync failed")
            }
            return nil
        })
        let store = try Store(options: options)
        defer { store.close() }
        let results = store.appendAll((0..<20).map { _ in Fixture.message() })
        #expect(results.count == 20)
        #expect(results.allSatisfy { $0.failure?.kind == "io" })
        #expect(!store.isWritable)
        failCommits.store(false, ordering: .relaxed)
        #expect(store.rows("messages") == 0)
        #expect(store.rows("message_raw") == 0)
        #expect(store.isWritable)
    }

    @Test func fullDiskFailsWithDiskFullAndStoresNothingHalfway() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db"), maxPageCount: 120))
        defer { store.close() }
        var stored = 0
        var failure: StoreError?
        for i in 0..<200 {
            // 48 KiB each: the 480 KiB cap fills after a few messages.
            let result = store.appendAndWait(Fixture.message(raw: Array(repeating: UInt8(i % 256), count: 48 * 1024)))
            if case .failure(let e) = result { failure = e; break }
            stored += 1
        }
        #expect(failure == .diskFull)
        #expect(stored > 0)
        #expect(store.lastWriteError == .diskFull)
        #expect(!store.isWritable)
        for table in ["messages", "message_raw", "message_data", "recipients"] {
            #expect(store.rows(table) == stored, "\(table)")
        }
        #expect(store.searchRows == stored)
        #expect(store.metrics.writeErrors["disk_full"] == 1)
    }

    @Test func theWALIsCheckpointedInTheBackground() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db"), checkpointThresholdPages: 20))
        defer { store.close() }
        // A raw page per message, plus the index pages: past 20 frames.
        #expect(store.appendAll((0..<40).map { _ in Fixture.message(raw: Array(repeating: 65, count: 3000)) })
            .allSatisfy { $0.isSuccess })
        let deadline = Clock.monotonicNanoseconds() + 20_000_000_000
        while store.metrics.checkpoints == 0 && Clock.monotonicNanoseconds() < deadline {
            WakeSignal().wait(untilNanoseconds: Clock.monotonicNanoseconds() + 5_000_000)
        }
        #expect(store.metrics.checkpoints > 0)
    }

    /// Under steady ingest the writer is inside a transaction whenever a checkpoint pass ends,
    /// and SQLite starts the WAL over only at a transaction that begins with every frame
    /// copied: a pass that caught up hands the last few frames to the writer's next commit, and
    /// the transaction after it starts the WAL over (before, the WAL grew until the 8 ×
    /// threshold fallback). Played step by step on one thread: the checkpointer's own thread
    /// is never woken (threshold out of reach), the test runs its pass.
    @Test func aPassThatCaughtUpLetsTheWriterStartTheWALOver() throws {
        let path = dir.file("w.db")
        let writer = try Database(path: path)
        try writer.execute("PRAGMA journal_mode = WAL; CREATE TABLE t(x BLOB)")
        let checkpointer = try Checkpointer(path: path, threshold: 1_000_000, busyTimeoutMilliseconds: 1000)
        defer { checkpointer.stop() }
        checkpointer.attach(to: writer)
        let passConnection = try Database(path: path)
        let insert = "INSERT INTO t VALUES (zeroblob(3000))"
        for _ in 0..<100 { try writer.execute(insert) }
        let grown = checkpointer.walFrames.load(ordering: .relaxed)
        #expect(grown >= 100)
        try writer.execute("BEGIN IMMEDIATE; \(insert)")
        checkpointer.copyWAL(passConnection)     // copies every committed frame meanwhile
        try writer.execute("COMMIT")              // its frames go after the old ones; it copies them
        #expect(checkpointer.walFrames.load(ordering: .relaxed) > grown)
        try writer.execute(insert)                // begins with the WAL fully copied: starts it over
        #expect(checkpointer.walFrames.load(ordering: .relaxed) < 10)
    }

    /// The checkpointer yields the CPU to the threads clients wait on (SCHED_IDLE); the writer
    /// does not. Its own thread is read (other tests' stores run checkpointers meanwhile).
    @Test func theCheckpointerRunsOnlyWhenACPUIsIdle() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        #expect(store.appendAndWait(Fixture.message()).isSuccess)
        // The thread sets its policy as it starts: wait for it to get there.
        let deadline = Clock.monotonicNanoseconds() + 20_000_000_000
        while store.checkpointer.threadID.load(ordering: .acquiring) == 0 && Clock.monotonicNanoseconds() < deadline {
            WakeSignal().wait(untilNanoseconds: Clock.monotonicNanoseconds() + 5_000_000)
        }
        let tid = store.checkpointer.threadID.load(ordering: .acquiring)
        try #require(tid != 0)
        let schedIdle: Int32 = 5   // SCHED_IDLE in <sched.h> (a GNU macro Swift does not import)
        #expect(sched_getscheduler(tid) == schedIdle)
        #expect(sched_getscheduler(0) == SCHED_OTHER)   // this thread, like the writer
    }

    @Test func closeCommitsQueuedJobsAndRefusesLaterOnes() throws {
        let path = dir.file("m.db")
        let store = try Store(options: StoreOptions(path: path))
        let done = Completions<Void>()
        for _ in 0..<300 { store.append(Fixture.message(), completion: done.callback) }
        store.close()
        let results = done.wait(for: 300)
        #expect(results.count == 300 && results.allSatisfy { $0.isSuccess })
        #expect(store.appendAndWait(Fixture.message()).failure == .closed)
        #expect(!store.isWritable)
        let reopened = try Store(options: StoreOptions(path: path))
        defer { reopened.close() }
        #expect(try reopened.openReader().count() == 300)
    }
}
