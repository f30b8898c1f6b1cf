/// The SQL for one `MessageQuery`: one index drives the scan in descending seq order (so the
/// first page stops after `limit` rows), the other filters are checked per candidate row.
///
/// The driver is the first present of: `q` (message_fts), `to`, `from` (address_index),
/// `subject` (subject_fts trigrams), else the messages table itself. All of them are ordered by
/// seq, and the cursor, `since` and `until` become a seq range on the driver. CROSS JOIN pins
/// the driver as the outer loop.
struct MessageQueryPlan {
    /// What each row returns.
    enum Selection: String {
        case summaries = "m.seq, m.summary_json"
        case ids = "m.seq, m.id"
        case seqs = "m.seq"
    }

    private(set) var sql: String
    private(set) var bindings: [DatabaseValue] = []

    /// `database` is the connection the plan will run on: a prefix term of `q` is expanded
    /// there into the index terms it stands for (PrefixTerms); without it FTS5 expands it.
    init(_ query: MessageQuery, select selection: Selection, limit: Int, database: Database? = nil) throws(StoreError) {
        var lower: Int64 = 0
        var upper = Int64.max
        if let cursor = query.cursor { upper = try MessageCursor.decode(cursor) - 1 }
        if let until = query.until { upper = min(upper, MessageSequence.last(ofMillisecond: until)) }
        if let since = query.since { lower = MessageSequence.first(ofMillisecond: since) }

        let fullText = Self.nonEmpty(query.q).flatMap { q in
            FTSQuery.fullText(q) { prefix in database.flatMap { PrefixTerms.expand(prefix, in: $0) } }
        }
        let toKey = Self.nonEmpty(query.to).flatMap(AddressKey.key(forFilter:))
        let fromKey = Self.nonEmpty(query.from).flatMap(AddressKey.key(forFilter:))
        let subject = Self.nonEmpty(query.subject)
        let subjectPhrase = subject.flatMap(FTSQuery.trigramPhrase)

        var filters: [String] = []
        var filterBindings: [DatabaseValue] = []
        let driverKey: String
        if let fullText {
            sql = "SELECT \(selection.rawValue) FROM message_fts d CROSS JOIN messages m ON m.seq = d.rowid"
                + " WHERE message_fts MATCH ? AND d.rowid BETWEEN ? AND ?"
            bindings = [.text(fullText)]
            driverKey = "d.rowid"
        } else if toKey != nil || fromKey != nil {
            let (field, key): (Int64, String) = toKey.map { (AddressRow.to, $0) } ?? (AddressRow.from, fromKey ?? "")
            sql = "SELECT \(selection.rawValue) FROM address_index d CROSS JOIN messages m ON m.seq = d.seq"
                + " WHERE d.field = \(field) AND d.key = ? AND d.seq BETWEEN ? AND ?"
            bindings = [.text(key)]
            driverKey = "d.seq"
        } else if let subjectPhrase {
            sql = "SELECT \(selection.rawValue) FROM subject_fts d CROSS JOIN messages m ON m.seq = d.rowid"
                + " WHERE subject_fts MATCH ? AND d.rowid BETWEEN ? AND ?"
            bindings = [.text(subjectPhrase)]
            driverKey = "d.rowid"
        } else {
            sql = "SELECT \(selection.rawValue) FROM messages m WHERE m.seq BETWEEN ? AND ?"
            driverKey = "m.seq"
        }
        bindings += [.int(lower), .int(upper)]

        // Address filters that do not drive: a primary-key probe per candidate.
        let addressCanDrive = fullText == nil
        if let toKey, !addressCanDrive {
            filters.append("EXISTS (SELECT 1 FROM address_index a WHERE a.field = 1 AND a.key = ? AND a.seq = m.seq)")
            filterBindings.append(.text(toKey))
        }
        if let fromKey, !addressCanDrive || toKey != nil {
            filters.append("EXISTS (SELECT 1 FROM address_index a WHERE a.field = 2 AND a.key = ? AND a.seq = m.seq)")
            filterBindings.append(.text(fromKey))
        }
        let subjectDrives = fullText == nil && toKey == nil && fromKey == nil && subjectPhrase != nil
        if let subject, !subjectDrives {
            // Per candidate row, LIKE on the row in hand is far cheaper than a trigram probe, and
            // folds case the same way for ASCII; other scripts need the trigram index's folding.
            if let subjectPhrase, !subject.utf8.allSatisfy({ $0 < 0x80 }) {
                filters.append("EXISTS (SELECT 1 FROM subject_fts s WHERE subject_fts MATCH ? AND s.rowid = m.seq)")
                filterBindings.append(.text(subjectPhrase))
            } else {
                filters.append("m.subject LIKE ? ESCAPE '\\'")
                filterBindings.append(.text(FTSQuery.likePattern(subject)))
            }
        }
        for filter in filters { sql += " AND " + filter }
        bindings += filterBindings
        sql += " ORDER BY \(driverKey) DESC LIMIT ?"
        bindings.append(.int(Int64(limit)))
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }

    /// Runs the plan on `database` (statements cached per SQL shape), calling `row` per row.
    func run(on database: Database, _ row: (Statement) throws -> Void) throws {
        let statement = try database.cached(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        while try statement.step() { try row(statement) }
    }
}
