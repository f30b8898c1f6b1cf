/// One numbered schema change. Migrations run in version order at start-up, each in its own
/// transaction, and `PRAGMA user_version` records the last one applied. Modules that own tables
/// (the store, the webhooks) contribute their own migrations with distinct version numbers:
/// the store uses 1...99, the webhooks 100...199.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
