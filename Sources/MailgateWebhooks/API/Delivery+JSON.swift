import MailgateCore

/// Delivery objects of the API (API.md): `{id, webhook_id, message_id, status, attempts,
/// next_attempt_at, last_attempt_at, last_status_code, last_error}` plus `type` and `created_at`.
extension Delivery {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        writeFields(to: &w)
        w.endObject()
    }

    func writeFields(to w: inout JSONWriter) {
        w.field("id", id)
        w.field("webhook_id", webhookID)
        w.field("type", eventType)
        w.field("message_id", messageID)
        w.field("status", status.rawValue)
        w.field("attempts", attempts)
        w.field("next_attempt_at", nextAttemptAt.map { Timestamp.rfc3339(milliseconds: $0) })
        w.field("last_attempt_at", lastAttemptAt.map { Timestamp.rfc3339(milliseconds: $0) })
        w.key("last_status_code")
        if let lastStatusCode { w.int(lastStatusCode) } else { w.null() }
        w.field("last_error", lastError)
        w.field("created_at", Timestamp.rfc3339(milliseconds: createdAt))
    }

    public func json() -> [UInt8] {
        var w = JSONWriter(capacity: 384)
        write(to: &w)
        return w.bytes
    }
}

extension DeliveryPage {
    /// `{"items": [...], "next_cursor": "..."|null}`.
    public func json() -> [UInt8] {
        var w = JSONWriter(capacity: 128 + items.count * 384)
        w.beginObject()
        w.key("items")
        w.beginArray()
        for d in items { d.write(to: &w) }
        w.endArray()
        w.field("next_cursor", nextCursor)
        w.endObject()
        return w.bytes
    }
}

extension DeliveryDetail {
    /// The delivery object plus `attempt_history`: every attempt, oldest first.
    public func json() -> [UInt8] {
        var w = JSONWriter(capacity: 512 + attempts.count * 2600)
        w.beginObject()
        delivery.writeFields(to: &w)
        w.key("attempt_history")
        w.beginArray()
        for a in attempts {
            w.beginObject()
            w.field("started_at", Timestamp.rfc3339(milliseconds: a.startedAt))
            w.key("duration_ms")
            if let d = a.durationMilliseconds { w.int(d) } else { w.null() }
            w.key("status_code")
            if let c = a.statusCode { w.int(c) } else { w.null() }
            w.field("error", a.error)
            // The excerpt may end inside a UTF-8 sequence or not be text at all: decoded leniently.
            // No body (or no answer at all) is null, as openapi.yaml says.
            w.field("response_excerpt", a.responseExcerpt.isEmpty ? nil : String(decoding: a.responseExcerpt, as: UTF8.self))
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes
    }
}
