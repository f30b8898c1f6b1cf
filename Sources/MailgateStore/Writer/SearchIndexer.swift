import CSQLite

/// Moves messages from `search_pending` into the search indexes: the full-text tables
/// (message_fts, subject_fts) and address_index (the `to` and `from` filters).
/// Runs on the writer connection: inside a job's transaction (`Store.flushSearchIndex`, deletes
/// by filter) or in its own transaction when the writer is idle.
///
/// Every join starts from search_pending (CROSS JOIN pins it as the outer loop): left to
/// itself, SQLite's planner carries `p.seq <= ?` over to the other table and scans all of it
/// below the bound, so each pass cost as much as the whole store.
enum SearchIndexer {
    /// Rows per pass: one FTS segment for thousands of messages instead of one per commit.
    static let batchSize = 1024

    /// Indexes up to `limit` pending messages, oldest first; returns how many.
    @discardableResult
    static func indexPending(in database: Database, texts: PendingSearchTexts, limit: Int = batchSize) throws -> Int {
        let bound = try database.cached("SELECT max(seq) FROM (SELECT seq FROM search_pending ORDER BY seq LIMIT ?)")
        bound.reset()
        try bound.bind(Int64(limit), at: 1)
        guard try bound.step(), !bound.isNull(0) else {
            bound.reset()
            texts.removeAll()
            return 0
        }
        let last = bound.int64(0)
        bound.reset()
        try indexFullText(upTo: last, in: database, texts: texts)
        try database.cached("""
            INSERT INTO subject_fts(rowid, subject)
            SELECT m.seq, m.subject FROM search_pending p CROSS JOIN messages m ON m.seq = p.seq
            WHERE p.seq <= ? AND m.subject IS NOT NULL
            """).run([.int(last)])
        try indexAddresses(upTo: last, in: database)
        try database.cached("DELETE FROM search_pending WHERE seq <= ?").run([.int(last)])
        let indexed = database.changes
        if indexed < limit { texts.removeAll() }
        return indexed
    }

    /// Indexes everything pending.
    static func indexAll(in database: Database, texts: PendingSearchTexts) throws {
        while try indexPending(in: database, texts: texts) == batchSize {}
    }

    /// message_fts rows for the pending messages up to `last`, from the kept texts or, for
    /// those not kept, derived from the raw bytes.
    private static func indexFullText(upTo last: Int64, in database: Database, texts: PendingSearchTexts) throws {
        let pending = try database.cached("""
            SELECT p.seq, m.id FROM search_pending p CROSS JOIN messages m ON m.seq = p.seq WHERE p.seq <= ? ORDER BY p.seq
            """)
        var rows: [(seq: Int64, id: String)] = []
        try pending.bind(last, at: 1)
        while try pending.step() { rows.append((pending.int64(0), pending.text(1) ?? "")) }
        pending.reset()
        guard let recorder = database.termRecorder else {
            throw DatabaseError(code: SQLITE_MISUSE, message: "indexing on a connection without the term recorder")
        }
        let insert = try database.cached("INSERT INTO message_fts(rowid, text) VALUES (?, ?)")
        defer { insert.reset() }
        recorder.clear()
        try recorder.recording {
            for row in rows {
                let text = try texts.take(seq: row.seq, id: row.id) ?? derivedText(seq: row.seq, in: database)
                insert.reset()
                try insert.bind(row.seq, at: 1)
                try insert.bind(text, at: 2)
                try insert.step()
            }
        }
        try SearchTerms.record(recorder.take(), upTo: last, in: database)
    }

    private static func derivedText(seq: Int64, in database: Database) throws -> String {
        let raw = try database.cached("SELECT raw FROM message_raw WHERE seq = ?")
        defer { raw.reset() }
        try raw.bind(seq, at: 1)
        return try raw.step() ? SearchText.of(raw: raw.blob(0)) : ""
    }
}
