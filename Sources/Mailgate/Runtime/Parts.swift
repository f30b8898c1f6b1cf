import Glibc
import MailgateCore
import MailgateHTTP
import MailgateIO
import MailgateStore

/// The running gateway's components, wired together.
final class Parts {
    let configuration: Configuration
    let logger: Logger
    let store: Store
    let group: EventLoopGroup
    let metrics: GatewayMetrics
    let events: EventHub
    let readiness: Readiness
    let http: HTTPServices
    let webhooks: WebhookWiring

    private init(configuration: Configuration, logger: Logger, store: Store, group: EventLoopGroup,
                 metrics: GatewayMetrics, events: EventHub, readiness: Readiness, http: HTTPServices,
                 webhooks: WebhookWiring) {
        self.configuration = configuration
        self.logger = logger
        self.store = store
        self.group = group
        self.metrics = metrics
        self.events = events
        self.readiness = readiness
        self.http = http
        self.webhooks = webhooks
    }

    static func start(_ c: Configuration, logger: Logger) throws -> Parts {
        let store: Store
        do {
            store = try Store(options: StoreOptions(path: c.databasePath, extraMigrations: WebhookWiring.migrations))
        } catch {
            throw StartupError(message: "cannot open the database", fields: ["MAILGATE_DB": c.databasePath, "error": "\(error)"])
        }
        let metrics = GatewayMetrics()
        let events = EventHub()
        let readiness = Readiness()
        let webhooks: WebhookWiring
        do {
            webhooks = try WebhookWiring(configuration: c, store: store, logger: logger)
        } catch {
            store.close()
            throw StartupError(message: "cannot start the webhook dispatcher", fields: ["error": "\(error)"])
        }
        let ingest = MessageIngest(store: store, metrics: metrics, logger: logger, events: events)
        let group: EventLoopGroup
        do {
            group = try EventLoopGroup(loopCount: c.threads)
        } catch {
            webhooks.stop()
            store.close()
            throw StartupError(message: "cannot start the event loops", fields: ["error": "\(error)"])
        }
        let contexts = LoopContexts(store: store)
        let http: HTTPServices
        let metricsText: @Sendable () -> String = { [weak webhooks] in
            MetricsExposition.render(gateway: metrics, store: store.metrics, sseClients: events.count) { p in
                webhooks?.renderMetrics(&p)
            }
        }
        do {
            let routes = MessagesAPI(store: store).routes
                + WebhooksAPI(webhooks: webhooks.webhooks).routes
                + OperationsAPI(store: store, readiness: readiness, metricsText: metricsText).routes
            http = try HTTPServices(routes: routes, configuration: c, metrics: metrics, events: events, logger: logger)
        } catch {
            group.shutdown(); webhooks.stop(); store.close()
            throw StartupError(message: "bad route table", fields: ["error": "\(error)"])
        }
        let smtp = SMTPServices(configuration: c, ingest: ingest, metrics: metrics, logger: logger)
        let smtpAddress = hostPort(c.smtpHost, c.smtpPort), httpAddress = hostPort(c.httpHost, c.httpPort)
        let smtpInfo: ListenerInfo, httpInfo: ListenerInfo
        do {
            smtpInfo = try group.listen(
                address: smtpAddress,
                limits: ConnectionLimits(maxConnections: c.maxConnections, maxConnectionsPerIP: c.maxConnectionsPerIP,
                                         rejection: Array("421 4.7.0 \(c.hostname) Error: too many connections\r\n".utf8),
                                         onRefusal: { metrics.smtpRejections.increment($0.rawValue) })
            ) { connection in SMTPConnectionHandler(connection: connection, services: smtp) }
        } catch {
            group.shutdown(); webhooks.stop(); store.close()
            throw StartupError(message: "cannot listen for SMTP", fields: ["MAILGATE_SMTP_ADDR": smtpAddress, "error": "\(error)"])
        }
        do {
            let busy = HTTPResponseWriter.serialize(APIError.response(status: 503, message: "too many connections"),
                                                    isHEAD: false, keepAlive: false, date: Timestamp.httpDate(seconds: Clock.nowMilliseconds() / 1000))
            httpInfo = try group.listen(
                address: httpAddress,
                limits: ConnectionLimits(maxConnections: c.httpMaxConnections, maxConnectionsPerIP: 0, rejection: busy)
            ) { connection in HTTPConnectionHandler(services: http, context: contexts.context(for: connection.loop)) }
        } catch {
            group.shutdown(); webhooks.stop(); store.close()
            throw StartupError(message: "cannot listen for HTTP", fields: ["MAILGATE_HTTP_ADDR": httpAddress, "error": "\(error)"])
        }
        if c.retentionMilliseconds > 0 {
            do {
                try store.startRetention(maxAgeMilliseconds: c.retentionMilliseconds)
            } catch {
                logger.warn("retention could not start", ["error": "\(error)"])
            }
        }
        readiness.set(notReady: nil)
        logger.info("listening", ["smtp": smtpInfo.description, "http": httpInfo.description, "db": c.databasePath,
                                  "threads": String(c.threads), "hostname": c.hostname])
        return Parts(configuration: c, logger: logger, store: store, group: group, metrics: metrics, events: events,
                     readiness: readiness, http: http, webhooks: webhooks)
    }
}
