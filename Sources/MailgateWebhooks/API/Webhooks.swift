import Dispatch
import MailgateCore
import MailgateStore
import Synchronization

/// The webhooks as the rest of Mailgate sees them: the outbox the store fills, the dispatcher,
/// and the operations of the HTTP API. Reads take the caller's read connection; writes go
/// through the store's writer and answer on its thread after COMMIT.
public final class Webhooks: Sendable {
    public let outbox = Outbox()
    public let dispatcher: WebhookDispatcher
    public let metrics: WebhookMetrics
    private let storage: any WebhookStorage

    public init(storage: any WebhookStorage, configuration: DispatcherConfiguration = DispatcherConfiguration(),
                payloadProvider: @escaping PayloadProvider) {
        self.storage = storage
        metrics = WebhookMetrics()
        dispatcher = WebhookDispatcher(storage: storage, configuration: configuration, metrics: metrics,
                                       payloadProvider: payloadProvider)
    }

    public func start() throws(WebhookDispatcher.StartError) { try dispatcher.start() }
    public func stop() { dispatcher.stop() }
    /// Call after each commit that added deliveries (Outbox.enqueue returned more than 0).
    public func wake() { dispatcher.wake() }

    // MARK: Writes (completion on the writer thread, after COMMIT)

    /// POST /api/v1/webhooks → 201 with `subscriber.json(includeSecret: true)`.
    public func create(_ new: NewSubscriber, completion: @escaping @Sendable (Result<Subscriber, WebhookError>) -> Void) {
        mutate({ db in try db.insertSubscriber(new, now: Clock.nowMilliseconds()) }, completion)
    }

    /// PATCH /api/v1/webhooks/{id} → 200 with `subscriber.json(includeSecret: patch.rotatesSecret)`.
    public func update(id: String, patch: SubscriberPatch,
                       completion: @escaping @Sendable (Result<Subscriber, WebhookError>) -> Void) {
        mutate({ db in
            guard let s = try db.updateSubscriber(id: id, patch: patch, now: Clock.nowMilliseconds()) else {
                throw WebhookError.notFound("webhook \(id) does not exist")
            }
            return s
        }, completion)
    }

    /// DELETE /api/v1/webhooks/{id} → 204; its pending deliveries are cancelled.
    public func delete(id: String, completion: @escaping @Sendable (Result<Void, WebhookError>) -> Void) {
        mutate({ db in
            guard try db.deleteSubscriber(id: id, now: Clock.nowMilliseconds()) else {
                throw WebhookError.notFound("webhook \(id) does not exist")
            }
        }, completion)
    }

    /// POST /api/v1/deliveries/{id}/retry → 202 with `delivery.json()`.
    public func retry(deliveryID: String, completion: @escaping @Sendable (Result<Delivery, WebhookError>) -> Void) {
        let dispatcher = self.dispatcher
        mutate({ db in
            guard let d = try db.retryDelivery(id: deliveryID, now: Clock.nowMilliseconds()) else {
                throw WebhookError.notFound("delivery \(deliveryID) does not exist")
            }
            return d
        }) { result in
            if case .success = result { dispatcher.wake() }
            completion(result)
        }
    }

    /// POST /api/v1/webhooks/{id}/test → 202 with `delivery.json()` of the webhook.test delivery.
    public func sendTest(webhookID: String, completion: @escaping @Sendable (Result<Delivery, WebhookError>) -> Void) {
        let dispatcher = self.dispatcher
        mutate({ db in try db.insertTestDelivery(webhookID: webhookID, now: Clock.nowMilliseconds()) }) { result in
            if case .success = result { dispatcher.wake() }
            completion(result)
        }
    }

    /// MAILGATE_WEBHOOK_URL / _SECRET / _INLINE at start-up; blocks until committed.
    /// `created` tells whether the subscriber is new (then log its secret once if it was generated).
    public func ensureDefaultSubscriber(url: String, secret: String?,
                                        inline: InlineContent = .linksOnly) throws(WebhookError) -> (subscriber: Subscriber, created: Bool) {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<(subscriber: Subscriber, created: Bool), WebhookError>?>(nil)
        mutate({ db in try db.ensureDefaultSubscriber(url: url, secret: secret, inline: inline, now: Clock.nowMilliseconds()) }) { result in
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        switch outcome.withLock({ $0 }) {
        case .success(let value)?: return value
        case .failure(let error)?: throw error
        case nil: throw .storage("no answer from the store")
        }
    }

    /// Runs a job on the writer and maps its value or error. Subscriber views are invalidated again
    /// after COMMIT or ROLLBACK: one loaded between the job and the commit must not survive it.
    private func mutate<T: Sendable>(_ job: @escaping @Sendable (Database) throws -> T,
                                     _ completion: @escaping @Sendable (Result<T, WebhookError>) -> Void) {
        let box = Mutex<T?>(nil)
        storage.write({ db in
            let value = try job(db)
            box.withLock { $0 = value }
        }, completion: { error in
            SubscriberChanges.bump()
            if let error { return completion(.failure(.wrap(error))) }
            guard let value = box.withLock({ $0 }) else { return completion(.failure(.storage("the write did not run"))) }
            completion(.success(value))
        })
    }
}
