import MailgateStore
import MailgateWebhooks

/// The webhooks reach the database through the store: writes join the store writer's group
/// commit (one writer connection, ARCHITECTURE.md), reads use their own read-only connections.
struct StoreWebhookStorage: WebhookStorage {
    let store: Store

    func write(_ job: @escaping @Sendable (Database) throws -> Void, completion: @escaping @Sendable ((any Error)?) -> Void) {
        store.write(job) { result in
            switch result {
            case .success: completion(nil)
            case .failure(let error): completion(error)
            }
        }
    }

    func openReadConnection() throws -> Database {
        let db = try Database(path: store.path, mode: .readOnly)
        try db.execute("PRAGMA busy_timeout = 5000")
        return db
    }
}
