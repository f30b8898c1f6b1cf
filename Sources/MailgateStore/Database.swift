import CSQLite

/// An error from SQLite, with its extended result code (GRDB style: extended codes are on).
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    /// The OS errno behind an I/O error (sqlite3_system_errno), 0 when none.
    public let systemErrno: Int32
    public init(code: Int32, message: String, systemErrno: Int32 = 0) {
        self.code = code
        self.message = message
        self.systemErrno = systemErrno
    }

    /// The primary result code (the low byte of the extended code).
    public var primaryCode: Int32 { code & 0xFF }
    /// SQLITE_FULL: the disk (or max_page_count) is full.
    public var isDiskFull: Bool { primaryCode == SQLITE_FULL }
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }
    public var description: String { "SQLite error \(code): \(message)" }
}

/// One SQLite connection. Not thread-safe: a connection is confined to one thread
/// (the store writer owns the only write connection; each reader thread owns its own).
public final class Database {
    public let handle: OpaquePointer
    public let path: String
    /// Statements prepared once and reused by `cached(_:)`, keyed by their SQL text.
    private var statementCache: [String: Statement] = [:]
    /// The SQL of the cached statements (tests check their query plans).
    var cachedStatementSQL: [String] { Array(statementCache.keys) }

    public enum Mode: Sendable { case readWrite, readOnly }

    /// `vfs`: a registered VFS's name (nil: SQLite's default).
    public init(path: String, mode: Mode = .readWrite, vfs: String? = nil) throws {
        var db: OpaquePointer?
        let flags = (mode == .readWrite ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY)
            | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, vfs)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(code: rc, message: "\(path): \(message)")
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { sqlite3_close_v2(handle) }

    func error(_ rc: Int32) -> DatabaseError {
        DatabaseError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)),
                      systemErrno: sqlite3_system_errno(handle))
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws {
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errmsg)
        if rc != SQLITE_OK {
            let message = errmsg.map { String(cString: $0) } ?? "error"
            sqlite3_free(errmsg)
            throw DatabaseError(code: sqlite3_extended_errcode(handle), message: message,
                                systemErrno: sqlite3_system_errno(handle))
        }
    }

    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs `sql` with `arguments` and returns the first column of the first row as an integer.
    public func scalarInt(_ sql: String, _ arguments: [DatabaseValue] = []) throws -> Int64? {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        return try statement.step() ? statement.int64(0) : nil
    }

    /// A prepared statement for `sql`, prepared on first use and reused afterwards (reset first).
    /// For the fixed SQL of hot paths; the statements live as long as the connection.
    public func cached(_ sql: String) throws -> Statement {
        if let statement = statementCache[sql] {
            statement.reset()
            return statement
        }
        let statement = try prepare(sql)
        statementCache[sql] = statement
        return statement
    }

    /// `scalarInt` through a cached statement (for a hot path); nil when there is no row.
    public func scalarIntCached(_ sql: String) throws -> Int64? {
        let statement = try cached(sql)
        defer { statement.reset() }
        return try statement.step() ? statement.int64(0) : nil
    }

    /// Runs `sql` and returns the first column of the first row as text (e.g. a PRAGMA's answer).
    public func scalarText(_ sql: String) throws -> String? {
        let statement = try prepare(sql)
        return try statement.step() ? statement.text(0) : nil
    }

    /// Whether the connection is inside an explicit transaction (false after COMMIT, ROLLBACK,
    /// or when SQLite rolled the transaction back by itself after an I/O or disk-full error).
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }
}
