import Glibc

/// Opens the search file's connections (SearchSchema).
enum SearchFile {
    /// The write connection, creating the file, or deleting and creating it again when it
    /// holds another layout or cannot be read: its content is derived, the applier refills it.
    /// `prepare` runs on the connection first, before anything opens a table.
    static func openWriter(path: String, busyTimeoutMilliseconds: Int,
                           prepare: (Database) throws -> Void) throws -> Database {
        do {
            return try open(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, prepare: prepare)
        } catch {
            removeFiles(path)
            return try open(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, prepare: prepare)
        }
    }

    private struct OtherLayout: Error {}

    private static func open(path: String, busyTimeoutMilliseconds: Int,
                             prepare: (Database) throws -> Void) throws -> Database {
        let database = try Database(path: path, mode: .readWrite)
        try prepare(database)
        try database.execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
        guard try database.scalarText("PRAGMA journal_mode = WAL")?.lowercased() == "wal" else { throw OtherLayout() }
        // NORMAL: no fsync per pass. Power loss can lose the last passes, never the file's
        // consistency, and what they applied is still in the store's search_queue.
        try database.execute("PRAGMA synchronous = NORMAL")
        try database.execute("PRAGMA temp_store = MEMORY")
        let version = try database.scalarInt("PRAGMA user_version") ?? 0
        if version == SearchSchema.version { return database }
        let objects = try database.scalarInt("SELECT count(*) FROM sqlite_schema") ?? 0
        guard version == 0, objects == 0 else { throw OtherLayout() }
        try database.execute("BEGIN IMMEDIATE")
        try database.execute(SearchSchema.sql)
        try database.execute("PRAGMA user_version = \(SearchSchema.version)")
        try database.execute("COMMIT")
        return database
    }

    /// Deletes the file and its WAL and shared-memory files.
    static func removeFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    }

    /// Attaches the search file to `database` (a store connection) as `search`, read-only
    /// when the connection is.
    static func attach(_ path: String, to database: Database) throws {
        let attach = try database.prepare("ATTACH DATABASE ? AS \(SearchSchema.attachedName)")
        try attach.bind(path, at: 1)
        _ = try attach.step()
    }
}
