import MailgateCore
import Testing
@testable import MailgateStore

/// The deferred search index (StoreSchema.deferredSearchV2): messages are searchable after a
/// flush, deleting a message before or after it was indexed leaves both FTS tables consistent,
/// and a restart indexes what a crash left pending.
@Suite struct SearchIndexTests {
    let dir = TemporaryDirectory()

    /// FTS5's own consistency check of both search tables (throws on corruption).
    func checkIntegrity(_ store: Store) throws {
        try store.writeAndWait { db in
            try db.execute("INSERT INTO message_fts(message_fts) VALUES('integrity-check')")
            try db.execute("INSERT INTO subject_fts(subject_fts) VALUES('integrity-check')")
        }.get()
    }

    @Test func aFlushMakesEveryAcknowledgedMessageSearchable() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let messages = (0..<50).map { i in Fixture.message(id: "s\(i)", subject: "invoice \(i)", text: "kiwi \(i)") }
        #expect(store.appendAll(messages).allSatisfy { $0.isSuccess })
        #expect(store.searchRows == 50)
        store.flushSearchIndexAndWait()
        #expect(store.rows("search_pending") == 0)
        let reader = try store.openReader()
        #expect(try reader.list(MessageQuery(q: "kiwi", limit: 500)).items.count == 50)
        #expect(try reader.list(MessageQuery(subject: "invoice", limit: 500)).items.count == 50)
        try checkIntegrity(store)
    }

    @Test func deletingBeforeAndAfterIndexingKeepsTheIndexConsistent() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        // Indexed first, then deleted.
        #expect(store.appendAndWait(Fixture.message(id: "old", subject: "indexed subject")).isSuccess)
        store.flushSearchIndexAndWait()
        // Deleted in the same job that stored it, so certainly before any indexing pass.
        let early = Fixture.message(id: "new", subject: "pending subject")
        let deletedPending = try store.writeAndWait { db -> Int in
            try MessageInserter(database: db).insert(early)
            try db.execute("DELETE FROM messages WHERE id = 'new'")
            return Int(try db.scalarInt("SELECT count(*) FROM search_pending") ?? -1)
        }.get()
        #expect(deletedPending == 0)
        let deleted = Completions<Bool>()
        store.deleteMessage(id: "old", completion: deleted.callback)
        #expect(deleted.wait(for: 1).first == .success(true))
        #expect(store.searchRows == 0)
        try checkIntegrity(store)
    }

    @Test func aRestartIndexesWhatWasLeftPending() throws {
        let path = dir.file("m.db")
        do {
            let store = try Store(options: StoreOptions(path: path))
            // Leave rows pending as a crash would: write them without the indexer's pass.
            _ = try store.writeAndWait { db in
                for i in 0..<5 { try MessageInserter(database: db).insert(Fixture.message(id: "p\(i)", subject: "left over")) }
            }.get()
            store.close()
        }
        let store = try Store(options: StoreOptions(path: path))
        defer { store.close() }
        // The writer indexes its start-up backlog once idle; a flush makes the check deterministic.
        store.flushSearchIndexAndWait()
        #expect(store.rows("search_pending") == 0)
        #expect(try store.openReader().list(MessageQuery(subject: "left over")).items.count == 5)
        try checkIntegrity(store)
    }
}
