import Glibc
import MailgateWebhooks

/// The gateway's configuration, resolved from flags, then environment variables, then defaults.
public struct Configuration: Sendable {
    public var smtpHost = "0.0.0.0", smtpPort = 2525
    public var httpHost = "0.0.0.0", httpPort = 8025
    public var databasePath = "./mailgate.db"
    public var hostname = "localhost"
    public var threads = 1
    public var retentionMilliseconds: Int64 = 30 * 86_400_000
    public var shutdownGraceMilliseconds: Int64 = 30_000
    public var logLevel = LogLevel.info
    public var logFormat = LogFormat.text

    public var maxMessageSize = 25 << 20
    public var maxRecipients = 100
    public var acceptList: [String] = []
    public var maxConnections = 10_000
    public var maxConnectionsPerIP = 50
    public var smtpMaxLine = 2048
    public var smtpMaxTextLine = 65536
    public var smtpIdleTimeoutMilliseconds: Int64 = 300_000
    public var smtpSessionTimeoutMilliseconds: Int64 = 1_800_000
    public var smtpMaxErrors = 20
    public var smtpMaxIdleCommands = 100
    public var smtpMaxMessagesPerConnection = 1000
    public var smtpMaxReceivedHeaders = 50
    public var smtpNormalizeBareLineEndings = false
    public var smtpRejectEarlyTalkers = true
    public var smtpGreetDelayMilliseconds: Int64 = 0

    public var apiToken: String?
    public var metricsNeedToken = true
    public var httpMaxConnections = 1024
    public var httpTimeoutMilliseconds: Int64 = 30_000

    public var webhookURL: String?
    public var webhookSecret: String?
    public var webhookRetrySchedule = "5s,5m,30m,2h,5h,10h,14h,20h,24h"
    public var webhookTimeoutMilliseconds: Int64 = 15_000
    public var webhookConcurrency = 4
    public var webhookGlobalConcurrency = 64
    public var webhookAddressPolicy = AddressPolicy()
    public var webhookInline = InlineContent.linksOnly
    public var publicURL: String?

    public init() {}

    /// Resolves every setting: a `--flag value` or `--flag=value` in `arguments` wins over the
    /// environment variable, which wins over the default.
    public static func resolve(arguments: [String], environment: [String: String]) throws -> Configuration {
        var flags: [String: String] = [:]
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            let name: String, value: String
            if let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                value = String(arg[arg.index(after: eq)...])
            } else {
                name = arg
                guard i + 1 < arguments.count else {
                    throw ConfigurationError(setting: arg, value: "", reason: "missing value")
                }
                i += 1
                value = arguments[i]
            }
            guard let setting = Settings.all.first(where: { $0.flag == name }) else {
                throw ConfigurationError(setting: name, value: value, reason: "unknown option (see mailgate settings)")
            }
            flags[setting.env] = value
            i += 1
        }
        var values: [String: String] = [:]
        for setting in Settings.all {
            values[setting.env] = flags[setting.env] ?? environment[setting.env] ?? setting.defaultValue
        }
        return try Configuration(values: values)
    }

    /// The machine's host name, for the default greeting.
    static func systemHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}
