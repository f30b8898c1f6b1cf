import CSQLite
import MailgateCore

/// A read-only connection for the HTTP API, confined to the thread that opened it (one per
/// event-loop thread). WAL lets it read while the writer commits. Statements are prepared once
/// per query shape and reused. Every method throws `StoreError`.
public final class MessageReader {
    let database: Database

    /// `searchPath`: the search file (SearchSchema), attached for the search filters.
    init(path: String, searchPath: String, busyTimeoutMilliseconds: Int) throws {
        do {
            database = try Database(path: path, mode: .readOnly)
            try database.execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
            try SearchFile.attach(searchPath, to: database)
        } catch {
            throw StoreError(error)
        }
    }

    /// One page of summaries matching `query`, newest first.
    public func list(_ query: MessageQuery) throws -> MessagePage {
        guard (1...MessageQuery.maxLimit).contains(query.limit) else { throw StoreError.badLimit }
        // One row more than the page tells whether a next page exists.
        let plan = try MessageQueryPlan(query, select: .summaries, limit: query.limit + 1, database: database)
        var items: [[UInt8]] = []
        items.reserveCapacity(query.limit)
        var lastSeq: Int64 = 0
        var more = false
        try guarded {
            try plan.run(on: database) { row in
                if items.count == query.limit { more = true; return }
                lastSeq = row.int64(0)
                items.append(row.blob(1))
            }
        }
        return MessagePage(items: items, nextCursor: more ? MessageCursor.encode(seq: lastSeq) : nil)
    }

    /// Summaries of the messages stored after message `id`, oldest first, at most `limit`
    /// (replaying an event stream from its `Last-Event-ID`). When `id` is no longer stored (a
    /// deleted message), those received from its ULID's millisecond on, so a few may repeat;
    /// nil when `id` is not a ULID.
    public func summaries(after id: String, limit: Int) throws -> [(id: String, summary: [UInt8])]? {
        let lower: Int64
        if let seq = try seq(ofID: id) {
            lower = seq + 1
        } else if let milliseconds = ULID.milliseconds(of: id) {
            lower = MessageSequence.first(ofMillisecond: milliseconds)
        } else {
            return nil
        }
        return try guarded {
            let s = try database.cached("""
                SELECT id, summary_json FROM messages WHERE seq >= ? AND id <> ? ORDER BY seq LIMIT ?
                """)
            defer { s.reset() }
            try s.bind([.int(lower), .text(id), .int(Int64(limit))])
            var rows: [(id: String, summary: [UInt8])] = []
            while try s.step() { rows.append((s.text(0) ?? "", s.blob(1))) }
            return rows
        }
    }

    /// The id of the newest message matching the filters of `query` (`GET .../messages/latest`).
    public func latestID(matching query: MessageQuery = MessageQuery()) throws -> String? {
        let plan = try MessageQueryPlan(query, select: .ids, limit: 1, database: database)
        var id: String?
        try guarded { try plan.run(on: database) { id = $0.text(1) } }
        return id
    }

    /// The full message JSON rendered at ingest.
    public func messageJSON(id: String) throws -> [UInt8]? {
        try guarded {
            let s = try database.cached("""
                SELECT d.message_json FROM messages m JOIN message_data d ON d.seq = m.seq WHERE m.id = ?
                """)
            defer { s.reset() }
            try s.bind(id, at: 1)
            return try s.step() ? s.blob(0) : nil
        }
    }

    /// The size of the stored raw bytes.
    public func rawSize(id: String) throws -> Int? {
        try guarded {
            let s = try database.cached("SELECT size FROM messages WHERE id = ?")
            defer { s.reset() }
            try s.bind(id, at: 1)
            return try s.step() ? s.int(0) : nil
        }
    }

    public func exists(id: String) throws -> Bool { try seq(ofID: id) != nil }

    /// How many messages are stored (one row kept by triggers: cheap enough per request).
    public func count() throws -> Int {
        try guarded {
            let s = try database.cached("SELECT count FROM message_count WHERE id = 1")
            defer { s.reset() }
            return try s.step() ? s.int(0) : 0
        }
    }

    /// Where attachment `attachmentID` of message `messageID` lies in the raw bytes.
    public func attachment(messageID: String, attachmentID: String) throws -> AttachmentLocation? {
        try guarded {
            let s = try database.cached("""
                SELECT a.part_id, a.filename, a.content_type, a.disposition, a.size, a.offset, a.length,
                       a.transfer_encoding
                FROM messages m JOIN attachments a ON a.seq = m.seq WHERE m.id = ? AND a.part_id = ?
                """)
            defer { s.reset() }
            try s.bind(messageID, at: 1)
            try s.bind(attachmentID, at: 2)
            guard try s.step() else { return nil }
            return AttachmentLocation(id: s.text(0) ?? attachmentID, filename: s.text(1),
                                      contentType: s.text(2) ?? "application/octet-stream",
                                      disposition: s.text(3) ?? "attachment", size: s.int(4),
                                      offset: s.int(5), length: s.int(6),
                                      transferEncoding: s.text(7) ?? "7bit")
        }
    }

    /// The attachments of a message, in part order.
    public func attachments(messageID: String) throws -> [AttachmentLocation] {
        try guarded {
            let s = try database.cached("""
                SELECT a.part_id FROM messages m JOIN attachments a ON a.seq = m.seq WHERE m.id = ?
                """)
            defer { s.reset() }
            try s.bind(messageID, at: 1)
            var ids: [String] = []
            while try s.step() { if let id = s.text(0) { ids.append(id) } }
            return try ids.compactMap { try attachment(messageID: messageID, attachmentID: $0) }
        }
    }

    func seq(ofID id: String) throws -> Int64? {
        try guarded {
            let s = try database.cached("SELECT seq FROM messages WHERE id = ?")
            defer { s.reset() }
            try s.bind(id, at: 1)
            return try s.step() ? s.int64(0) : nil
        }
    }

    /// Runs `body`, turning SQLite errors into `StoreError`.
    func guarded<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch { throw StoreError(error) }
    }
}
