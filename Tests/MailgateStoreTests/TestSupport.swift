import Glibc
import MailgateCore
import Synchronization
@testable import MailgateStore

/// A fresh directory under /tmp, removed with its files by `remove()`.
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/mailgate-store-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: made!)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit {
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
                }
                if name != "." && name != ".." { unlink(file(name)) }
            }
            closedir(dir)
        }
        rmdir(path)
    }
}

/// Waits for a known number of completions and keeps their results.
final class Completions<T: Sendable>: Sendable {
    private let results = Mutex<[Result<T, StoreError>]>([])
    private let signal = WakeSignal()

    var callback: @Sendable (Result<T, StoreError>) -> Void {
        { result in
            self.results.withLock { $0.append(result) }
            self.signal.signal()
        }
    }

    /// Waits (up to 30 s, so a bug fails the test instead of hanging it) for `count` results.
    func wait(for count: Int) -> [Result<T, StoreError>] {
        let deadline = Clock.monotonicNanoseconds() + 30_000_000_000
        while results.withLock({ $0.count }) < count && Clock.monotonicNanoseconds() < deadline {
            signal.wait(untilNanoseconds: min(deadline, Clock.monotonicNanoseconds() + 100_000_000))
        }
        return results.withLock { $0 }
    }
}

/// A write job that holds the writer until `release()`, so the jobs queued meanwhile are
/// committed together (deterministic group commit in tests).
final class WriterGate: Sendable {
    private let entered = WakeSignal()
    private let gate = WakeSignal()

    func close(on store: Store) {
        store.write({ _ in self.entered.signal(); self.gate.wait() }, completion: { _ in })
        entered.wait()
    }

    func release() { gate.signal() }
}

enum Fixture {
    static func message(id: String = ULID.make(), receivedAt: Int64 = 1_700_000_000_000,
                        mailFrom: String = "sender@example.org", rcptTo: [String] = ["rcpt@example.com"],
                        fromAddress: String? = "Author@Example.org", headerTo: [String] = [],
                        subject: String? = "Hello", text: String = "plain body",
                        raw: [UInt8]? = nil, attachments: [AttachmentLocation] = []) -> NewMessage {
        // A real message, so the search text the store derives from it (SearchText) holds the
        // subject, the From and To addresses and the text.
        var headers = ""
        if let fromAddress { headers += "From: Author <\(fromAddress)>\r\n" }
        if !headerTo.isEmpty { headers += "To: \(headerTo.joined(separator: ", "))\r\n" }
        if let subject { headers += "Subject: \(subject)\r\n" }
        let rawBytes = raw ?? Array("\(headers)\r\n\(text)\r\n".utf8)
        return NewMessage(
            id: id, receivedAt: receivedAt,
            envelope: Envelope(mailFrom: mailFrom, rcptTo: rcptTo, helo: "client.test",
                               remoteAddress: "192.0.2.7", remotePort: 50123, transport: "ESMTP"),
            raw: rawBytes, fromAddress: fromAddress, fromName: "Author", headerRecipients: headerTo,
            subject: subject, date: nil, messageID: "<\(id)@test>", attachmentCount: attachments.count,
            summaryJSON: Array("{\"id\":\"\(id)\"}".utf8), messageJSON: Array("{\"id\":\"\(id)\",\"full\":true}".utf8),
            attachments: attachments)
    }

    /// The id in a summary blob written by `message`.
    static func id(ofSummary summary: [UInt8]) -> String {
        String(decoding: summary.dropFirst(7).dropLast(2), as: UTF8.self)
    }
}

extension Store {
    /// Appends and waits for the completion.
    func appendAndWait(_ message: NewMessage) -> Result<Void, StoreError> {
        let done = Completions<Void>()
        append(message, completion: done.callback)
        return done.wait(for: 1).first ?? .failure(.closed)
    }

    func appendAll(_ messages: [NewMessage]) -> [Result<Void, StoreError>] {
        let done = Completions<Void>()
        for m in messages { append(m, completion: done.callback) }
        return done.wait(for: messages.count)
    }

    /// Indexes everything pending for search and waits (what the API does before a search).
    func flushSearchIndexAndWait() {
        let done = Completions<Void>()
        flushSearchIndex(completion: done.callback)
        _ = done.wait(for: 1)
    }

    /// Messages in the search index once everything queued is applied.
    var searchRows: Int { indexRows("indexed") }

    /// Runs `body` on the search file's write connection once everything queued is applied
    /// (nil if the index is closed or failed).
    func onSearchFile<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) -> T? {
        let result = Mutex<T?>(nil)
        let done = WakeSignal()
        searchIndex.perform { applier in
            defer { done.signal() }
            guard let applier else { return }
            result.withLock { $0 = try? body(applier.search) }
        }
        done.wait()
        return result.withLock { $0 }
    }

    /// Runs `body` on a read connection to the store with the search file attached (the
    /// search applier's), once everything queued is applied.
    func onIndexedStore<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) throws -> T {
        let result = Mutex<Result<T, StoreError>>(.failure(.closed))
        let done = WakeSignal()
        searchIndex.perform { applier in
            defer { done.signal() }
            guard let applier else { return }
            result.withLock { r in r = Result { try body(applier.store.database) }.mapError { StoreError($0) } }
        }
        done.wait()
        return try result.withLock { $0 }.get()
    }

    /// Counts rows of `table` in the search file once everything queued is applied.
    func indexRows(_ table: String) -> Int {
        onSearchFile { db in Int(try db.scalarInt("SELECT count(*) FROM \(table)") ?? -1) } ?? -1
    }

    /// Counts rows of `table` on the write connection.
    func rows(_ table: String) -> Int {
        (try? writeAndWait { db in Int(try db.scalarInt("SELECT count(*) FROM \(table)") ?? -1) }.get()) ?? -1
    }
}

extension Result {
    var failure: Failure? { if case .failure(let e) = self { e } else { nil } }
}
