import CSQLite

extension Store {
    /// The VFS that gathers the WAL's and the database file's contiguous writes into one pwrite
    /// (CSQLite/wal_coalescing.h), for the write and checkpoint connections; registered once;
    /// nil (SQLite's default VFS) if it could not be.
    static let walCoalescingVFS: String? = csqlite_coalescing_register().map { String(cString: $0) }

    /// Opens the write connection with the durable settings and runs the migrations.
    static func openWriteConnection(_ options: StoreOptions) throws -> Database {
        // The coalescing VFS needs every commit to sync (synchronous = FULL, below).
        let database = try Database(path: options.path, mode: .readWrite, vfs: Self.walCoalescingVFS)
        try database.execute("PRAGMA busy_timeout = \(options.busyTimeoutMilliseconds)")
        // GRDB's lesson: the pragma answers the mode actually in force; check it.
        let mode = try database.scalarText("PRAGMA journal_mode = WAL")
        guard mode?.lowercased() == "wal" else {
            throw StoreError.io("\(options.path): cannot enable WAL mode (journal_mode is \(mode ?? "unknown"))")
        }
        // FULL: every COMMIT fsyncs the WAL, so a completed append survives power loss.
        try database.execute("PRAGMA synchronous = FULL")
        try database.execute("PRAGMA foreign_keys = ON")
        // Each job's SAVEPOINT journals the pages it changes; in a temp file that costs more
        // writes than the WAL itself. In memory it is a memcpy of ~15 pages per message.
        try database.execute("PRAGMA temp_store = MEMORY")
        if let pages = options.maxPageCount {
            try database.execute("PRAGMA max_page_count = \(pages)")
        }
        // Before the migrations: the delete trigger calls it.
        try SearchText.register(on: database)
        try Migrator(database: database).migrate(StoreSchema.migrations + options.extraMigrations) { migration in
            if migration.version == StoreSchema.searchFileVersion {
                SearchCarryOver.run(from: database, to: SearchSchema.path(forStore: options.path),
                                    busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
            }
        }
        return database
    }
}
