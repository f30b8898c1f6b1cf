extension SearchIndexer {
    /// The address_index fields.
    enum Field: Int64 { case to = 1, from = 2 }

    /// Fills address_index for the pending `messages` (the newest is `last`): their recipients (envelope and
    /// header To/Cc, as stored in `recipients`) under `to`, MAIL FROM and the header From under
    /// `from`, each as the address and as its "@domain".
    ///
    /// Why here and not in the acknowledging commit: every key lands in the middle of the
    /// index (after the earlier messages to the same address), and one message's four or more
    /// mid-tree inserts cost a third of its whole write. Sorted and batched, the inserts of a
    /// pass walk each key's last leaf once.
    static func indexAddresses(_ messages: [PendingMessage], upTo last: Int64, in database: Database) throws {
        var entries: [(field: Int64, key: String, seq: Int64)] = []
        let recipients = try database.cached("""
            SELECT r.seq, r.address FROM search_pending p CROSS JOIN recipients r ON r.seq = p.seq WHERE p.seq <= ?
            """)
        defer { recipients.reset() }
        try recipients.bind(last, at: 1)
        while try recipients.step() {
            let seq = recipients.int64(0)
            guard let address = recipients.text(1) else { continue }
            for key in AddressKey.keys(forStored: address) { entries.append((Field.to.rawValue, key, seq)) }
        }
        for message in messages {
            for case let sender? in message.senders where !sender.isEmpty {
                for key in AddressKey.keys(forStored: sender) { entries.append((Field.from.rawValue, key, message.seq)) }
            }
        }
        entries.sort { ($0.field, $0.key, $0.seq) < ($1.field, $1.key, $1.seq) }
        // A message's MAIL FROM and From are often the same address: a repeat (adjacent once
        // sorted) is written once.
        let insert = try database.cached("INSERT OR IGNORE INTO address_index(field, key, seq) VALUES (?, ?, ?)")
        for (i, entry) in entries.enumerated() {
            if i > 0, entries[i - 1] == entry { continue }
            insert.reset()
            try insert.bind(entry.field, at: 1)
            try insert.bind(entry.key, at: 2)
            try insert.bind(entry.seq, at: 3)
            try insert.step()
        }
        insert.reset()
    }
}
