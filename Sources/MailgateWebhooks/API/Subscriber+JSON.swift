import MailgateCore

/// The subscriber object of the API: snake_case, RFC 3339 times with milliseconds.
extension Subscriber {
    /// The secret is shown only when `includeSecret` (at creation and after a rotation).
    public func write(to w: inout JSONWriter, includeSecret: Bool) {
        w.beginObject()
        w.field("id", id)
        w.field("url", url)
        w.field("description", description)
        // Always an object: no filter reads as `{"recipients": []}` (every message), the same
        // value a client may send, so a GET can be PATCHed back unchanged.
        w.key("filter")
        w.beginObject()
        w.field("recipients", strings: filter?.patterns ?? [])
        w.endObject()
        w.key("inline")
        w.beginObject()
        w.field("raw", inline.raw)
        w.field("attachments", inline.attachments)
        w.field("max_bytes", inline.maxBytes)
        w.endObject()
        w.field("enabled", enabled)
        w.field("disabled_reason", disabledReason)
        w.field("default", isDefault)
        w.field("created_at", Timestamp.rfc3339(milliseconds: createdAt))
        w.field("updated_at", Timestamp.rfc3339(milliseconds: updatedAt))
        if includeSecret { w.field("secret", secret) }
        w.endObject()
    }

    public func json(includeSecret: Bool = false) -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        write(to: &w, includeSecret: includeSecret)
        return w.bytes
    }

    /// `{"items": [...], "next_cursor": null}`: every subscriber in one page.
    public static func listJSON(_ subscribers: [Subscriber]) -> [UInt8] {
        var w = JSONWriter(capacity: 256 + subscribers.count * 320)
        w.beginObject()
        w.key("items")
        w.beginArray()
        for s in subscribers { s.write(to: &w, includeSecret: false) }
        w.endArray()
        w.field("next_cursor", nil as String?)
        w.endObject()
        return w.bytes
    }
}
