import CSQLite
import MailgateCore
import MailgateIO
import Synchronization

/// Copies the WAL back into the database file on its own thread and connection, so the
/// writer's COMMITs never pay for a checkpoint (page copies plus an fsync of the main file).
///
/// The writer's WAL hook reports the WAL size after each commit; past `threshold` frames it
/// wakes this thread, which runs PASSIVE checkpoints (they take no lock the writer needs).
/// Past 8 × threshold (this thread fell behind) the hook checkpoints on the writer itself, as
/// SQLite's auto-checkpoint would.
///
/// Starting the WAL over: SQLite rewinds the WAL to its first frame only when a write
/// transaction begins with every frame already copied. Under steady ingest a PASSIVE pass
/// never gets there (the writer commits while it copies), so the WAL kept growing up to the
/// 8 × fallback (131 MB at the default threshold) and that fallback stalled the writer while
/// it copied some 30 000 frames. Now this thread repeats its pass while it gains on the
/// writer, and once at most `finishFrames` are left uncopied it asks the writer to copy the
/// rest at its next commit (a few dozen pages, between two transactions): the transaction
/// after that starts the WAL over. W2: the WAL file peaks at ~25 MB instead of 132 MB, and the
/// checkpointer's CPU per message is halved (docs/PERFORMANCE.md).
final class Checkpointer: Sendable {
    /// WAL frames (pages) after a commit that wake the checkpointer.
    let threshold: Int32
    /// At most this many uncopied frames after a pass: the writer copies the rest itself.
    static let finishFrames: Int32 = 64
    /// Passes per wake-up while the writer keeps adding frames.
    static let maxPasses = 8
    /// Frames in the WAL after the writer's latest commit (its WAL hook).
    let walFrames = Atomic<Int32>(0)
    /// Set by a pass that left at most `finishFrames` uncopied; the writer's next commit takes it.
    private let caughtUp = Atomic<Bool>(false)

    private let wake = WakeSignal()
    private let stopped = Atomic<Bool>(false)
    private let thread = Mutex<OSThread?>(nil)
    let checkpoints = Atomic<Int>(0)
    /// The thread's kernel id once it has lowered its priority (0 before): tests read its nice
    /// value in /proc.
    let threadID = Atomic<Int32>(0)

    /// Starts the thread on a connection of its own to `path`.
    init(path: String, threshold: Int, busyTimeoutMilliseconds: Int) throws {
        self.threshold = Int32(clamping: max(1, threshold))
        let database = try Database(path: path, mode: .readWrite, vfs: Store.walCoalescingVFS)
        try database.execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
        try database.execute("PRAGMA synchronous = FULL")
        let box = UncheckedBox(database)
        let started = try OSThread(name: "mailgate-ckpt") { [self] in run(box.value) }
        thread.withLock { $0 = started }
    }

    private func run(_ database: Database) {
        // Copying the WAL can wait; the loops and the writer, which clients wait on, cannot.
        // (W2 A/B against the default priority: nice 10 gave +1 %/+14 %/+2 %, nice 19
        // +12 %/+9 %/+6 %; SCHED_IDLE against nice 10 +11/+18/+2/+11 %, the WAL's peak over
        // 50 000 messages 24-26 MiB against 20.) A checkpointer that falls behind is bounded:
        // past 8 × threshold the writer checkpoints itself.
        OSThread.runCurrentOnlyWhenIdle()
        threadID.store(OSThread.currentID, ordering: .releasing)
        while !stopped.load(ordering: .acquiring) {
            wake.wait()
            if stopped.load(ordering: .acquiring) { break }
            copyWAL(database)
            checkpoints.add(1, ordering: .relaxed)
        }
    }

    /// PASSIVE passes until at most `finishFrames` are left uncopied (then the writer is asked
    /// to finish), or `maxPasses`, or an error (BUSY: another checkpoint is running).
    func copyWAL(_ database: Database) {
        for _ in 0..<Self.maxPasses {
            var log: Int32 = 0, copied: Int32 = 0
            guard sqlite3_wal_checkpoint_v2(database.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) == SQLITE_OK
            else { return }
            if log - copied <= Self.finishFrames {
                caughtUp.store(true, ordering: .releasing)
                return
            }
            if stopped.load(ordering: .acquiring) { return }
        }
    }

    /// Installs the WAL hook on the writer's connection (which must outlive the hook: the
    /// writer closes its connection only after `stop()`).
    func attach(to writer: Database) {
        // This replaces the hook of SQLite's auto-checkpoint (wal_autocheckpoint).
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_wal_hook(writer.handle, { context, db, _, frames in
            guard let context else { return SQLITE_OK }
            let checkpointer = Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue()
            checkpointer.walFrames.store(frames, ordering: .relaxed)
            // Taken at the first commit after the pass that set it, so what is left to copy is
            // the pass's remainder plus the frames committed since: a few dozen pages.
            let finish = checkpointer.caughtUp.exchange(false, ordering: .acquiring)
            if finish || frames >= checkpointer.threshold &* 8 {
                sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            } else if frames >= checkpointer.threshold {
                checkpointer.wake.signal()
            }
            return SQLITE_OK
        }, context)
    }

    func stop() {
        stopped.store(true, ordering: .releasing)
        wake.signal()
        thread.withLock { t -> OSThread? in defer { t = nil }; return t }?.join()
    }
}

/// Hands a non-Sendable value to the thread that will own it from then on.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
