/// Every `MAILGATE_*` setting, with its default. Keep docs/OPERATIONS.md in step: a test checks
/// that every setting here is documented there and every documented one exists here.
public enum Settings {
    public static let all: [Setting] = [
        // Listeners and storage.
        Setting("MAILGATE_SMTP_ADDR", "0.0.0.0:2525", "SMTP listen address host:port (port 0 picks a free port)"),
        Setting("MAILGATE_HTTP_ADDR", "0.0.0.0:8025", "HTTP API listen address host:port (port 0 picks a free port)"),
        Setting("MAILGATE_DB", "./mailgate.db", "SQLite database file (WAL mode; -wal and -shm files beside it)"),
        Setting("MAILGATE_HOSTNAME", "", "name in the SMTP greeting and Received headers (default: the host name)"),
        Setting("MAILGATE_THREADS", "0", "event-loop threads (0 = one per core)"),
        Setting("MAILGATE_RETENTION", "30d", "delete messages, and finished webhook deliveries, older than this (e.g. 30d, 12h; 0 = keep forever)"),
        Setting("MAILGATE_SHUTDOWN_GRACE", "30s", "on SIGTERM, how long open SMTP transactions may take to finish"),
        Setting("MAILGATE_LOG_LEVEL", "info", "debug, info, warn or error"),
        Setting("MAILGATE_LOG_FORMAT", "text", "text or json (one JSON object per line on stderr)"),

        // SMTP limits (SMTP.md, "Limits and abuse").
        Setting("MAILGATE_MAX_MESSAGE_SIZE", "26214400", "largest message in octets, advertised in EHLO SIZE (suffixes K, M, G allowed)"),
        Setting("MAILGATE_MAX_RECIPIENTS", "100", "recipients per message; more get 452 4.5.3"),
        Setting("MAILGATE_ACCEPT", "", "comma-separated domains and addresses to accept mail for (empty = all)"),
        Setting("MAILGATE_MAX_CONNECTIONS", "10000", "concurrent SMTP connections in total"),
        Setting("MAILGATE_MAX_CONNECTIONS_PER_IP", "50", "concurrent SMTP connections per client IP"),
        Setting("MAILGATE_SMTP_MAX_LINE", "2048", "longest SMTP command line in octets"),
        Setting("MAILGATE_SMTP_MAX_TEXT_LINE", "65536", "longest line of message text in octets before it counts as abuse"),
        Setting("MAILGATE_SMTP_IDLE_TIMEOUT", "300s", "idle time allowed between SMTP commands"),
        Setting("MAILGATE_SMTP_SESSION_TIMEOUT", "30m", "longest SMTP session"),
        Setting("MAILGATE_SMTP_MAX_ERRORS", "20", "errors per SMTP session before 421 and close"),
        Setting("MAILGATE_SMTP_MAX_IDLE_COMMANDS", "100", "NOOP/RSET/VRFY outside a transaction before 421 and close"),
        Setting("MAILGATE_SMTP_MAX_MESSAGES_PER_CONNECTION", "1000", "messages per SMTP connection"),
        Setting("MAILGATE_SMTP_MAX_RECEIVED_HEADERS", "50", "Received headers above which a message is a mail loop (554 5.4.6)"),
        Setting("MAILGATE_SMTP_BARE_LINE_ENDINGS", "reject", "reject: bare CR or LF in DATA is refused (550 5.5.2); normalize: bare LF is a line break"),
        Setting("MAILGATE_SMTP_EARLY_TALKER", "reject", "reject: a client that talks before the greeting gets 554 and is closed; allow: tolerate it"),
        Setting("MAILGATE_SMTP_GREET_DELAY", "0", "wait this long before the greeting, to catch early talkers (e.g. 1s; 0 = greet at once)"),

        // HTTP API.
        Setting("MAILGATE_API_TOKEN", "", "bearer token required on /api/ routes (empty = no auth)"),
        Setting("MAILGATE_METRICS_AUTH", "api", "api: /metrics needs the API token like /api/; open: /metrics is open"),
        Setting("MAILGATE_HTTP_MAX_CONNECTIONS", "1024", "concurrent HTTP connections"),
        Setting("MAILGATE_HTTP_TIMEOUT", "30s", "time allowed to receive a request's headers and body (slower clients get 408)"),

        // Webhooks (WEBHOOKS.md).
        Setting("MAILGATE_WEBHOOK_URL", "", "declare a subscriber at start-up that receives every message"),
        Setting("MAILGATE_WEBHOOK_SECRET", "", "its signing secret (whsec_...; generated and logged when empty)"),
        Setting("MAILGATE_WEBHOOK_RETRY_SCHEDULE", "5s,5m,30m,2h,5h,10h,14h,20h,24h", "delays between attempts after a failure (each with +/-20% jitter)"),
        Setting("MAILGATE_WEBHOOK_TIMEOUT", "15s", "total time allowed for one webhook request"),
        Setting("MAILGATE_WEBHOOK_CONCURRENCY", "4", "requests in flight per subscriber"),
        Setting("MAILGATE_WEBHOOK_GLOBAL_CONCURRENCY", "64", "requests in flight over all subscribers"),
        Setting("MAILGATE_WEBHOOK_INLINE", "", "what the MAILGATE_WEBHOOK_URL subscriber's payloads inline: raw, attachments (comma-separated; empty = links only)"),
        Setting("MAILGATE_WEBHOOK_INLINE_MAX_BYTES", "1M", "largest raw message or attachment it inlines (suffixes K, M; at most 10M)"),
        Setting("MAILGATE_WEBHOOK_ALLOW", "", "comma-separated CIDRs webhook requests may connect to (empty = any address)"),
        Setting("MAILGATE_WEBHOOK_DENY", "", "comma-separated CIDRs webhook requests may not connect to (wins over the allow list)"),
        Setting("MAILGATE_PUBLIC_URL", "", "public base URL of the API; makes links in webhook payloads absolute"),
    ]

    public static func named(_ env: String) -> Setting? { all.first { $0.env == env } }
}
