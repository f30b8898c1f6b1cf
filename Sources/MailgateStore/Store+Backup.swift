import CSQLite

extension Store {
    /// Writes a consistent copy of the database to `destination` while mail keeps arriving
    /// (`mailgate backup <file>`). It copies from its own read connection in one step, so the
    /// copy is the snapshot of one moment and the writer is never blocked (WAL readers do not
    /// block writers). An existing file at `destination` is replaced.
    public func backup(to destination: String) throws {
        _ = try Self.backup(databasePath: path, to: destination, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
    }

    /// The same from outside the running gateway (the `mailgate backup` process), given the
    /// database file. Returns the number of pages copied.
    @discardableResult
    public static func backup(databasePath: String, to destination: String, busyTimeoutMilliseconds: Int = 5000) throws -> Int {
        let source = try Database(path: databasePath, mode: .readOnly)
        try source.execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
        let target = try Database(path: destination, mode: .readWrite)
        guard let backup = sqlite3_backup_init(target.handle, "main", source.handle, "main") else {
            throw StoreError(target.error(sqlite3_errcode(target.handle)))
        }
        let stepped = sqlite3_backup_step(backup, -1)
        let pages = Int(sqlite3_backup_pagecount(backup))
        let finished = sqlite3_backup_finish(backup)
        guard stepped == SQLITE_DONE, finished == SQLITE_OK else {
            throw StoreError(target.error(finished))
        }
        return pages
    }
}
