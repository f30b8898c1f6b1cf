import MailgateCore

/// The request bodies: `{"type", "timestamp", "data"}` (Standard Webhooks event shape).
public enum WebhookPayload {
    /// `message.received`: `data` is the full message JSON of GET /api/v1/messages/{id},
    /// inserted verbatim. `timestamp` is when the event happened (the delivery was created).
    public static func messageReceived(eventTime: Int64, message: [UInt8]) -> [UInt8] {
        var w = JSONWriter(capacity: message.count + 96)
        w.beginObject()
        w.field("type", WebhookEventType.messageReceived)
        w.field("timestamp", Timestamp.rfc3339(milliseconds: eventTime))
        w.key("data")
        w.raw(message)
        w.endObject()
        return w.bytes
    }

    /// `webhook.test`, sent by POST /api/v1/webhooks/{id}/test.
    public static func test(eventTime: Int64, webhookID: String) -> [UInt8] {
        var w = JSONWriter(capacity: 160)
        w.beginObject()
        w.field("type", WebhookEventType.test)
        w.field("timestamp", Timestamp.rfc3339(milliseconds: eventTime))
        w.key("data")
        w.beginObject()
        w.field("webhook_id", webhookID)
        w.field("message", "This is a test event from Mailgate.")
        w.endObject()
        w.endObject()
        return w.bytes
    }
}
