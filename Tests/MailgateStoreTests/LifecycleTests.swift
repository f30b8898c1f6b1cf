import MailgateCore
import MailgateIO
import Synchronization
import Testing
@testable import MailgateStore

@Suite struct MigrationTests {
    let dir = TemporaryDirectory()

    static let outbox = Migration(version: 100, name: "outbox", sql: """
        CREATE TABLE outbox (message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE);
        CREATE INDEX outbox_message ON outbox(message_id);
        """)
    static let outboxColumn = Migration(version: 101, name: "outbox status",
                                        sql: "ALTER TABLE outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'pending'")

    @Test func anOlderFileIsMigratedInVersionOrder() throws {
        let path = dir.file("m.db")
        let first = try Store(options: StoreOptions(path: path))
        #expect(first.appendAndWait(Fixture.message(id: "kept")).isSuccess)
        first.close()

        let store = try Store(options: StoreOptions(path: path, extraMigrations: [Self.outboxColumn, Self.outbox]))
        defer { store.close() }
        let state = try store.writeAndWait { db in
            (Int(try db.scalarInt("PRAGMA user_version") ?? 0),
             Int(try db.scalarInt("SELECT count(*) FROM schema_migrations") ?? 0))
        }.get()
        #expect(state.0 == 101)
        #expect(state.1 == 8)   // store 1...6 + the two test migrations
        #expect(try store.openReader().exists(id: "kept"))
        // The other module's rows go with the message (ON DELETE CASCADE from its migration).
        #expect(try store.writeAndWait { db in try db.execute("INSERT INTO outbox(message_id) VALUES ('kept')") }.get() == ())
        let deleted = Completions<Bool>()
        store.deleteMessage(id: "kept", completion: deleted.callback)
        #expect(deleted.wait(for: 1).first == .success(true))
        #expect(store.rows("outbox") == 0)
    }

    @Test func aFileFromANewerVersionIsRefused() throws {
        let path = dir.file("m.db")
        try Store(options: StoreOptions(path: path)).close()
        do {
            let raw = try Database(path: path)
            try raw.execute("PRAGMA user_version = 150")
        }
        #expect(throws: StoreError.newerSchema(found: 150, supported: 101)) {
            try Store(options: StoreOptions(path: path, extraMigrations: [Self.outbox, Self.outboxColumn]))
        }
        #expect(throws: StoreError.newerSchema(found: 150, supported: 6)) {
            try Store(options: StoreOptions(path: path))
        }
    }
}

@Suite struct DeleteAndRetentionTests {
    let dir = TemporaryDirectory()
    let attachment = AttachmentLocation(id: "2", filename: "a.pdf", contentType: "application/pdf",
                                        disposition: "attachment", size: 3, offset: 10, length: 4,
                                        transferEncoding: "base64")

    @Test func retentionDeletesOnlyOldMessagesAndTheirRowsInBatches() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let now = Clock.nowMilliseconds()
        let old = (0..<1100).map { i in
            Fixture.message(receivedAt: now - 3_600_000 - Int64(i), attachments: [attachment])
        }
        let fresh = (0..<7).map { _ in Fixture.message(receivedAt: now, attachments: [attachment]) }
        #expect(store.appendAll(old + fresh).allSatisfy { $0.isSuccess })
        let batches = store.metrics.batchesCommitted
        #expect(store.purge(olderThan: now - 60_000) == 1100)
        #expect(store.metrics.batchesCommitted - batches == 3)   // 500 + 500 + 100 messages
        #expect(store.metrics.messagesDeleted == 1100)
        for table in ["messages", "message_raw", "message_data", "recipients", "attachments"] {
            #expect(store.rows(table) == 7, "\(table)")
        }
        #expect(store.searchRows == 7)
        store.flushSearchIndexAndWait()
        #expect(store.indexRows("address_index") == 7 * 5)   // 2 to keys + 3 from keys (one shared domain)
        let reader = try store.openReader()
        #expect(try fresh.allSatisfy { try reader.exists(id: $0.id) })
        #expect(store.indexRows("indexed") == 7)
        #expect(try reader.list(MessageQuery(subject: "hello", limit: 500)).items.count == 7)
    }

    /// A retention pass runs the other modules' hooks after the messages, with the same
    /// cutoff, again while a hook deletes a full batch.
    @Test func retentionRunsTheHooksInBatches() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        final class Calls: Sendable { let list = Mutex<[(cutoff: Int64, limit: Int)]>([]) }
        let calls = Calls()
        store.addRetentionHook { _, cutoff, limit in
            calls.list.withLock { calls in
                calls.append((cutoff, limit))
                return calls.count < 3 ? limit : 7
            }
        }
        store.purge(olderThan: 1_234)
        let seen = calls.list.withLock { $0 }
        #expect(seen.count == 3)
        #expect(seen.allSatisfy { $0.cutoff == 1_234 && $0.limit == Store.deleteBatchSize })
    }

    @Test func retentionThreadRunsInTheBackground() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let now = Clock.nowMilliseconds()
        #expect(store.appendAll([Fixture.message(receivedAt: now - 10_000), Fixture.message(receivedAt: now + 60_000)])
            .allSatisfy { $0.isSuccess })
        try store.startRetention(maxAgeMilliseconds: 5_000, intervalMilliseconds: 5)
        let reader = try store.openReader()
        let deadline = Clock.monotonicNanoseconds() + 20_000_000_000
        while try reader.count() != 1 && Clock.monotonicNanoseconds() < deadline {
            WakeSignal().wait(untilNanoseconds: Clock.monotonicNanoseconds() + 5_000_000)
        }
        #expect(try reader.count() == 1)
    }

    @Test func deleteOneFilteredAndAll() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let toA = (0..<1200).map { _ in Fixture.message(rcptTo: ["a@x.test"]) }
        let toB = (0..<30).map { _ in Fixture.message(rcptTo: ["b@y.test"]) }
        #expect(store.appendAll(toA + toB).allSatisfy { $0.isSuccess })

        let one = Completions<Bool>()
        store.deleteMessage(id: toB[0].id, completion: one.callback)
        store.deleteMessage(id: toB[0].id, completion: one.callback)
        #expect(one.wait(for: 2) == [.success(true), .success(false)])

        let filtered = Completions<Int>()
        store.deleteMessages(matching: MessageQuery(to: "*@x.test"), completion: filtered.callback)
        #expect(filtered.wait(for: 1) == [.success(1200)])
        let reader = try store.openReader()
        #expect(try reader.count() == 29)
        #expect(store.rows("recipients") == 29)

        let all = Completions<Int>()
        store.deleteMessages(matching: MessageQuery(), completion: all.callback)
        #expect(all.wait(for: 1) == [.success(29)])
        #expect(try reader.count() == 0)
        #expect(store.searchRows == 0)
        #expect(store.indexRows("address_index") == 0)

        let bad = Completions<Int>()
        store.deleteMessages(matching: MessageQuery(cursor: "zz"), completion: bad.callback)
        #expect(bad.wait(for: 1) == [.success(0)])   // the cursor is ignored by deletes
    }
}

@Suite struct ReadAndBackupTests {
    let dir = TemporaryDirectory()

    @Test func readRawInChunksEqualsTheAppendedBytes() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let raw = (0..<300_001).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let location = AttachmentLocation(id: "1.2", filename: nil, contentType: "image/png", disposition: "inline",
                                          size: 10, offset: 100, length: 16, transferEncoding: "base64")
        let message = Fixture.message(raw: raw, attachments: [location])
        #expect(store.appendAndWait(message).isSuccess)
        let reader = try store.openReader()
        #expect(try reader.rawSize(id: message.id) == raw.count)
        var copy: [UInt8] = []
        var offset = 0
        while true {
            let chunk = try reader.readRaw(id: message.id, offset: offset, count: 65_536)
            if chunk.isEmpty { break }
            copy += chunk
            offset += chunk.count
        }
        #expect(copy == raw)
        #expect(try reader.readRaw(id: message.id, offset: 299_990, count: 100) == Array(raw[299_990...]))
        #expect(throws: StoreError.notFound) { try reader.readRaw(id: "missing", offset: 0, count: 1) }
        #expect(try reader.messageJSON(id: message.id) == message.messageJSON)
        #expect(try reader.messageJSON(id: "missing") == nil)
        #expect(try reader.attachment(messageID: message.id, attachmentID: "1.2") == location)
        #expect(try reader.attachment(messageID: message.id, attachmentID: "2") == nil)
        #expect(try reader.attachments(messageID: message.id) == [location])
    }

    @Test func backupWhileMailArrivesHoldsEveryCommittedRow() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        #expect(store.appendAll((0..<200).map { _ in Fixture.message() }).allSatisfy { $0.isSuccess })
        let arriving = Completions<Void>()
        let writer = try OSThread(name: "arrivals") {
            for _ in 0..<300 { store.append(Fixture.message(), completion: arriving.callback) }
        }
        try store.backup(to: dir.file("copy.db"))
        writer.join()
        #expect(arriving.wait(for: 300).allSatisfy { $0.isSuccess })

        let copy = try Store(options: StoreOptions(path: dir.file("copy.db")))
        defer { copy.close() }
        let count = try copy.openReader().count()
        #expect(count >= 200 && count <= 500)
        #expect(copy.rows("message_raw") == count)
        #expect(copy.searchRows == count)   // indexed or still pending, each message exactly once
        let check = try copy.writeAndWait { db in try db.scalarText("PRAGMA integrity_check") }.get()
        #expect(check == "ok")
    }
}

@Suite struct QueryPieceTests {
    @Test func cursorRoundTrip() throws {
        for seq: Int64 in [1, 4096, 1_700_000_000_000 << 12 | 7, Int64.max] {
            #expect(try MessageCursor.decode(MessageCursor.encode(seq: seq)) == seq)
        }
    }

    @Test func fullTextTermsAreQuoted() {
        #expect(FTSQuery.fullText("hello  wor*") == #""hello" "wor"*"#)
        #expect(FTSQuery.fullText(#"a"b OR"#) == #""a""b" "OR""#)
        #expect(FTSQuery.fullText(" * ") == nil)
        let expand: (Substring) -> [String]? = { $0 == "wor" ? ["word", "wo\"rld"] : nil }
        #expect(FTSQuery.fullText("hello wor* x*", expand: expand) == #""hello" AND ("word" OR "wo""rld") AND "x"*"#)
        #expect(FTSQuery.likePattern("50%_a\\") == #"%50\%\_a\\%"#)
        #expect(FTSQuery.trigramPhrase("ab") == nil)
    }

    @Test func addressKeys() {
        #expect(AddressKey.keys(forStored: "Bob@B.Test") == ["bob@b.test", "@b.test"])
        #expect(AddressKey.keys(forStored: "postmaster") == ["postmaster"])
        #expect(AddressKey.key(forFilter: " *@B.test ") == "@b.test")
        #expect(AddressKey.key(forFilter: "") == nil)
    }

    @Test func sequenceKeepsMillisecondOrder() {
        #expect(MessageSequence.first(ofMillisecond: 1) == 4096)
        #expect(MessageSequence.last(ofMillisecond: 1) == 8191)
        #expect(MessageSequence.first(ofMillisecond: -5) == 0)
    }

    @Test func histogramIsCumulative() {
        var h = Histogram(upperBounds: [1, 2])
        for v in [0.5, 1, 1.5, 3] { h.observe(v) }
        #expect(h.cumulativeCounts == [2, 3, 4])
        #expect(h.count == 4 && h.sum == 6)
    }
}
