import MailgateStore

/// How the webhooks reach the database. The store owns the only write connection on its writer
/// thread; the webhooks never open one of their own (ARCHITECTURE.md: one writer, group commit).
public protocol WebhookStorage: Sendable {
    /// Runs `job` on the store's writer thread inside a transaction (group-committed); completion after COMMIT.
    func write(_ job: @escaping @Sendable (Database) throws -> Void, completion: @escaping @Sendable (Error?) -> Void)
    /// Opens a new read-only connection for the calling thread.
    func openReadConnection() throws -> Database
}
