import CSQLite

/// Moves messages from `search_pending` into the search indexes: the full-text tables
/// (message_fts, subject_fts) and address_index (the `to` and `from` filters).
/// Runs on the writer connection: inside a job's transaction (`Store.flushSearchIndex`, deletes
/// by filter) or in its own transaction when the writer is idle.
///
/// A pass reads each pending message's row once (`PendingMessage`). Every join starts from
/// search_pending (CROSS JOIN pins it as the outer loop): left to
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
        let messages = try pendingMessages(upTo: last, in: database)
        try indexFullText(messages, upTo: last, in: database, texts: texts)
        try indexSubjects(messages, in: database)
        try indexAddresses(messages, upTo: last, in: database)
        try database.cached("DELETE FROM search_pending WHERE seq <= ?").run([.int(last)])
        let indexed = database.changes
        if indexed < limit { texts.removeAll() }
        return indexed
    }

    /// Indexes everything pending.
    static func indexAll(in database: Database, texts: PendingSearchTexts) throws {
        while try indexPending(in: database, texts: texts) == batchSize {}
    }

    /// What the indexes take from a pending message's row in `messages`, read once per pass.
    struct PendingMessage {
        let seq: Int64
        let id: String
        let subject: String?
        /// MAIL FROM and the header From (either may be empty or NULL: skipped).
        let senders: [String?]
    }

    private static func pendingMessages(upTo last: Int64, in database: Database) throws -> [PendingMessage] {
        let pending = try database.cached("""
            SELECT p.seq, m.id, m.subject, m.mail_from, m.from_address
            FROM search_pending p CROSS JOIN messages m ON m.seq = p.seq WHERE p.seq <= ? ORDER BY p.seq
            """)
        defer { pending.reset() }
        try pending.bind(last, at: 1)
        var messages: [PendingMessage] = []
        while try pending.step() {
            messages.append(PendingMessage(seq: pending.int64(0), id: pending.text(1) ?? "", subject: pending.text(2),
                                           senders: [pending.text(3), pending.text(4)]))
        }
        return messages
    }

    /// message_fts rows for the pending messages, from the kept texts or, for those not kept,
    /// derived from the raw bytes; then the terms they added (`last`: the newest's seq).
    private static func indexFullText(_ messages: [PendingMessage], upTo last: Int64, in database: Database,
                                      texts: PendingSearchTexts) throws {
        guard let recorder = database.termRecorder else {
            throw DatabaseError(code: SQLITE_MISUSE, message: "indexing on a connection without the term recorder")
        }
        let insert = try database.cached("INSERT INTO message_fts(rowid, text) VALUES (?, ?)")
        defer { insert.reset() }
        recorder.clear()
        try recorder.recording {
            for message in messages {
                let text = try texts.take(seq: message.seq, id: message.id) ?? derivedText(seq: message.seq, in: database)
                insert.reset()
                try insert.bind(message.seq, at: 1)
                try insert.bind(text, at: 2)
                try insert.step()
            }
        }
        try SearchTerms.record(recorder.take(), upTo: last, in: database)
    }

    /// subject_fts rows (external content: the subject stays in `messages`).
    private static func indexSubjects(_ messages: [PendingMessage], in database: Database) throws {
        let insert = try database.cached("INSERT INTO subject_fts(rowid, subject) VALUES (?, ?)")
        defer { insert.reset() }
        for message in messages {
            guard let subject = message.subject else { continue }
            insert.reset()
            try insert.bind(message.seq, at: 1)
            try insert.bind(subject, at: 2)
            try insert.step()
        }
    }

    private static func derivedText(seq: Int64, in database: Database) throws -> String {
        let raw = try database.cached("SELECT raw FROM message_raw WHERE seq = ?")
        defer { raw.reset() }
        try raw.bind(seq, at: 1)
        return try raw.step() ? SearchText.of(raw: raw.blob(0)) : ""
    }
}
