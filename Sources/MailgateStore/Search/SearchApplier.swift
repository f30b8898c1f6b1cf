import CSQLite

/// Applies the store's search changes to the search file, one pass (one transaction on each
/// side) per call, in queue order: an addition followed by the removal of the same message
/// leaves nothing, a removal followed by an addition at the same seq (a reused seq) leaves the
/// new message. Used by one thread at a time (SearchIndex holds it under a lock).
final class SearchApplier {
    /// Changes per pass: one FTS5 segment for hundreds of messages instead of one per commit
    /// (passes of 128 or 32 measured slower: more segments to merge, docs/PERFORMANCE.md).
    static let batchSize = 512

    let store: StoreChanges
    let search: Database
    let recorder: FTSTermRecorder
    /// The last queue row applied (state.applied).
    private(set) var applied: Int64 = 0
    /// While rebuilding from the messages: the seq reached (state.rebuild_after).
    private(set) var rebuildAfter: Int64?

    init(store: StoreChanges, searchPath: String, busyTimeoutMilliseconds: Int) throws {
        self.store = store
        var recorder: FTSTermRecorder?
        // Before anything opens message_fts on the connection (FTS5 binds its tokenizer then).
        search = try SearchFile.openWriter(path: searchPath, busyTimeoutMilliseconds: busyTimeoutMilliseconds) {
            recorder = try FTSTermRecorder.install(on: $0)
        }
        guard let recorder else { throw StoreError.io("search file: no term recorder") }
        self.recorder = recorder
        try readState()
        // A file that does not follow this store (new, or from another state of it: a restored
        // backup) is filled again from the messages.
        if rebuildAfter == nil, try !store.holdsEverything(after: applied) { try startRebuild() }
    }

    private func readState() throws {
        let state = try search.prepare("SELECT applied, rebuild_after FROM state WHERE id = 1")
        guard try state.step() else { throw StoreError.io("search file: no state row") }
        applied = state.int64(0)
        rebuildAfter = state.isNull(1) ? nil : state.int64(1)
    }

    /// Empties the index and starts filling it from every stored message; the queue rows up
    /// to the store's last are covered by that (SearchIndex runs rebuild passes first).
    func startRebuild() throws {
        let last = try store.lastQueued()
        try writeTransaction {
            try search.execute("""
                INSERT INTO message_fts(message_fts) VALUES ('delete-all');
                INSERT INTO subject_fts(subject_fts) VALUES ('delete-all');
                DELETE FROM indexed; DELETE FROM address_index; DELETE FROM search_terms;
                """)
            try search.prepare("UPDATE state SET applied = ?, rebuild_after = ? WHERE id = 1")
                .run([.int(last), .int(Int64.min)])
        }
        applied = last
        rebuildAfter = Int64.min
    }

    /// How much is waiting: everything while a rebuild is on, else the queue rows not applied.
    func backlog() throws -> Int64 { rebuildAfter != nil ? Int64.max : max(0, try store.lastQueued() - applied) }

    /// One pass: the next rebuild batch while rebuilding, else up to `limit` queue rows.
    /// Returns how many it applied (0: nothing was waiting).
    ///
    /// A search file SQLite or FTS5 finds corrupt (a removal whose entries are not what the
    /// index holds can say so too) would fail every pass from then on: it is emptied and
    /// rebuilt from the messages instead, and this pass reports the error.
    @discardableResult
    func pass(limit: Int = batchSize) throws -> Int {
        do {
            return try applyPass(limit: limit)
        } catch let error as DatabaseError where error.primaryCode == SQLITE_CORRUPT {
            try startRebuild()
            throw error
        }
    }

    private func applyPass(limit: Int) throws -> Int {
        if let after = rebuildAfter {
            let documents = try store.documents(after: after, limit: limit)
            let next: Int64? = documents.count < limit ? nil : documents.last?.seq
            try writeTransaction {
                try apply(documents.map { SearchChange(id: 0, kind: .add($0)) })
                try search.prepare("UPDATE state SET rebuild_after = ? WHERE id = 1").run([next.map { .int($0) } ?? .null])
            }
            rebuildAfter = next
            if next == nil { store.texts.removeAll() }
            return max(documents.count, 1)
        }
        let changes = try store.changes(after: applied, limit: limit)
        guard let last = changes.last?.id else { return 0 }
        try writeTransaction {
            try apply(changes)
            try search.cached("UPDATE state SET applied = ? WHERE id = 1").run([.int(last)])
        }
        applied = last
        return changes.count
    }

    /// Deletes up to `limit` search terms whose newest message is older than `cutoff`'s day
    /// (SearchTerms.prune), in a transaction of its own; returns how many.
    func pruneTerms(olderThan cutoff: Int64, limit: Int) throws -> Int {
        var count = 0
        try writeTransaction { count = try SearchTerms.prune(in: search, olderThan: cutoff, limit: limit) }
        return count
    }

    /// Runs `body` on the search file in a write transaction of its own.
    func writeTransaction(_ body: () throws -> Void) throws {
        try search.cached("BEGIN IMMEDIATE").step()
        do {
            try body()
            try search.cached("COMMIT").step()
        } catch {
            if search.isInTransaction { _ = try? search.cached("ROLLBACK").step() }
            recorder.clear()
            throw error
        }
    }

    private func apply(_ changes: [SearchChange]) throws {
        // Address rows wait for the end of the pass, sorted: each key's last leaf is then
        // walked once per pass instead of once per message.
        var addresses: [AddressRow] = []
        var newest: Int64?
        recorder.clear()
        for change in changes {
            switch change.kind {
            case .add(let document?):
                guard try claim(document) else { continue }
                try recorder.recording { try insertText(of: document) }
                addresses += document.addressRows
                newest = max(newest ?? document.seq, document.seq)
            case .add(nil):
                continue
            case .remove(let document):
                guard try release(document) else { continue }
                addresses.removeAll { $0.seq == document.seq }
                try removeEntries(of: document)
            }
        }
        try insertAddresses(addresses.sorted())
        if let newest { try SearchTerms.record(recorder.take(), upTo: newest, in: search) }
    }

    /// Records that `document.seq` is indexed for its id; false when something already is
    /// (the same message: a rebuild saw it before its queue row).
    private func claim(_ document: SearchDocument) throws -> Bool {
        let current = try search.cached("SELECT 1 FROM indexed WHERE seq = ?")
        defer { current.reset() }
        try current.bind(document.seq, at: 1)
        if try current.step() { return false }
        current.reset()
        try search.cached("INSERT INTO indexed(seq, id) VALUES (?, ?)").run([.int(document.seq), .text(document.id)])
        return true
    }

    /// Drops `document` from `indexed`; false when it was not indexed (for that id), so its
    /// entries must not be removed: FTS5 cannot remove tokens it does not hold.
    private func release(_ document: SearchDocument) throws -> Bool {
        try search.cached("DELETE FROM indexed WHERE seq = ? AND id = ?").run([.int(document.seq), .text(document.id)])
        return search.changes > 0
    }

    private func insertText(of document: SearchDocument) throws {
        try search.cached("INSERT INTO message_fts(rowid, text) VALUES (?, ?)").run([.int(document.seq), .text(document.text)])
        if let subject = document.subject {
            try search.cached("INSERT INTO subject_fts(rowid, subject) VALUES (?, ?)").run([.int(document.seq), .text(subject)])
        }
    }

    /// A contentless FTS5 table removes a row given the values it was indexed with.
    private func removeEntries(of document: SearchDocument) throws {
        try search.cached("INSERT INTO message_fts(message_fts, rowid, text) VALUES ('delete', ?, ?)")
            .run([.int(document.seq), .text(document.text)])
        if let subject = document.subject {
            try search.cached("INSERT INTO subject_fts(subject_fts, rowid, subject) VALUES ('delete', ?, ?)")
                .run([.int(document.seq), .text(subject)])
        }
        let delete = try search.cached("DELETE FROM address_index WHERE field = ? AND key = ? AND seq = ?")
        defer { delete.reset() }
        for row in document.addressRows {
            delete.reset()
            try delete.bind([.int(row.field), .text(row.key), .int(row.seq)])
            try delete.step()
        }
    }

    /// A message's MAIL FROM and From are often the same address, and its envelope and header
    /// recipients overlap: repeats (adjacent once sorted) are written once.
    private func insertAddresses(_ rows: [AddressRow]) throws {
        let insert = try search.cached("INSERT OR IGNORE INTO address_index(field, key, seq) VALUES (?, ?, ?)")
        defer { insert.reset() }
        for (i, row) in rows.enumerated() {
            if i > 0, rows[i - 1] == row { continue }
            insert.reset()
            try insert.bind([.int(row.field), .text(row.key), .int(row.seq)])
            try insert.step()
        }
    }
}
