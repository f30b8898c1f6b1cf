import CSQLite

/// A value to bind to a statement parameter.
public enum DatabaseValue: Sendable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}

/// A prepared statement; finalized in deinit (GRDB style). Confined to its connection's thread.
public final class Statement {
    let handle: OpaquePointer
    unowned let database: Database

    init(database: Database, sql: String) throws {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw database.error(rc) }
        handle = stmt
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Resets the statement and clears its bindings so it can be reused.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds values to parameters 1...n. Strings and blobs are bound SQLITE_TRANSIENT (copied).
    public func bind(_ values: [DatabaseValue]) throws {
        for (i, v) in values.enumerated() { try bind(v, at: Int32(i + 1)) }
    }

    public func bind(_ value: DatabaseValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .int(let v): rc = sqlite3_bind_int64(handle, index, v)
        case .double(let v): rc = sqlite3_bind_double(handle, index, v)
        case .text(let s): rc = sqlite3_bind_text(handle, index, s, -1, csqlite_transient())
        case .blob(let b):
            rc = b.withUnsafeBytes { sqlite3_bind_blob64(handle, index, $0.baseAddress, sqlite3_uint64($0.count), csqlite_transient()) }
        }
        guard rc == SQLITE_OK else { throw database.error(rc) }
    }

    public func bind(_ value: Int64, at index: Int32) throws {
        let rc = sqlite3_bind_int64(handle, index, value)
        guard rc == SQLITE_OK else { throw database.error(rc) }
    }

    public func bind(_ value: Int, at index: Int32) throws { try bind(Int64(value), at: index) }

    /// Binds text (copied), or NULL when `value` is nil.
    public func bind(_ value: String?, at index: Int32) throws {
        guard var value else {
            let rc = sqlite3_bind_null(handle, index)
            guard rc == SQLITE_OK else { throw database.error(rc) }
            return
        }
        let rc = value.withUTF8 { utf8 -> Int32 in
            // An empty buffer may have no address; "" must still bind as text, not NULL.
            guard let base = utf8.baseAddress, !utf8.isEmpty else {
                return sqlite3_bind_text(handle, index, "", 0, csqlite_transient())
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(utf8.count), csqlite_transient(),
                                    UInt8(SQLITE_UTF8))
            }
        }
        guard rc == SQLITE_OK else { throw database.error(rc) }
    }

    /// Binds a blob (copied).
    public func bind(bytes: [UInt8], at index: Int32) throws {
        // An empty blob is bound as a zero-length blob, not NULL (a nil pointer would mean NULL).
        let rc = bytes.isEmpty ? sqlite3_bind_zeroblob(handle, index, 0) : bytes.withUnsafeBytes {
            sqlite3_bind_blob64(handle, index, $0.baseAddress, sqlite3_uint64($0.count), csqlite_transient())
        }
        guard rc == SQLITE_OK else { throw database.error(rc) }
    }

    /// Binds a large blob without copying it; `bytes` must stay alive until the statement is stepped and reset.
    public func bindNoCopy(_ bytes: UnsafeRawBufferPointer, at index: Int32) throws {
        let rc = bytes.isEmpty ? sqlite3_bind_zeroblob(handle, index, 0)
            : sqlite3_bind_blob64(handle, index, bytes.baseAddress, sqlite3_uint64(bytes.count), csqlite_static())
        guard rc == SQLITE_OK else { throw database.error(rc) }
    }

    /// Steps once: true when a row is available, false when done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(rc)
        }
    }

    /// Steps to completion (for statements without rows).
    public func run(_ values: [DatabaseValue] = []) throws {
        reset()
        try bind(values)
        while try step() {}
    }

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    public func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    public func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    public func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        let n = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    public func blob(_ column: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(handle, column))
        guard n > 0, let p = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }

    /// Lends the column's bytes without copying; valid only inside `body`.
    public func withBlob<R>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let n = Int(sqlite3_column_bytes(handle, column))
        let p = sqlite3_column_blob(handle, column)
        return try body(UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : n))
    }
}
