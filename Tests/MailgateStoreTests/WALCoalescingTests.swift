import Glibc
import CSQLite
import Testing
@testable import MailgateStore

/// The write and checkpoint connections' VFS (CSQLite/wal_coalescing.h): a commit's WAL frames
/// reach the file in one write call instead of two per frame, a checkpoint's consecutive pages
/// in few, and everything SQLite does with a WAL still works
/// through it: transactions larger than the buffer, pages rewritten within a transaction,
/// savepoints and rollbacks after pages spilled, checkpoints and WAL restarts, readers on the
/// default VFS.
@Suite struct WALCoalescingTests {
    let dir = TemporaryDirectory()

    func open(_ name: String) throws -> Database {
        let db = try Database(path: dir.file(name), vfs: try #require(Store.walCoalescingVFS))
        try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL")
        return db
    }

    /// Write system calls this thread has made (`syscw` in /proc/thread-self/io): the test's
    /// own calls, whatever other tests do meanwhile.
    func writeCalls() throws -> Int {
        let file = try #require(fopen("/proc/thread-self/io", "r"))
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, 256, file) != nil {
            let text = String(cString: line)
            if text.hasPrefix("syscw:") { return Int(text.dropFirst(6).filter { $0.isNumber }) ?? -1 }
        }
        return -1
    }

    /// Ten rows of 3 000 bytes: a dozen frames, 24 writes without the VFS.
    func commitTenRows(_ db: Database) throws -> Int {
        try db.execute("CREATE TABLE IF NOT EXISTS t(x BLOB); INSERT INTO t VALUES (zeroblob(10))")
        let before = try writeCalls()
        try db.execute("BEGIN; " + String(repeating: "INSERT INTO t VALUES (randomblob(3000)); ", count: 10) + "COMMIT")
        return try writeCalls() - before
    }

    /// The checkpoint that copies those frames: the new pages are consecutive in the file.
    func checkpoint(_ db: Database) throws -> Int {
        let before = try writeCalls()
        #expect(sqlite3_wal_checkpoint_v2(db.handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil) == SQLITE_OK)
        return try writeCalls() - before
    }

    @Test func aCommitsFramesGoOutInOneWriteAndACheckpointsPagesInFew() throws {
        let plain = try Database(path: dir.file("plain.db"))
        try plain.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL")
        #expect(try commitTenRows(plain) >= 20)
        #expect(try checkpoint(plain) >= 10)
        let coalesced = try open("coalesced.db")
        #expect(try commitTenRows(coalesced) == 1)
        #expect(try checkpoint(coalesced) <= 3)
    }

    @Test func everythingSQLiteDoesWithTheWALStillWorks() throws {
        let path = dir.file("w.db")
        var expected: [Int64: Int64] = [:]   // id -> length of x
        do {
            let db = try open("w.db")
            // A small cache: big transactions spill pages to the WAL before their commit.
            try db.execute("PRAGMA cache_size = 20; CREATE TABLE t(id INTEGER PRIMARY KEY, x BLOB)")
            for round in Int64(0)..<12 {
                try db.execute("BEGIN")
                for i in Int64(0)..<60 {
                    let id = round * 1000 + i, length = 3000 + i * 37
                    try db.execute("INSERT INTO t VALUES (\(id), randomblob(\(length)))")
                    expected[id] = length
                }
                // Pages of this transaction written again, a savepoint undone.
                try db.execute("UPDATE t SET x = randomblob(500) WHERE id % 5 = 0 AND id >= \(round * 1000)")
                for id in expected.keys where id >= round * 1000 && id % 5 == 0 { expected[id] = 500 }
                try db.execute("SAVEPOINT s; DELETE FROM t WHERE id % 7 = 0; ROLLBACK TO s; RELEASE s")
                if round % 4 == 3 {
                    // A whole transaction rolled back after its spilled frames were written.
                    try db.execute("COMMIT; BEGIN; DELETE FROM t; INSERT INTO t SELECT id + 500, randomblob(4000) FROM t; ROLLBACK")
                } else {
                    try db.execute("COMMIT")
                }
                if round % 3 == 2 {
                    // Copied into the database file; the next commit starts the WAL over.
                    #expect(sqlite3_wal_checkpoint_v2(db.handle, nil, SQLITE_CHECKPOINT_RESTART, nil, nil) == SQLITE_OK)
                }
                // A connection on the default VFS (the API's readers) sees every commit.
                let reader = try Database(path: path, mode: .readOnly)
                #expect(try reader.scalarInt("SELECT count(*) FROM t") == Int64(expected.count))
            }
        }
        let reader = try Database(path: path, mode: .readOnly)
        #expect(try reader.scalarText("PRAGMA integrity_check") == "ok")
        #expect(try reader.scalarInt("SELECT sum(length(x)) FROM t") == expected.values.reduce(0, +))
        #expect(try reader.scalarInt("SELECT count(*) FROM t WHERE id % 5 = 0 AND length(x) = 500")
                == Int64(expected.keys.filter { $0 % 5 == 0 }.count))
    }
}
