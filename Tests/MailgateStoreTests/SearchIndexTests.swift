import Glibc
import MailgateCore
import Testing
@testable import MailgateStore

/// The search index in its own file (SearchSchema, SearchIndex): messages are searchable after
/// a flush, deleting a message before or after it was indexed leaves the index consistent (no
/// term left behind, which would show a removal text that differs from the indexed one), a
/// restart applies what the queue still holds, and a search file that is missing or does not
/// follow the store (a restored backup) is rebuilt from the messages.
@Suite struct SearchIndexTests {
    let dir = TemporaryDirectory()

    /// FTS5's own consistency check of both search tables (throws on corruption).
    func checkIntegrity(_ store: Store) throws {
        let ok = store.onSearchFile { db in
            try db.execute("INSERT INTO message_fts(message_fts) VALUES('integrity-check')")
            try db.execute("INSERT INTO subject_fts(subject_fts) VALUES('integrity-check')")
            return try db.scalarText("PRAGMA integrity_check")
        }
        #expect(ok == "ok")
    }

    /// Terms left in message_fts (fts5vocab over the index itself: a contentless table cannot be
    /// compared with its text, but after every message is deleted no term may remain).
    func termsLeft(_ store: Store) throws -> Int {
        store.onSearchFile { db in
            try db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, message_fts, 'row')")
            return Int(try db.scalarInt("SELECT count(*) FROM temp.fts_terms") ?? -1)
        } ?? -1
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
        #expect(store.indexRows("message_fts_docsize") == 0)
        try checkIntegrity(store)
    }

    /// An older file's messages, indexed or pending there, are all in the search file built at
    /// the first start after the upgrade.
    @Test func aVersion2FileIsIndexedInTheSearchFile() throws {
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

    @Test func aFlushMakesEveryAcknowledgedMessageSearchable() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let messages = (0..<50).map { i in Fixture.message(id: "s\(i)", subject: "invoice \(i)", text: "kiwi \(i)") }
        #expect(store.appendAll(messages).allSatisfy { $0.isSuccess })
        store.flushSearchIndexAndWait()
        #expect(store.searchIndex.backlog == 0)
        #expect(store.searchRows == 50)
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
        let queued = try store.writeAndWait { db -> [Int64] in
            try MessageInserter(database: db).insert(early)
            try db.execute("DELETE FROM messages WHERE id = 'new'")
            let kinds = try db.prepare("SELECT kind FROM search_queue WHERE message_id = 'new' ORDER BY id")
            var found: [Int64] = []
            while try kinds.step() { found.append(kinds.int64(0)) }
            return found
        }.get()
        #expect(queued == [1, 2])   // added, then removed: applied in that order
        let deleted = Completions<Bool>()
        store.deleteMessage(id: "old", completion: deleted.callback)
        #expect(deleted.wait(for: 1).first == .success(true))
        #expect(store.searchRows == 0)
        try checkIntegrity(store)
    }

    /// Changes the background thread had not applied when the store closed (or crashed) are
    /// still queued in the store, and the next start applies them: removals included, whose
    /// text the store no longer has.
    @Test func aRestartAppliesWhatTheQueueStillHolds() throws {
        let path = dir.file("m.db")
        let messages = (0..<6).map { Fixture.message(id: "p\($0)", subject: "left over", text: "quince \($0)") }
        do {
            let store = try Store(options: StoreOptions(path: path))
            #expect(store.appendAll(messages).allSatisfy { $0.isSuccess })
            store.flushSearchIndexAndWait()
            // Queued now and closed at once: the background thread waits for more first.
            #expect(store.appendAndWait(Fixture.message(id: "late", subject: "left over", text: "quince late")).isSuccess)
            for id in ["p0", "p1"] {
                let deleted = Completions<Bool>()
                store.deleteMessage(id: id, completion: deleted.callback)
                #expect(deleted.wait(for: 1).first == .success(true))
            }
            store.close()
        }
        let store = try Store(options: StoreOptions(path: path))
        defer { store.close() }
        store.flushSearchIndexAndWait()
        let reader = try store.openReader()
        #expect(try reader.list(MessageQuery(subject: "left over")).items.count == 5)
        #expect(try reader.list(MessageQuery(q: "quince")).items.count == 5)
        #expect(store.searchRows == 5)
        try checkIntegrity(store)
    }

    /// The indexes a version-5 file has are copied into the search file before migration 6
    /// drops them (SearchCarryOver), not built again: an entry whose text the raw bytes would
    /// not give ("zucchini") is found, with its subject, address keys and prefix terms, and
    /// FTS5 finds the copied tables consistent. What was pending there is queued and indexed.
    @Test func theIndexesOfAnOlderFileAreCarriedOver() throws {
        let path = dir.file("m.db")
        let carried = Fixture.message(id: "carried", rcptTo: ["c@carry.test"], subject: "Carried subject", text: "apricot")
        let pending = Fixture.message(id: "pending", subject: "pending subject", text: "blueberry")
        do {
            let db = try Database(path: path)
            try db.execute("PRAGMA journal_mode = WAL")
            try SearchText.register(on: db)
            try Migrator(database: db).migrate(Array(StoreSchema.migrations.prefix(5)))
            for (seq, m) in [(Int64(1), carried), (2, pending)] {
                try db.cached("""
                    INSERT INTO messages(seq, id, received_at, size, mail_from, helo, remote_addr, remote_port,
                        transport, smtputf8, subject, attachment_count, summary_json)
                    VALUES (?, ?, 0, ?, 'a@x.test', 'h', '192.0.2.1', 1, 'SMTP', 0, ?, 0, ?)
                    """).run([.int(seq), .text(m.id), .int(Int64(m.raw.count)), .text(m.subject ?? ""), .blob(m.summaryJSON)])
                try db.cached("INSERT INTO message_raw(seq, raw) VALUES (?, ?)").run([.int(seq), .blob(m.raw)])
                try db.cached("INSERT INTO message_data(seq, message_json) VALUES (?, X'7B7D')").run([.int(seq)])
                try db.cached("INSERT INTO recipients VALUES (?, 0, ?, 1, 0)").run([.int(seq), .text(m.envelope.rcptTo[0])])
            }
            try db.execute("""
                INSERT INTO message_fts(rowid, text) VALUES (1, 'zucchini');
                INSERT INTO subject_fts(rowid, subject) VALUES (1, 'Carried subject');
                INSERT INTO address_index VALUES (1, 'c@carry.test', 1), (1, '@carry.test', 1);
                INSERT INTO search_terms VALUES ('zucchini', 0);
                INSERT INTO search_pending(seq) VALUES (2);
                """)
        }
        let store = try Store(options: StoreOptions(path: path))
        defer { store.close() }
        store.flushSearchIndexAndWait()
        let reader = try store.openReader()
        func ids(_ query: MessageQuery) throws -> [String] { try reader.list(query).items.map(Fixture.id(ofSummary:)) }
        #expect(try ids(MessageQuery(q: "zucchini")) == ["carried"])
        #expect(try ids(MessageQuery(q: "zucc*")) == ["carried"])
        #expect(try ids(MessageQuery(q: "apricot")) == [])
        #expect(try ids(MessageQuery(subject: "carried")) == ["carried"])
        #expect(try ids(MessageQuery(to: "*@carry.test")) == ["carried"])
        #expect(try ids(MessageQuery(q: "blueberry")) == ["pending"])
        #expect(try store.onIndexedStore { db in try db.scalarInt("SELECT count(*) FROM search.search_terms WHERE term = 'zucchini'") } == 1)
        #expect(store.searchRows == 2)
        try checkIntegrity(store)
    }

    /// A search file FTS5 finds corrupt (here its full-text entries emptied behind its back,
    /// so removing a message's entries fails with SQLITE_CORRUPT_VTAB) is emptied and rebuilt
    /// instead of failing every pass from then on.
    @Test func aCorruptIndexIsRebuilt() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        #expect(store.appendAll((0..<4).map { Fixture.message(id: "c\($0)", text: "cherry \($0)") }).allSatisfy { $0.isSuccess })
        store.flushSearchIndexAndWait()
        #expect(store.onSearchFile { db in try db.execute("INSERT INTO message_fts(message_fts) VALUES ('delete-all')") } != nil)
        let deleted = Completions<Bool>()
        store.deleteMessage(id: "c0", completion: deleted.callback)
        #expect(deleted.wait(for: 1) == [.success(true)])
        let failed = Completions<Void>()
        store.flushSearchIndex(completion: failed.callback)
        #expect(failed.wait(for: 1).first?.failure != nil)
        store.flushSearchIndexAndWait()   // the rebuild
        let found = try store.openReader().list(MessageQuery(q: "cherry")).items.map(Fixture.id(ofSummary:))
        #expect(Set(found) == ["c1", "c2", "c3"])
        #expect(store.searchRows == 3)
        try checkIntegrity(store)
    }

    /// A search file that is missing, unreadable or of another layout is built again from the
    /// messages.
    @Test func aMissingOrDamagedSearchFileIsRebuilt() throws {
        let path = dir.file("m.db")
        do {
            let store = try Store(options: StoreOptions(path: path))
            #expect(store.appendAll((0..<3).map { Fixture.message(id: "r\($0)", text: "rhubarb \($0)") }).allSatisfy { $0.isSuccess })
            store.close()
        }
        for damage in ["delete", "garbage"] {
            SearchFile.removeFiles(SearchSchema.path(forStore: path))
            if damage == "garbage" {
                let file = fopen(SearchSchema.path(forStore: path), "w")
                fputs("not a database", file)
                fclose(file)
            }
            let store = try Store(options: StoreOptions(path: path))
            store.flushSearchIndexAndWait()
            #expect(try store.openReader().list(MessageQuery(q: "rhubarb")).items.count == 3, "\(damage)")
            try checkIntegrity(store)
            store.close()
        }
    }

    /// A backup restored under a search file that followed the store further (messages
    /// deleted and stored after the backup): the file is rebuilt, so the restored messages are
    /// found again and the later ones are not.
    @Test func aRestoredBackupGetsItsSearchFileRebuilt() throws {
        let path = dir.file("m.db"), copy = dir.file("backup.db")
        do {
            let store = try Store(options: StoreOptions(path: path))
            #expect(store.appendAll((0..<3).map { Fixture.message(id: "b\($0)", text: "bilberry \($0)") }).allSatisfy { $0.isSuccess })
            try store.backup(to: copy)
            let deleted = Completions<Bool>()
            store.deleteMessage(id: "b0", completion: deleted.callback)
            #expect(deleted.wait(for: 1).first == .success(true))
            #expect(store.appendAndWait(Fixture.message(id: "after", text: "bilberry later")).isSuccess)
            store.flushSearchIndexAndWait()
            store.close()
        }
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        #expect(rename(copy, path) == 0)
        let store = try Store(options: StoreOptions(path: path))
        defer { store.close() }
        store.flushSearchIndexAndWait()
        let found = try store.openReader().list(MessageQuery(q: "bilberry")).items.map(Fixture.id(ofSummary:))
        #expect(Set(found) == ["b0", "b1", "b2"])
        #expect(store.searchRows == 3)
        try checkIntegrity(store)
    }

    /// A backlog past `searchMaxBacklog` is applied at normal priority without waiting for a
    /// search or for idle CPU (here the background passes are off, as if starved), down to half.
    @Test func aLongBacklogIsAppliedWithoutWaitingForIdleCPU() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db"), searchMaxBacklog: 100, searchInBackground: false))
        defer { store.close() }
        #expect(store.appendAll((0..<60).map { Fixture.message(id: "a\($0)") }).allSatisfy { $0.isSuccess })
        // Under the limit: left queued.
        WakeSignal().wait(untilNanoseconds: Clock.monotonicNanoseconds() + 300_000_000)
        #expect(store.searchIndex.backlog == 60)
        #expect(store.appendAll((0..<90).map { Fixture.message(id: "b\($0)") }).allSatisfy { $0.isSuccess })
        let deadline = Clock.monotonicNanoseconds() + 20_000_000_000
        while store.searchIndex.backlog > 100 && Clock.monotonicNanoseconds() < deadline {
            WakeSignal().wait(untilNanoseconds: Clock.monotonicNanoseconds() + 5_000_000)
        }
        #expect(store.searchIndex.backlog <= 50)
        #expect(store.searchIndex.backlog > 0)
    }

    /// The background passes run only on CPU nothing else wants (SCHED_IDLE); the thread that
    /// serves searches keeps the normal policy, so a search never waits for an idle CPU.
    @Test func backgroundPassesRunOnlyWhenACPUIsIdle() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        store.flushSearchIndexAndWait()
        var policies: [String: Int32] = [:]
        let deadline = Clock.monotonicNanoseconds() + 20_000_000_000
        repeat {
            policies = [:]
            for tid in Self.threadIDs() {
                guard let name = Self.threadName(tid), ["mailgate-index", "mailgate-search"].contains(name) else { continue }
                policies[name] = sched_getscheduler(tid)
            }
            if policies["mailgate-index"] == 5 { break }   // the thread sets it as it starts
            WakeSignal().wait(untilNanoseconds: Clock.monotonicNanoseconds() + 5_000_000)
        } while Clock.monotonicNanoseconds() < deadline
        #expect(policies["mailgate-index"] == 5)   // SCHED_IDLE
        #expect(policies["mailgate-search"] == SCHED_OTHER)
    }

    static func threadIDs() -> [Int32] {
        guard let dir = opendir("/proc/self/task") else { return [] }
        defer { closedir(dir) }
        var ids: [Int32] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let id = Int32(name) { ids.append(id) }
        }
        return ids
    }

    static func threadName(_ tid: Int32) -> String? {
        guard let file = fopen("/proc/self/task/\(tid)/comm", "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 64)
        guard fgets(&buffer, 64, file) != nil else { return nil }
        return String(String(cString: buffer).prefix { $0 != "\n" })
    }
}
