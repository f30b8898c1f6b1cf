import Synchronization

/// The search applier's read-only connection to the store: it reads a pass's changes (the
/// queue rows, the messages they add) in one short read transaction, so the store's WAL is
/// never held back by a pass that writes the search file for longer.
struct StoreChanges {
    let database: Database
    let texts: PendingSearchTexts

    init(storePath: String, texts: PendingSearchTexts, busyTimeoutMilliseconds: Int) throws {
        database = try Database(path: storePath, mode: .readOnly)
        try database.execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
        self.texts = texts
    }

    /// The highest search_queue id the store ever gave (AUTOINCREMENT's record; 0 for none).
    func lastQueued() throws -> Int64 {
        try database.scalarInt("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'search_queue'") ?? 0
    }

    /// Whether the queue holds every row after `applied` that the store ever queued: false for
    /// a search file from a later state of the store (a restored backup) or an earlier one.
    func holdsEverything(after applied: Int64) throws -> Bool {
        try readTransaction {
            let last = try lastQueued()
            let count = try database.scalarInt("SELECT count(*) FROM search_queue WHERE id > ?", [.int(applied)]) ?? -1
            return applied <= last && count == last - applied
        }
    }

    /// Up to `limit` queue rows after `applied`, oldest first, with the documents they add.
    func changes(after applied: Int64, limit: Int) throws -> [SearchChange] {
        try readTransaction {
            let rows = try database.cached("""
                SELECT id, kind, seq, message_id, text, subject, senders, recipients
                FROM search_queue WHERE id > ? ORDER BY id LIMIT ?
                """)
            defer { rows.reset() }
            try rows.bind([.int(applied), .int(Int64(limit))])
            var changes: [SearchChange] = []
            while try rows.step() {
                let id = rows.int64(0), seq = rows.int64(2), messageID = rows.text(3) ?? ""
                if rows.int64(1) == 2 {
                    let removed = SearchDocument(seq: seq, id: messageID, text: rows.text(4) ?? "", subject: rows.text(5),
                                                 senders: Self.lines(rows.text(6)), recipients: Self.lines(rows.text(7)))
                    changes.append(SearchChange(id: id, kind: .remove(removed)))
                } else {
                    changes.append(SearchChange(id: id, kind: .add(try document(seq: seq, id: messageID))))
                }
            }
            return changes
        }
    }

    /// Up to `limit` stored messages after seq `after`, in seq order (a rebuild's pass).
    func documents(after seq: Int64, limit: Int) throws -> [SearchDocument] {
        try readTransaction {
            let rows = try database.cached("SELECT seq, id FROM messages WHERE seq > ? ORDER BY seq LIMIT ?")
            try rows.bind([.int(seq), .int(Int64(limit))])
            var found: [(Int64, String)] = []
            while try rows.step() { found.append((rows.int64(0), rows.text(1) ?? "")) }
            rows.reset()
            return try found.compactMap { try document(seq: $0.0, id: $0.1) }
        }
    }

    /// The document of message `id` at `seq` as the store holds it; nil when it holds none
    /// (or another message) there.
    private func document(seq: Int64, id: String) throws -> SearchDocument? {
        let row = try database.cached("SELECT id, subject, mail_from, from_address FROM messages WHERE seq = ?")
        defer { row.reset() }
        try row.bind(seq, at: 1)
        guard try row.step(), row.text(0) == id else { return nil }
        let recipients = try database.cached("SELECT address FROM recipients WHERE seq = ?")
        defer { recipients.reset() }
        try recipients.bind(seq, at: 1)
        var addresses: [String] = []
        while try recipients.step() { if let address = recipients.text(0) { addresses.append(address) } }
        let text = try texts.take(seq: seq, id: id) ?? derivedText(seq: seq)
        return SearchDocument(seq: seq, id: id, text: text, subject: row.text(1),
                              senders: [row.text(2) ?? "", row.text(3) ?? ""], recipients: addresses)
    }

    private func derivedText(seq: Int64) throws -> String {
        let raw = try database.cached("SELECT raw FROM message_raw WHERE seq = ?")
        defer { raw.reset() }
        try raw.bind(seq, at: 1)
        return try raw.step() ? SearchText.of(raw: raw.blob(0)) : ""
    }

    private func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try database.cached("BEGIN").step()
        defer { _ = try? database.cached("COMMIT").step() }
        return try body()
    }

    private static func lines(_ text: String?) -> [String] {
        (text ?? "").split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}
