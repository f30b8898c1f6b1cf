import MailgateStore
import MailgateWebhooks
import Synchronization

/// The webhooks reach the database through the store: writes join the store writer's group
/// commit (one writer connection, ARCHITECTURE.md), reads use their own read-only connections.
struct StoreWebhookStorage: WebhookStorage {
    let store: Store

    /// A job's own error (a `WebhookError.notFound`, say) reaches the completion unchanged: the
    /// store reports foreign errors as `.io`, which would turn a 404 into a 500.
    func write(_ job: @escaping @Sendable (Database) throws -> Void, completion: @escaping @Sendable ((any Error)?) -> Void) {
        let thrown = Mutex<WebhookError?>(nil)
        store.write({ db in
            do {
                try job(db)
            } catch let error as WebhookError {
                thrown.withLock { $0 = error }
                throw error
            }
        }, completion: { result in
            switch result {
            case .success: completion(nil)
            case .failure(let error): completion(thrown.withLock { $0 } ?? error as any Error)
            }
        })
    }

    func openReadConnection() throws -> Database {
        let db = try Database(path: store.path, mode: .readOnly)
        try db.execute("PRAGMA busy_timeout = 5000")
        return db
    }
}
