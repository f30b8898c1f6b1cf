import MailgateCore
import Testing
@testable import MailgateStore

@Suite struct ListTests {
    let dir = TemporaryDirectory()

    /// Six messages, one second apart, oldest first.
    func fixtureStore() throws -> (Store, [String]) {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        let t0: Int64 = 1_700_000_000_000
        let messages = [
            Fixture.message(id: "m0", receivedAt: t0, mailFrom: "alice@a.test", rcptTo: ["bob@b.test"],
                            fromAddress: "alice@a.test", subject: "Quarterly report", text: "numbers inside"),
            Fixture.message(id: "m1", receivedAt: t0 + 1000, mailFrom: "", rcptTo: ["Carol@C.test"],
                            fromAddress: "noreply@shop.test", headerTo: ["dave@d.test"],
                            subject: "Your order shipped", text: "tracking number 42"),
            Fixture.message(id: "m2", receivedAt: t0 + 2000, mailFrom: "bounce@shop.test", rcptTo: ["bob@b.test", "eve@b.test"],
                            fromAddress: "news@shop.test", subject: "Crème brûlée recipes", text: "dessert"),
            Fixture.message(id: "m3", receivedAt: t0 + 3000, mailFrom: "alice@a.test", rcptTo: ["x@y.test"],
                            fromAddress: "Alice@A.test", subject: "Re: quarterly REPORT", text: "reply with numbers"),
            Fixture.message(id: "m4", receivedAt: t0 + 4000, mailFrom: "z@z.test", rcptTo: ["bob@b.test"],
                            fromAddress: nil, subject: nil, text: "100% off_sale today"),
            Fixture.message(id: "m5", receivedAt: t0 + 5000, mailFrom: "z@z.test", rcptTo: ["q@q.test"],
                            fromAddress: "z@z.test", subject: "ok", text: "short subject"),
        ]
        #expect(store.appendAll(messages).allSatisfy { $0.isSuccess })
        store.flushSearchIndexAndWait()
        return (store, messages.map(\.id))
    }

    func ids(_ reader: MessageReader, _ query: MessageQuery) throws -> [String] {
        try reader.list(query).items.map(Fixture.id(ofSummary:))
    }

    @Test func everyFilter() throws {
        let (store, _) = try fixtureStore()
        defer { store.close() }
        let reader = try store.openReader()
        let t0: Int64 = 1_700_000_000_000
        #expect(try ids(reader, MessageQuery()) == ["m5", "m4", "m3", "m2", "m1", "m0"])
        #expect(try ids(reader, MessageQuery(to: "BOB@b.test")) == ["m4", "m2", "m0"])
        #expect(try ids(reader, MessageQuery(to: "*@b.test")) == ["m4", "m2", "m0"])
        #expect(try ids(reader, MessageQuery(to: "carol@c.test")) == ["m1"])
        #expect(try ids(reader, MessageQuery(to: "dave@d.test")) == ["m1"])   // header To
        #expect(try ids(reader, MessageQuery(from: "alice@a.test")) == ["m3", "m0"])
        #expect(try ids(reader, MessageQuery(from: "*@SHOP.test")) == ["m2", "m1"])  // header From, MAIL FROM
        #expect(try ids(reader, MessageQuery(from: "bounce@shop.test")) == ["m2"])
        #expect(try ids(reader, MessageQuery(subject: "quarterly report")) == ["m3", "m0"])
        #expect(try ids(reader, MessageQuery(subject: "CRÈME")) == ["m2"])
        #expect(try ids(reader, MessageQuery(subject: "ok")) == ["m5"])          // under 3 chars: LIKE
        #expect(try ids(reader, MessageQuery(subject: "%")) == [])
        #expect(try ids(reader, MessageQuery(since: t0 + 2000)) == ["m5", "m4", "m3", "m2"])
        #expect(try ids(reader, MessageQuery(until: t0 + 1000)) == ["m1", "m0"])
        #expect(try ids(reader, MessageQuery(since: t0 + 1000, until: t0 + 3000)) == ["m3", "m2", "m1"])
        #expect(try ids(reader, MessageQuery(q: "numbers")) == ["m3", "m0"])
        #expect(try ids(reader, MessageQuery(q: "number")) == ["m1"])
        #expect(try ids(reader, MessageQuery(q: "number*")) == ["m3", "m1", "m0"])
        #expect(try ids(reader, MessageQuery(q: "creme")) == ["m2"])             // diacritics folded
        #expect(try ids(reader, MessageQuery(q: "alice@a.test reply")) == ["m3"])
        #expect(try ids(reader, MessageQuery(q: "100% off_sale")) == ["m4"])
        // FTS5 syntax in user input is only text.
        #expect(try ids(reader, MessageQuery(q: "NOT \"numbers OR ) (* NEAR(")) == [])
        #expect(try ids(reader, MessageQuery(q: "   ")) == ["m5", "m4", "m3", "m2", "m1", "m0"])
        // Combinations.
        #expect(try ids(reader, MessageQuery(to: "bob@b.test", from: "*@shop.test")) == ["m2"])
        #expect(try ids(reader, MessageQuery(from: "alice@a.test", subject: "re:")) == ["m3"])
        #expect(try ids(reader, MessageQuery(to: "*@b.test", q: "dessert", since: t0 + 2000)) == ["m2"])
        #expect(try ids(reader, MessageQuery(to: "*@b.test", subject: "REPORT")) == ["m0"])
        #expect(try ids(reader, MessageQuery(subject: "report", q: "reply")) == ["m3"])
        #expect(try ids(reader, MessageQuery(to: "bob@b.test", subject: "BRÛLÉE")) == ["m2"])
        #expect(try ids(reader, MessageQuery(to: "bob@b.test", subject: "_")) == [])
        #expect(try reader.latestID(matching: MessageQuery(to: "bob@b.test")) == "m4")
        #expect(try reader.latestID(matching: MessageQuery(to: "nobody@b.test")) == nil)
        #expect(try reader.latestID() == "m5")
    }

    @Test func keysetPaginationVisitsEveryMessageOnce() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        // 1 000 messages over 40 milliseconds: many share a millisecond, and some arrive out of order.
        let messages = (0..<1000).map { i in
            Fixture.message(id: String(format4(i)), receivedAt: 1_700_000_000_000 + Int64((i * 7) % 40))
        }
        #expect(store.appendAll(messages).allSatisfy { $0.isSuccess })
        let reader = try store.openReader()
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try reader.list(MessageQuery(limit: 37, cursor: cursor))
            seen += page.items.map(Fixture.id(ofSummary:))
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil
        #expect(pages == 28)
        #expect(seen.count == 1000)
        #expect(Set(seen) == Set(messages.map(\.id)))
        // Newest first: received_at never increases along the pages.
        let receivedAt = Dictionary(uniqueKeysWithValues: messages.map { ($0.id, $0.receivedAt) })
        #expect(zip(seen, seen.dropFirst()).allSatisfy { receivedAt[$0]! >= receivedAt[$1]! })
        // A filtered walk too (address filters read the search index: flushed first, as the API does).
        store.flushSearchIndexAndWait()
        let page = try reader.list(MessageQuery(to: "rcpt@example.com", limit: 500))
        let rest = try reader.list(MessageQuery(to: "rcpt@example.com", limit: 500, cursor: page.nextCursor))
        #expect(page.items.count == 500 && rest.items.count == 500 && rest.nextCursor == nil)
        #expect(Set(page.items + rest.items).count == 1000)
    }

    /// The address filters match whole addresses and domains: no prefix, suffix or subdomain
    /// match, any atext character in the local part, case folded; deleting the messages
    /// removes every key.
    @Test func addressFiltersMatchWholeAddressesAndDomains() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let t0: Int64 = 1_700_000_000_000
        let messages = [
            Fixture.message(id: "a0", receivedAt: t0, mailFrom: "o'brien+tag@x.test", rcptTo: ["t@y.test"]),
            Fixture.message(id: "a1", receivedAt: t0 + 1, mailFrom: "b@x.test", rcptTo: ["at@y.test"]),
            Fixture.message(id: "a2", receivedAt: t0 + 2, mailFrom: "c@x.test", rcptTo: ["t@sub.y.test"]),
            Fixture.message(id: "a3", receivedAt: t0 + 3, mailFrom: "d@x.test", rcptTo: ["first.last-x_y=z@Y.TEST"],
                            fromAddress: "José@Ünicode.test"),
        ]
        #expect(store.appendAll(messages).allSatisfy { $0.isSuccess })
        store.flushSearchIndexAndWait()
        let reader = try store.openReader()
        #expect(try ids(reader, MessageQuery(to: "t@y.test")) == ["a0"])
        #expect(try ids(reader, MessageQuery(to: "*@y.test")) == ["a3", "a1", "a0"])
        #expect(try ids(reader, MessageQuery(to: "@sub.y.test")) == ["a2"])
        #expect(try ids(reader, MessageQuery(to: "y.test")) == [])
        #expect(try ids(reader, MessageQuery(to: "FIRST.LAST-X_Y=Z@y.test")) == ["a3"])
        #expect(try ids(reader, MessageQuery(from: "O'Brien+tag@x.test")) == ["a0"])
        #expect(try ids(reader, MessageQuery(from: "obrien+tag@x.test")) == [])
        #expect(try ids(reader, MessageQuery(from: "josé@ünicode.test")) == ["a3"])
        #expect(try ids(reader, MessageQuery(from: "jose@unicode.test")) == [])
        #expect(try ids(reader, MessageQuery(to: "*@y.test", from: "*@x.test")) == ["a3", "a1", "a0"])
        #expect(try ids(reader, MessageQuery(to: "\" OR *")) == [])
        let all = Completions<Int>()
        store.deleteMessages(matching: MessageQuery(), completion: all.callback)
        #expect(all.wait(for: 1) == [.success(4)])
        #expect(store.indexRows("address_index") == 0)
    }

    /// The replay behind an event stream's Last-Event-ID: after a stored id by seq, after a
    /// deleted one by its ULID's millisecond, nothing for a non-ULID.
    @Test func summariesAfterAnIdForEventReplay() throws {
        let store = try Store(options: StoreOptions(path: dir.file("m.db")))
        defer { store.close() }
        let t0: Int64 = 1_795_867_200_000
        let ids = (0..<5).map { ULID.make(milliseconds: t0 + Int64($0)) }
        let messages = ids.enumerated().map { i, id in Fixture.message(id: id, receivedAt: t0 + Int64(i)) }
        #expect(store.appendAll(messages).allSatisfy { $0.isSuccess })
        let reader = try store.openReader()
        #expect(try reader.summaries(after: ids[1], limit: 10)?.map(\.id) == Array(ids[2...]))
        #expect(try reader.summaries(after: ids[1], limit: 2)?.map(\.id) == Array(ids[2...3]))
        #expect(try reader.summaries(after: ids[4], limit: 10)?.isEmpty == true)
        let deleted = Completions<Bool>()
        store.deleteMessage(id: ids[2], completion: deleted.callback)
        #expect(deleted.wait(for: 1) == [.success(true)])
        #expect(try reader.summaries(after: ids[2], limit: 10)?.map(\.id) == Array(ids[3...]))
        #expect(try reader.summaries(after: "nope", limit: 10) == nil)
        let summary = try #require(try reader.summaries(after: ids[3], limit: 1)?.first?.summary)
        #expect(Fixture.id(ofSummary: summary) == ids[4])
    }

    @Test func malformedCursorAndLimitAreRejected() throws {
        let (store, _) = try fixtureStore()
        defer { store.close() }
        let reader = try store.openReader()
        for cursor in ["", "abc", "m000000000000000g", "m0000000000000000", "M0000000000000001", "m00000000000000001"] {
            #expect(throws: StoreError.badCursor) { try reader.list(MessageQuery(cursor: cursor)) }
        }
        #expect(throws: StoreError.badLimit) { try reader.list(MessageQuery(limit: 0)) }
        #expect(throws: StoreError.badLimit) { try reader.list(MessageQuery(limit: 501)) }
        let page = try reader.list(MessageQuery(limit: 2))
        #expect(page.items.count == 2)
        #expect(try ids(reader, MessageQuery(limit: 2, cursor: page.nextCursor)) == ["m3", "m2"])
    }

    func format4(_ i: Int) -> String {
        let s = String(i)
        return "id" + String(repeating: "0", count: 4 - s.count) + s
    }
}
