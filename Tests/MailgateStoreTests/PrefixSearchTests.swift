import MailgateCore
import Testing
@testable import MailgateStore

/// Prefix search (`q=inv*`) through search_terms (SearchSchema, PrefixTerms): the
/// terms are FTS5's own (folded by its tokenizer), the expansion finds exactly what FTS5's
/// native prefix query finds, and the fallback (too many terms, a prefix of two tokens) too.
@Suite struct PrefixSearchTests {
    let dir = TemporaryDirectory()

    func ids(_ reader: MessageReader, _ q: String) throws -> [String] {
        try reader.list(MessageQuery(q: q, limit: 500)).items.map(Fixture.id(ofSummary:))
    }

    /// The ids FTS5's native prefix query returns for `expression`, newest first.
    func nativeIDs(_ store: Store, _ expression: String) throws -> [String] {
        try store.onIndexedStore { db in
            let s = try db.prepare("""
                SELECT m.id FROM message_fts f CROSS JOIN messages m ON m.seq = f.rowid
                WHERE message_fts MATCH ? ORDER BY f.rowid DESC
                """)
            try s.bind(expression, at: 1)
            var ids: [String] = []
            while try s.step() { ids.append(s.text(0) ?? "") }
            return ids
        }
    }

    @Test func theTokenizerFoldsLikeTheIndex() throws {
        let db = try Database(path: dir.file("t.db"))
        let tokenizer = try FTSTokenizer(database: db)
        #expect(tokenizer.terms(of: "Crème BRÛLÉE, e-mail Ünïcode") == ["creme", "brulee", "e", "mail", "unicode"])
    }

    @Test func expandedPrefixesFindWhatFTS5Finds() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let texts = ["Invoice 12", "invoices due", "INVENTORY report", "Crème brûlée", "crepe suzette", "inn",
                     "unrelated words", "e-mail me"]
        let messages = texts.enumerated().map { i, t in Fixture.message(id: "p\(i)", subject: t, text: t) }
        #expect(store.appendAll(messages).allSatisfy { $0.isSuccess })
        store.flushSearchIndexAndWait()
        let terms = try store.onIndexedStore { db in PrefixTerms.expand("INV", in: db) }
        #expect(terms == ["inventory", "invoice", "invoices"])
        let reader = try store.openReader()
        for (q, native) in [("inv*", #""inv"*"#), ("Cré*", #""cre"*"#), ("in* report", #""in"* "report""#),
                            ("zzz*", #""zzz"*"#), ("e-ma*", #""e-ma"*"#)] {
            #expect(try ids(reader, q) == nativeIDs(store, native), "\(q)")
        }
        #expect(try ids(reader, "inv*").count == 3)
        #expect(try ids(reader, "Cré*").count == 2)
        // A deleted message's terms stay in search_terms and match nothing.
        let deleted = Completions<Bool>()
        store.deleteMessage(id: "p2", completion: deleted.callback)
        #expect(deleted.wait(for: 1) == [.success(true)])
        #expect(try ids(reader, "inv*") == ["p1", "p0"])
    }

    /// The indexer takes the terms from FTS5's own tokenization of each insert (FTSTermRecorder):
    /// search_terms holds exactly the index's vocabulary, over two passes and thousands of terms
    /// (the recorder's table grows several times), and a search or a delete records nothing.
    @Test func recordedTermsAreTheIndexVocabulary() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let messages = (0..<(SearchApplier.batchSize + 300)).map { i in
            Fixture.message(id: "v\(i)", subject: "Réunion \(i)", text: "Ünïque\(i) common wörd\(i % 7) naïve\(i)x")
        }
        #expect(store.appendAll(messages).allSatisfy { $0.isSuccess })
        store.flushSearchIndexAndWait()
        func vocabulary(_ sql: String) throws -> Set<String> {
            try store.onIndexedStore { db -> Set<String> in
                let s = try db.prepare(sql)
                var terms: Set<String> = []
                while try s.step() { terms.insert(s.text(0) ?? "") }
                return terms
            }
        }
        try store.onIndexedStore { db in
            try db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(search, message_fts, 'row')")
        }
        let indexed = try vocabulary("SELECT term FROM temp.vocab")
        #expect(indexed.count > 3 * messages.count)
        #expect(indexed.contains("unique17") && indexed.contains("reunion") && indexed.contains("word3"))
        #expect(try vocabulary("SELECT term FROM search_terms") == indexed)
        // Tokenizations that are not indexing passes add nothing.
        #expect(try ids(try store.openReader(), "unique5") == ["v5"])
        _ = try vocabulary("SELECT rowid FROM message_fts WHERE message_fts MATCH 'neverindexed'")
        let deleted = Completions<Bool>()
        store.deleteMessage(id: "v9", completion: deleted.callback)
        #expect(deleted.wait(for: 1) == [.success(true)])
        store.flushSearchIndexAndWait()
        #expect(try vocabulary("SELECT term FROM search_terms") == indexed)
    }

    @Test func tooManyTermsFallBackToFTS5() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let words = (0..<(PrefixTerms.maxTerms + 5)).map { "alpha\($0)x" }
        let messages = stride(from: 0, to: words.count, by: 10).map { i in
            Fixture.message(id: "w\(i)", text: words[i..<min(i + 10, words.count)].joined(separator: " "))
        }
        #expect(store.appendAll(messages).allSatisfy { $0.isSuccess })
        store.flushSearchIndexAndWait()
        #expect(try store.onIndexedStore { db in PrefixTerms.expand("alpha", in: db) } == nil)
        #expect(try store.onIndexedStore { db in PrefixTerms.expand("alpha1", in: db)?.count } == 11)
        let reader = try store.openReader()
        #expect(try ids(reader, "alpha*") == nativeIDs(store, #""alpha"*"#))
        #expect(try ids(reader, "alpha*").count == messages.count)
    }

    /// Retention drops the terms of the mail it deleted (their newest message is older than the
    /// cutoff's day) and keeps those a newer message still carries, so unique tokens do not pile
    /// up and prefix searches stay complete.
    @Test func retentionPrunesTheTermsOfDeletedMail() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let day: Int64 = 86_400_000
        let now = Clock.nowMilliseconds()
        let old = (0..<3).map { i in Fixture.message(id: "o\(i)", receivedAt: now - 3 * day, text: "shared oldonly\(i)") }
        #expect(store.appendAll(old).allSatisfy { $0.isSuccess })
        store.flushSearchIndexAndWait()
        let fresh = Fixture.message(id: "f", receivedAt: now, text: "shared freshonly")
        #expect(store.appendAndWait(fresh).isSuccess)
        store.flushSearchIndexAndWait()
        func terms(_ prefix: String) throws -> [String]? { try store.onIndexedStore { db in PrefixTerms.expand(Substring(prefix), in: db) } }
        #expect(try terms("oldonly") == ["oldonly0", "oldonly1", "oldonly2"])
        #expect(store.purge(olderThan: now - day) == 3)
        #expect(try terms("oldonly") == nil)
        #expect(try terms("shared") == ["shared"])
        #expect(try terms("freshonl") == ["freshonly"])
        #expect(try store.openReader().list(MessageQuery(q: "shar*")).items.count == 1)
    }
}
