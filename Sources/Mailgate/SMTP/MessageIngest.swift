import MailgateCore
import MailgateMIME
import MailgateSMTP
import MailgateStore

/// The ingest path of one accepted message: parse and render it once (MailgateMIME, on the
/// calling loop thread), hand it to the store's group-commit writer, and report the outcome that
/// decides the SMTP reply. The completion runs on the writer thread after COMMIT returned.
final class MessageIngest: Sendable {
    let store: Store
    let metrics: GatewayMetrics
    let logger: Logger
    let events: EventHub

    init(store: Store, metrics: GatewayMetrics, logger: Logger, events: EventHub) {
        self.store = store
        self.metrics = metrics
        self.logger = logger
        self.events = events
    }

    func submit(_ message: ReceivedMessage, completion: @escaping @Sendable (DeliveryOutcome) -> Void) {
        let started = Clock.monotonicNanoseconds()
        let record = MessageRendering.makeNewMessage(id: message.id, receivedAt: message.receivedAt,
                                                     envelope: message.envelope, raw: message.data)
        metrics.parseSeconds.observe(Double(Clock.monotonicNanoseconds() - started) / 1e9)
        let size = message.data.count
        let id = message.id
        let metrics = self.metrics, logger = self.logger, events = self.events
        let summary = record.summaryJSON
        store.append(record) { result in
            switch result {
            case .success:
                metrics.messagesAccepted.increment()
                metrics.messageBytes.increment(by: size)
                completion(.stored)
                events.publish(event: "message.received", data: summary)
            case .failure(let error):
                // RFC 5321 §4.2.5: a 4yz reply keeps the message with the client, which retries.
                let diskFull = error == .diskFull
                metrics.smtpRejections.increment(diskFull ? "store_disk_full" : "store_error")
                logger.error("store failed; message refused with a temporary error",
                             ["id": id, "error": "\(error)"])
                completion(diskFull ? .diskFull : .temporaryFailure)
            }
        }
    }
}
