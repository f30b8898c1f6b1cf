import Dispatch
import Foundation
import MailgateCore
import MailgateStore
import MailgateWebhooks
import Synchronization

/// A WebhookStorage for tests: a serial writer (one DispatchQueue owning the only write
/// connection, WAL, synchronous=FULL), one transaction per job, and read-only connections.
final class TestStorage: WebhookStorage, @unchecked Sendable {
    let path: String
    private let queue = DispatchQueue(label: "test-writer")
    /// Confined to `queue`.
    private let writer: Database

    init() throws {
        path = NSTemporaryDirectory() + "mailgate-webhooks-\(ULID.make()).sqlite"
        writer = try Database(path: path)
        try writer.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000")
        for migration in WebhookMigrations.migrations {
            try writer.execute("BEGIN IMMEDIATE; \(migration.sql); PRAGMA user_version = \(migration.version); COMMIT")
        }
    }

    deinit {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    }

    func write(_ job: @escaping @Sendable (Database) throws -> Void, completion: @escaping @Sendable (Error?) -> Void) {
        queue.async {
            do {
                try self.writer.execute("BEGIN IMMEDIATE")
                do {
                    try job(self.writer)
                    try self.writer.execute("COMMIT")
                } catch {
                    try? self.writer.execute("ROLLBACK")
                    throw error
                }
                completion(nil)
            } catch {
                completion(error)
            }
        }
    }

    func openReadConnection() throws -> Database {
        let db = try Database(path: path, mode: .readOnly)
        try db.execute("PRAGMA busy_timeout=5000")
        return db
    }

    /// Runs a write job and waits for its commit.
    func sync<T: Sendable>(_ job: @escaping @Sendable (Database) throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let value = Mutex<T?>(nil)
        let failure = Mutex<(any Error)?>(nil)
        write({ db in
            let v = try job(db)
            value.withLock { $0 = v }
        }) { error in
            failure.withLock { $0 = error }
            done.signal()
        }
        done.wait()
        if let error = failure.withLock({ $0 }) { throw error }
        guard let v = value.withLock({ $0 }) else { throw WebhookError.storage("the job did not run") }
        return v
    }

    /// Reads on a fresh read-only connection.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try body(try openReadConnection())
    }
}

/// Polls `condition` until it holds or `seconds` pass (a deadline, not a timing assertion).
func eventually(_ seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(30_000)
    }
    return try condition()
}

/// Message JSON for the payload provider; a removed id stands for a deleted message.
final class MessageStore: Sendable {
    private let messages = Mutex<[String: [UInt8]]>([:])

    func add(_ id: String) -> String {
        messages.withLock { $0[id] = Array(#"{"id":"\#(id)","subject":"Hello"}"#.utf8) }
        return id
    }

    func remove(_ id: String) { _ = messages.withLock { $0.removeValue(forKey: id) } }

    var provider: PayloadProvider { { id, _ in self.messages.withLock { $0[id] } } }
}
