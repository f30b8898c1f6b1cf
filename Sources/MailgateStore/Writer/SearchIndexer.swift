/// Moves messages from `search_pending` into the full-text tables (StoreSchema.deferredSearchV2).
/// Runs on the writer connection: inside a job's transaction (`Store.flushSearchIndex`, deletes
/// by filter) or in its own transaction when the writer is idle.
enum SearchIndexer {
    /// Rows per pass: one FTS segment for thousands of messages instead of one per commit.
    static let batchSize = 1024

    /// Indexes up to `limit` pending messages, oldest first; returns how many.
    @discardableResult
    static func indexPending(in database: Database, limit: Int = batchSize) throws -> Int {
        let bound = try database.cached("SELECT max(seq) FROM (SELECT seq FROM search_pending ORDER BY seq LIMIT ?)")
        bound.reset()
        try bound.bind(Int64(limit), at: 1)
        guard try bound.step(), !bound.isNull(0) else { bound.reset(); return 0 }
        let last = bound.int64(0)
        bound.reset()
        try database.cached("INSERT INTO message_fts(rowid, text) SELECT seq, text FROM search_pending WHERE seq <= ?")
            .run([.int(last)])
        try database.cached("""
            INSERT INTO subject_fts(rowid, subject)
            SELECT m.seq, m.subject FROM search_pending p JOIN messages m ON m.seq = p.seq
            WHERE p.seq <= ? AND m.subject IS NOT NULL
            """).run([.int(last)])
        try database.cached("DELETE FROM search_pending WHERE seq <= ?").run([.int(last)])
        return database.changes
    }

    /// Indexes everything pending.
    static func indexAll(in database: Database) throws {
        while try indexPending(in: database) == batchSize {}
    }
}
