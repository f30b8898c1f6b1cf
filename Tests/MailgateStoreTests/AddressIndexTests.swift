import MailgateCore
import Testing
@testable import MailgateStore

/// address_index (SearchSchema): deleting a message removes exactly its keys, made again from
/// the recipients and senders its removal carries, whatever their case or script, and a
/// version-4 file's messages are found by address after the upgrade.
@Suite struct AddressIndexTests {
    let dir = TemporaryDirectory()

    struct Key: Hashable, Comparable {
        let field: Int64, key: String, seq: Int64
        static func < (a: Key, b: Key) -> Bool { (a.field, a.key, a.seq) < (b.field, b.key, b.seq) }
    }

    func keys(_ store: Store) throws -> Set<Key> {
        try store.onIndexedStore { db -> Set<Key> in
            let s = try db.prepare("SELECT field, key, seq FROM address_index")
            var keys = Set<Key>()
            while try s.step() { keys.insert(Key(field: s.int64(0), key: s.text(1) ?? "", seq: s.int64(2))) }
            return keys
        }
    }

    func seq(_ store: Store, id: String) throws -> Int64 {
        try store.writeAndWait { db in try db.scalarInt("SELECT seq FROM messages WHERE id = ?", [.text(id)]) ?? -1 }.get()
    }

    func delete(_ store: Store, id: String) -> Bool {
        let done = Completions<Bool>()
        store.deleteMessage(id: id, completion: done.callback)
        return done.wait(for: 1) == [.success(true)]
    }

    @Test func deletingAMessageRemovesExactlyItsKeys() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let messages = [
            // Envelope and header recipients, upper case and non-ASCII, MAIL FROM and From
            // the same address in different case.
            Fixture.message(id: "a", mailFrom: "Sender@X.TEST", rcptTo: ["Alice@Example.TEST", "bob@shared.test"],
                            fromAddress: "sender@x.test", headerTo: ["ÜNI@STRASSE.test"]),
            // Shares bob, the domain and the sender with a.
            Fixture.message(id: "b", mailFrom: "sender@x.test", rcptTo: ["bob@shared.test", "carol@Shared.test"]),
            // A bounce: empty MAIL FROM, no From.
            Fixture.message(id: "c", mailFrom: "", rcptTo: ["alice@example.test"], fromAddress: nil),
        ]
        #expect(store.appendAll(messages).allSatisfy { $0.isSuccess })
        store.flushSearchIndexAndWait()
        let all = try keys(store)
        let (a, b, c) = (try seq(store, id: "a"), try seq(store, id: "b"), try seq(store, id: "c"))
        #expect(Set(all.filter { $0.seq == a }.map { "\($0.field) \($0.key)" }) == [
            "1 alice@example.test", "1 @example.test", "1 bob@shared.test", "1 @shared.test",
            "1 üni@strasse.test", "1 @strasse.test", "2 sender@x.test", "2 @x.test",
        ])
        #expect(all.filter { $0.seq == c }.count == 2)

        #expect(delete(store, id: "a"))
        #expect(try keys(store) == all.filter { $0.seq != a })
        #expect(delete(store, id: "c"))
        #expect(try keys(store) == all.filter { $0.seq == b })

        // Not indexed yet: nothing to remove, and nothing else goes.
        #expect(store.appendAndWait(Fixture.message(id: "d", rcptTo: ["bob@shared.test"])).isSuccess)
        #expect(delete(store, id: "d"))
        store.flushSearchIndexAndWait()
        #expect(try keys(store) == all.filter { $0.seq == b })
        let reader = try store.openReader()
        #expect(try reader.list(MessageQuery(to: "*@shared.test")).items.count == 1)
    }

    /// A version-4 file: its messages' keys are in the search file built at the first start,
    /// and go with them when deleted.
    @Test func aVersion4FileKeepsItsKeys() throws {
        let path = dir.file("m.db")
        do {
            let db = try Database(path: path)
            try db.execute("PRAGMA journal_mode = WAL")
            try Migrator(database: db).migrate(Array(StoreSchema.migrations.prefix(4)))
            for (seq, id, recipient) in [(Int64(4096), "m1", "one@a.test"), (8192, "m2", "two@a.test")] {
                try db.prepare("""
                    INSERT INTO messages(seq, id, received_at, size, mail_from, helo, remote_addr, remote_port,
                                         transport, smtputf8, attachment_count, summary_json)
                    VALUES (?, ?, 1, 1, 's@b.test', 'h', '127.0.0.1', 1, 'ESMTP', 0, 0, x'7b7d')
                    """).run([.int(seq), .text(id)])
                try db.prepare("INSERT INTO recipients VALUES (?, 0, ?, 1, 0)").run([.int(seq), .text(recipient)])
                // Indexed as the old writer did: the text of a message without raw bytes is "".
                try db.prepare("INSERT INTO message_fts(rowid, text) VALUES (?, '')").run([.int(seq)])
                for (field, key) in [(1, recipient), (1, "@a.test"), (2, "s@b.test"), (2, "@b.test")] {
                    try db.prepare("INSERT INTO address_index VALUES (?, ?, ?)").run([.int(Int64(field)), .text(key), .int(seq)])
                }
            }
        }
        let store = try Store(options: StoreOptions(path: path))
        defer { store.close() }
        let left = try store.writeAndWait { db in
            try db.scalarInt("SELECT count(*) FROM sqlite_schema WHERE name IN ('address_index', 'message_fts', 'search_pending')")
        }.get()
        #expect(left == 0)
        #expect(try keys(store).count == 8)
        #expect(delete(store, id: "m1"))
        #expect(try keys(store).map(\.seq) == Array(repeating: 8192, count: 4))
        let reader = try store.openReader()
        #expect(try reader.list(MessageQuery(to: "*@a.test")).items.count == 1)
    }
}
