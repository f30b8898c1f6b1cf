import MailgateSMTP

/// What every SMTP connection shares: settings, the ingest path, metrics and the logger.
final class SMTPServices: Sendable {
    let session: SMTPConfiguration
    let idleTimeoutMilliseconds: Int64
    let sessionTimeoutMilliseconds: Int64
    let greetDelayMilliseconds: Int64
    let ingest: MessageIngest
    let metrics: GatewayMetrics
    let logger: Logger

    init(configuration c: Configuration, ingest: MessageIngest, metrics: GatewayMetrics, logger: Logger) {
        session = SMTPConfiguration(
            hostname: c.hostname, maxMessageSize: c.maxMessageSize, maxRecipients: c.maxRecipients,
            acceptList: c.acceptList, maxCommandLine: c.smtpMaxLine, maxTextLine: c.smtpMaxTextLine,
            maxErrors: c.smtpMaxErrors, maxNonTransactionCommands: c.smtpMaxIdleCommands,
            maxMessagesPerConnection: c.smtpMaxMessagesPerConnection, maxReceivedHeaders: c.smtpMaxReceivedHeaders,
            bareLineEndings: c.smtpNormalizeBareLineEndings ? .normalize : .reject,
            rejectEarlyTalkers: c.smtpRejectEarlyTalkers)
        idleTimeoutMilliseconds = c.smtpIdleTimeoutMilliseconds
        sessionTimeoutMilliseconds = c.smtpSessionTimeoutMilliseconds
        greetDelayMilliseconds = c.smtpGreetDelayMilliseconds
        self.ingest = ingest
        self.metrics = metrics
        self.logger = logger
    }
}
