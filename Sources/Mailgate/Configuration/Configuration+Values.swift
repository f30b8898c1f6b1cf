import Glibc
import MailgateWebhooks

extension Configuration {
    /// Builds a configuration from one text value per setting (see `Settings.all`).
    init(values: [String: String]) throws {
        self.init()
        func value(_ env: String) -> String { values[env] ?? "" }
        func fail(_ env: String, _ reason: String) -> ConfigurationError {
            ConfigurationError(setting: env, value: value(env), reason: reason)
        }
        func address(_ env: String) throws -> (String, Int) {
            guard let a = ValueParsers.address(value(env)) else { throw fail(env, "expected host:port") }
            return a
        }
        func duration(_ env: String) throws -> Int64 {
            guard let d = ValueParsers.duration(value(env)) else { throw fail(env, "expected a duration such as 30s, 5m, 12h, 30d or 0") }
            return d
        }
        func count(_ env: String, min: Int = 1, max: Int = Int.max) throws -> Int {
            guard let n = ValueParsers.count(value(env), min: min, max: max) else {
                throw fail(env, max == Int.max ? "expected a whole number >= \(min)" : "expected a whole number from \(min) to \(max)")
            }
            return n
        }
        func choice(_ env: String, _ options: [String]) throws -> String {
            let v = value(env).trimmingSpaces().lowercased()
            guard options.contains(v) else { throw fail(env, "expected one of " + options.joined(separator: ", ")) }
            return v
        }
        func optional(_ env: String) -> String? {
            let v = value(env).trimmingSpaces()
            return v.isEmpty ? nil : v
        }

        (smtpHost, smtpPort) = try address("MAILGATE_SMTP_ADDR")
        (httpHost, httpPort) = try address("MAILGATE_HTTP_ADDR")
        guard let db = optional("MAILGATE_DB") else { throw fail("MAILGATE_DB", "must not be empty") }
        databasePath = db
        hostname = optional("MAILGATE_HOSTNAME") ?? Configuration.systemHostname()
        // The name goes into the greeting and Received headers (RFC 5321 §4.1.3, §4.4): one token.
        if hostname.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
            throw fail("MAILGATE_HOSTNAME", "must be a domain name without spaces or control characters")
        }
        let t = try count("MAILGATE_THREADS", min: 0, max: 256)
        threads = t == 0 ? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) : t
        retentionMilliseconds = try duration("MAILGATE_RETENTION")
        shutdownGraceMilliseconds = try duration("MAILGATE_SHUTDOWN_GRACE")
        guard let level = LogLevel(rawValue: try choice("MAILGATE_LOG_LEVEL", ["debug", "info", "warn", "error"])) else {
            throw fail("MAILGATE_LOG_LEVEL", "unknown level")
        }
        logLevel = level
        logFormat = try choice("MAILGATE_LOG_FORMAT", ["text", "json"]) == "json" ? .json : .text

        guard let size = ValueParsers.size(value("MAILGATE_MAX_MESSAGE_SIZE")), size >= 1024 else {
            throw fail("MAILGATE_MAX_MESSAGE_SIZE", "expected a size in octets of at least 1024 (e.g. 26214400 or 25M)")
        }
        maxMessageSize = size
        maxRecipients = try count("MAILGATE_MAX_RECIPIENTS")
        acceptList = ValueParsers.list(value("MAILGATE_ACCEPT")).map { $0.lowercased() }
        for entry in acceptList where entry.contains(" ") || entry.hasPrefix("@") || entry.hasSuffix("@") {
            throw fail("MAILGATE_ACCEPT", "\"\(entry)\" is neither a domain nor an address")
        }
        maxConnections = try count("MAILGATE_MAX_CONNECTIONS")
        maxConnectionsPerIP = try count("MAILGATE_MAX_CONNECTIONS_PER_IP")
        smtpMaxLine = try count("MAILGATE_SMTP_MAX_LINE", min: 512)
        smtpMaxTextLine = try count("MAILGATE_SMTP_MAX_TEXT_LINE", min: 1000)
        smtpIdleTimeoutMilliseconds = try duration("MAILGATE_SMTP_IDLE_TIMEOUT")
        smtpSessionTimeoutMilliseconds = try duration("MAILGATE_SMTP_SESSION_TIMEOUT")
        smtpMaxErrors = try count("MAILGATE_SMTP_MAX_ERRORS")
        smtpMaxIdleCommands = try count("MAILGATE_SMTP_MAX_IDLE_COMMANDS")
        smtpMaxMessagesPerConnection = try count("MAILGATE_SMTP_MAX_MESSAGES_PER_CONNECTION")
        smtpMaxReceivedHeaders = try count("MAILGATE_SMTP_MAX_RECEIVED_HEADERS")
        smtpNormalizeBareLineEndings = try choice("MAILGATE_SMTP_BARE_LINE_ENDINGS", ["reject", "normalize"]) == "normalize"
        smtpRejectEarlyTalkers = try choice("MAILGATE_SMTP_EARLY_TALKER", ["reject", "allow"]) == "reject"
        smtpGreetDelayMilliseconds = try duration("MAILGATE_SMTP_GREET_DELAY")

        apiToken = optional("MAILGATE_API_TOKEN")
        metricsNeedToken = try choice("MAILGATE_METRICS_AUTH", ["api", "open"]) == "api"
        httpMaxConnections = try count("MAILGATE_HTTP_MAX_CONNECTIONS")
        httpTimeoutMilliseconds = try duration("MAILGATE_HTTP_TIMEOUT")

        // The webhook values are checked here with the webhook module's own rules, so a bad one
        // stops start-up with one line naming the setting instead of a dispatcher error.
        webhookURL = optional("MAILGATE_WEBHOOK_URL")
        if let url = webhookURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw fail("MAILGATE_WEBHOOK_URL", "expected an http:// or https:// URL")
        }
        if let url = webhookURL, let problem = WebhookURL.problem(url) { throw fail("MAILGATE_WEBHOOK_URL", problem) }
        webhookSecret = optional("MAILGATE_WEBHOOK_SECRET")
        if let secret = webhookSecret {
            do { _ = try WebhookSecret.normalize(secret) } catch {
                if case .invalid(let fields) = error, let first = fields.first { throw fail("MAILGATE_WEBHOOK_SECRET", first.message) }
                throw fail("MAILGATE_WEBHOOK_SECRET", error.message)
            }
        }
        webhookRetrySchedule = value("MAILGATE_WEBHOOK_RETRY_SCHEDULE")
        do { _ = try RetrySchedule(parsing: webhookRetrySchedule) } catch {
            throw fail("MAILGATE_WEBHOOK_RETRY_SCHEDULE", error.message)
        }
        webhookTimeoutMilliseconds = try duration("MAILGATE_WEBHOOK_TIMEOUT")
        webhookConcurrency = try count("MAILGATE_WEBHOOK_CONCURRENCY")
        webhookGlobalConcurrency = try count("MAILGATE_WEBHOOK_GLOBAL_CONCURRENCY")
        for part in value("MAILGATE_WEBHOOK_INLINE").split(separator: ",") {
            switch part.filter({ $0 != " " }) {
            case "raw": webhookInline.raw = true
            case "attachments": webhookInline.attachments = true
            case "": break
            default: throw fail("MAILGATE_WEBHOOK_INLINE", "expected a comma-separated list of raw and attachments")
            }
        }
        guard let inlineMax = ValueParsers.size(value("MAILGATE_WEBHOOK_INLINE_MAX_BYTES")),
              (1...InlineContent.maxMaxBytes).contains(inlineMax) else {
            throw fail("MAILGATE_WEBHOOK_INLINE_MAX_BYTES", "expected a size from 1 to 10M")
        }
        webhookInline.maxBytes = inlineMax
        for name in ["MAILGATE_WEBHOOK_ALLOW", "MAILGATE_WEBHOOK_DENY"] {
            let list: [CIDR]
            do { list = try AddressPolicy.parseList(value(name)) } catch { throw fail(name, error.message) }
            if name.hasSuffix("ALLOW") { webhookAddressPolicy.allow = list } else { webhookAddressPolicy.deny = list }
        }
        publicURL = optional("MAILGATE_PUBLIC_URL").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        if let url = publicURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw fail("MAILGATE_PUBLIC_URL", "expected an http:// or https:// URL")
        }
        if let url = publicURL, let problem = WebhookURL.problem(url) { throw fail("MAILGATE_PUBLIC_URL", problem) }
    }
}
