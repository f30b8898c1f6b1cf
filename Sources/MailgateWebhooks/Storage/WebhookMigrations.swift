import MailgateStore

/// The webhook tables (versions 100...199; the store owns 1...99). Times are milliseconds since
/// the Unix epoch. Deliveries name their message by its text id only: the messages table belongs
/// to the store, and a delivery whose message was deleted is cancelled when it comes due.
public enum WebhookMigrations {
    public static let migrations: [Migration] = [
        Migration(version: 100, name: "webhooks", sql: """
            CREATE TABLE webhooks (
                id TEXT PRIMARY KEY NOT NULL,
                url TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                secret TEXT NOT NULL,
                previous_secret TEXT,
                previous_secret_expires_at INTEGER,
                filter_recipients TEXT,
                enabled INTEGER NOT NULL DEFAULT 1,
                disabled_reason TEXT,
                is_default INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX webhooks_default ON webhooks(is_default) WHERE is_default = 1;

            CREATE TABLE webhook_deliveries (
                id TEXT PRIMARY KEY NOT NULL,
                webhook_id TEXT NOT NULL,
                event_type TEXT NOT NULL,
                message_id TEXT,
                status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'cancelled')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER,
                last_attempt_at INTEGER,
                last_status_code INTEGER,
                last_error TEXT,
                lease_until INTEGER,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX webhook_deliveries_due ON webhook_deliveries(webhook_id, next_attempt_at)
                WHERE status = 'pending';
            CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries(webhook_id, id);
            CREATE INDEX webhook_deliveries_by_webhook_status ON webhook_deliveries(webhook_id, status, id);

            CREATE TABLE webhook_attempts (
                id INTEGER PRIMARY KEY,
                delivery_id TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                duration_ms INTEGER,
                status_code INTEGER,
                error TEXT,
                response_excerpt BLOB
            );
            CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts(delivery_id, id);
            """),
        // InlineContent: what a subscriber's payloads carry besides links.
        Migration(version: 101, name: "webhook inline content", sql: """
            ALTER TABLE webhooks ADD COLUMN inline_raw INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE webhooks ADD COLUMN inline_attachments INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE webhooks ADD COLUMN inline_max_bytes INTEGER NOT NULL DEFAULT 1048576;
            """),
    ]
}
