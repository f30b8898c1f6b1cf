/// The life of a delivery: `pending` until a 2xx (`succeeded`), the retry schedule runs out or
/// the endpoint answers 410 (`failed`), or its subscriber or message goes away (`cancelled`).
public enum DeliveryStatus: String, Sendable, CaseIterable {
    case pending, succeeded, failed, cancelled
}

/// The event a delivery carries.
public enum WebhookEventType {
    public static let messageReceived = "message.received"
    public static let test = "webhook.test"
}

/// One event for one subscriber. Its id is the `webhook-id` (after `msg_`), the same on every retry.
public struct Delivery: Sendable, Equatable {
    public var id: String
    public var webhookID: String
    public var eventType: String
    /// nil for events that are not about a message (webhook.test).
    public var messageID: String?
    public var status: DeliveryStatus
    public var attempts: Int
    /// When the next attempt is due; nil once the delivery is final.
    public var nextAttemptAt: Int64?
    public var lastAttemptAt: Int64?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var createdAt: Int64
}

/// One POST of a delivery, recorded before it is sent and completed after.
public struct DeliveryAttempt: Sendable, Equatable {
    public var startedAt: Int64
    /// nil while the attempt runs (or when the process stopped during it).
    public var durationMilliseconds: Int64?
    public var statusCode: Int?
    public var error: String?
    /// The first bytes of the response body (2 KiB by default).
    public var responseExcerpt: [UInt8]
}

/// A delivery with every attempt (GET /api/v1/deliveries/{id}).
public struct DeliveryDetail: Sendable, Equatable {
    public var delivery: Delivery
    public var attempts: [DeliveryAttempt]
}

/// One page of a keyset-paginated list, newest first.
public struct DeliveryPage: Sendable, Equatable {
    public var items: [Delivery]
    /// Pass as `cursor` to get the next page; nil on the last page.
    public var nextCursor: String?
}
