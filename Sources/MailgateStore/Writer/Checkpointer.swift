import CSQLite
import MailgateCore
import MailgateIO
import Synchronization

/// Copies the WAL back into the database file on its own thread and connection, so the
/// writer's COMMITs never pay for a checkpoint (page copies plus an fsync of the main file).
///
/// The writer's WAL hook reports the WAL size after each commit; past `threshold` frames it
/// wakes this thread, which runs a PASSIVE checkpoint (it takes no lock the writer needs).
/// Past 8 × threshold (this thread fell behind) the hook checkpoints on the writer itself, as
/// SQLite's auto-checkpoint would.
final class Checkpointer: Sendable {
    /// WAL frames (pages) after a commit that wake the checkpointer.
    let threshold: Int32

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
        let database = try Database(path: path, mode: .readWrite)
        try database.execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
        try database.execute("PRAGMA synchronous = FULL")
        let box = UncheckedBox(database)
        let started = try OSThread(name: "mailgate-ckpt") { [self] in run(box.value) }
        thread.withLock { $0 = started }
    }

    private func run(_ database: Database) {
        // Copying the WAL can wait; the loops and the writer, which clients wait on, cannot.
        // (W2 A/B: nice 10 gave +1 %/+14 %/+2 %, nice 19 +12 %/+9 %/+6 %.) A checkpointer that
        // falls behind is bounded: past 8 × threshold the writer checkpoints itself.
        OSThread.lowerCurrentPriority(to: 10)
        threadID.store(OSThread.currentID, ordering: .releasing)
        while !stopped.load(ordering: .acquiring) {
            wake.wait()
            if stopped.load(ordering: .acquiring) { break }
            sqlite3_wal_checkpoint_v2(database.handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            checkpoints.add(1, ordering: .relaxed)
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
            if frames >= checkpointer.threshold &* 8 {
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
