import MailgateHTTP
import MailgateIO
import MailgateStore
import Synchronization

/// Per-loop-thread resources for the HTTP API: the loop's own read-only SQLite connection and its
/// cached Date header. Confined to that loop's thread (ARCHITECTURE.md: readers per loop).
final class LoopContext {
    let loop: EventLoop
    private let store: Store
    private var openedReader: MessageReader?
    private var openedWebhookDatabase: Database?
    var dateCache = HTTPDateCache()

    init(loop: EventLoop, store: Store) {
        self.loop = loop
        self.store = store
    }

    /// The loop's reader, opened on first use; nil when the database cannot be opened.
    func reader() throws -> MessageReader {
        if let r = openedReader { return r }
        let r = try store.openReader()
        openedReader = r
        return r
    }

    /// The loop's read connection for the webhook tables.
    func webhookDatabase() throws -> Database {
        if let db = openedWebhookDatabase { return db }
        let db = try StoreWebhookStorage(store: store).openReadConnection()
        openedWebhookDatabase = db
        return db
    }
}

/// Finds (or makes) the context of the calling loop.
final class LoopContexts: Sendable {
    private let contexts = Mutex<[Int: LoopBound<LoopContext>]>([:])
    private let store: Store

    init(store: Store) { self.store = store }

    /// Call on `loop`'s thread.
    func context(for loop: EventLoop) -> LoopContext {
        contexts.withLock { map in
            if let c = map[loop.index] { return c.value }
            let c = LoopContext(loop: loop, store: store)
            map[loop.index] = LoopBound(c)
            return c
        }
    }
}
