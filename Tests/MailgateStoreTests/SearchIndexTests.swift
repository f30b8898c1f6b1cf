import MailgateCore
import Testing
@testable import MailgateStore

/// The deferred search index (StoreSchema.deferredSearchV2, contentlessSearchV3): messages are
/// searchable after a flush, deleting a message before or after it was indexed leaves the index
/// consistent (no term left behind, which would show a delete text that differs from the
/// indexed one), a restart indexes what a crash left pending, and a version-2 file carries its
/// entries over.
@Suite struct SearchIndexTests {
    let dir = TemporaryDirectory()

    /// FTS5's own consistency check of both search tables (throws on corruption).
    func checkIntegrity(_ store: Store) throws {
        try store.writeAndWait { db in
            try db.execute("INSERT INTO message_fts(message_fts) VALUES('integrity-check')")
            try db.execute("INSERT INTO subject_fts(subject_fts) VALUES('integrity-check')")
        }.get()
    }

    /// Terms left in message_fts (fts5vocab over the index itself: a contentless table cannot be
    /// compared with its text, but after every message is deleted no term may remain).
    func termsLeft(_ store: Store) throws -> Int {
        try store.writeAndWait { db in
            try db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, message_fts, 'row')")
            return Int(try db.scalarInt("SELECT count(*) FROM temp.fts_terms") ?? -1)
        }.get()
    }

    /// A message whose search text came with it (as from MessageRendering at ingest), so the
    /// indexer takes it from the writer's memory instead of deriving it.
    func messageWithText(id: String, subject: String, text: String) -> NewMessage {
        var message = Fixture.message(id: id, headerTo: ["Róisín <roisin@example.ie>"], subject: subject, text: text)
        message.searchText = SearchText.of(raw: message.raw)
        return message
    }

    @Test func deletingEveryIndexedMessageLeavesNoTerm() throws {
        let path = dir.file("m.db")
        let kept = (0..<20).map { messageWithText(id: "k\($0)", subject: "Überweisung \($0)", text: "naïve café text \($0)") }
        do {
            let store = try Store(options: StoreOptions(path: path))
            #expect(store.appendAll(kept).allSatisfy { $0.isSuccess })
            store.flushSearchIndexAndWait()
            #expect(store.searchTexts.count == 0)
            store.close()
        }
        // After a restart the texts are no longer in memory: these are derived at index time.
        let store = try Store(options: StoreOptions(path: path))
        defer { store.close() }
        let derived = (0..<20).map {
            Fixture.message(id: "d\($0)", headerTo: ["Róisín <roisin@example.ie>"], subject: "Rechnung \($0)", text: "crème brûlée \($0)")
        }
        #expect(store.appendAll(derived).allSatisfy { $0.isSuccess })
        store.flushSearchIndexAndWait()
        let reader = try store.openReader()
        #expect(try reader.list(MessageQuery(q: "cafe", limit: 100)).items.count == 20)
        #expect(try reader.list(MessageQuery(q: "roisin", limit: 100)).items.count == 40)
        #expect(try reader.list(MessageQuery(q: "creme brulee", limit: 100)).items.count == 20)
        #expect(try termsLeft(store) > 0)
        let all = Completions<Int>()
        store.deleteMessages(matching: MessageQuery(), completion: all.callback)
        #expect(all.wait(for: 1) == [.success(40)])
        #expect(try termsLeft(store) == 0)
        #expect(store.rows("message_fts_docsize") == 0)
        try checkIntegrity(store)
    }

    @Test func aVersion2FileKeepsItsEntriesAndIndexesWhatWasPending() throws {
        let path = dir.file("m.db")
        let indexed = Fixture.message(id: "old", subject: "indexed before", text: "apricot")
        let pending = Fixture.message(id: "new", subject: "pending before", text: "blueberry")
        do {
            // The file as version 2 left it: one message indexed (its text in message_fts), one
            // pending with its text in search_pending.
            let db = try Database(path: path)
            try db.execute("PRAGMA journal_mode = WAL")
            try Migrator(database: db).migrate(Array(StoreSchema.migrations.prefix(2)))
            for (seq, m) in [(Int64(1), indexed), (2, pending)] {
                try db.cached("""
                    INSERT INTO messages(seq, id, received_at, size, mail_from, helo, remote_addr, remote_port,
                        transport, smtputf8, subject, attachment_count, summary_json)
                    VALUES (?, ?, 0, ?, 'a@x.test', 'h', '192.0.2.1', 1, 'SMTP', 0, ?, 0, X'7B7D')
                    """).run([.int(seq), .text(m.id), .int(Int64(m.raw.count)), .text(m.subject ?? "")])
                try db.cached("INSERT INTO message_raw(seq, raw) VALUES (?, ?)").run([.int(seq), .blob(m.raw)])
                try db.cached("INSERT INTO message_data(seq, message_json) VALUES (?, X'7B7D')").run([.int(seq)])
            }
            try db.execute("INSERT INTO message_fts(rowid, text) VALUES (1, '\(SearchText.of(raw: indexed.raw))')")
            try db.execute("INSERT INTO subject_fts(rowid, subject) VALUES (1, 'indexed before')")
            try db.execute("INSERT INTO search_pending(seq, text) VALUES (2, '\(SearchText.of(raw: pending.raw))')")
        }
        let store = try Store(options: StoreOptions(path: path))
        defer { store.close() }
        store.flushSearchIndexAndWait()
        let reader = try store.openReader()
        #expect(try reader.list(MessageQuery(q: "apricot")).items.count == 1)
        #expect(try reader.list(MessageQuery(q: "blueberry")).items.count == 1)
        #expect(try reader.list(MessageQuery(subject: "before")).items.count == 2)
        for id in ["old", "new"] {
            let deleted = Completions<Bool>()
            store.deleteMessage(id: id, completion: deleted.callback)
            #expect(deleted.wait(for: 1).first == .success(true))
        }
        #expect(try termsLeft(store) == 0)
        try checkIntegrity(store)
    }

    /// Every indexer statement that joins search_pending with another table must loop over
    /// the pending rows first: otherwise each pass scans every stored message below its bound.
    @Test func everyIndexerJoinStartsFromThePendingRows() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        #expect(store.appendAll((0..<3).map { Fixture.message(id: "j\($0)", headerTo: ["t@x.test"]) }).allSatisfy { $0.isSuccess })
        store.flushSearchIndexAndWait()
        let firstLoops = try store.writeAndWait { db -> [String: String] in
            var firstLoops: [String: String] = [:]
            for sql in db.cachedStatementSQL where sql.contains("search_pending p") && sql.contains("JOIN") {
                let plan = try db.prepare("EXPLAIN QUERY PLAN " + sql)
                if try plan.step() { firstLoops[sql] = plan.text(3) ?? "" }
            }
            return firstLoops
        }.get()
        #expect(firstLoops.count == 2)   // the pending messages, their recipients
        for (sql, loop) in firstLoops {
            #expect(loop.hasPrefix("SEARCH p ") || loop.hasPrefix("SCAN p"), "\(loop) <- \(sql)")
        }
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
