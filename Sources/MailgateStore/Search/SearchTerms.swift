/// The `search_terms` table (StoreSchema.searchTermsV4): every term message_fts has indexed,
/// for prefix searches (PrefixTerms), dated so that retention can drop those of deleted mail.
enum SearchTerms {
    /// Days since the epoch of a seq (`received_at << 12 | n`, MessageSequence).
    static func day(ofSeq seq: Int64) -> Int64 { (seq >> MessageSequence.shift) / 86_400_000 }

    /// Records an indexing pass's distinct terms (FTSTermRecorder), dated with the day of the pass's newest
    /// message (`last`), which is no earlier than any message of the pass. A known term is
    /// rewritten only when its day moves forward, so most cost a lookup.
    static func record(_ terms: [String], upTo last: Int64, in database: Database) throws {
        let statement = try database.cached("""
            INSERT INTO search_terms(term, last_day) VALUES (?, ?)
            ON CONFLICT(term) DO UPDATE SET last_day = excluded.last_day WHERE last_day < excluded.last_day
            """)
        defer { statement.reset() }
        let day = day(ofSeq: last)
        for term in terms {
            statement.reset()
            try statement.bind(term, at: 1)
            try statement.bind(day, at: 2)
            try statement.step()
        }
    }

    /// Deletes up to `limit` terms whose newest message was received on a day before the one
    /// of `cutoff` (ms): retention has deleted every message indexed with them. Returns how many.
    static func prune(in database: Database, olderThan cutoff: Int64, limit: Int) throws -> Int {
        let cutoffDay = MessageSequence.clamp(cutoff) / 86_400_000
        try database.cached("""
            DELETE FROM search_terms WHERE term IN (SELECT term FROM search_terms WHERE last_day < ? LIMIT ?)
            """).run([.int(cutoffDay), .int(Int64(limit))])
        return database.changes
    }
}
