import MailgateCore
import MailgateMIME
import MailgateStore
import MailgateWebhooks

/// The `data` of a message.received payload: the stored message JSON, with what the
/// subscriber inlines (InlinePayload) and its links made absolute when MAILGATE_PUBLIC_URL is
/// set. Used on the dispatcher thread only.
final class PayloadSource: @unchecked Sendable {
    private let store: Store
    private let publicURL: String?
    private var reader: MessageReader?

    init(store: Store, publicURL: String?) {
        self.store = store
        self.publicURL = publicURL
    }

    func messageJSON(_ id: String, inline: InlineContent = .linksOnly) -> [UInt8]? {
        if reader == nil { reader = try? store.openReader() }
        guard let reader, var json = try? reader.messageJSON(id: id) else { return nil }
        if !inline.isLinksOnly {
            // A message deleted meanwhile cancels the delivery, like a missing JSON.
            guard let inlined = try? InlinePayload.add(inline, to: json, id: id, reader: reader) else { return nil }
            json = inlined
        }
        guard let base = publicURL else { return json }
        return AbsoluteLinks.rewrite(json, baseURL: base)
    }
}

/// Splices a subscriber's inlined content into a rendered message JSON, byte for byte around
/// it: `"content_base64"` right after the `url` of each attachment whose decoded size is at
/// most `maxBytes`, and `"raw_base64"` as the last member when the raw message is. The
/// anchors are written by MessageRendering, never by a sender (see AbsoluteLinks), and the
/// rest of the JSON is left as rendered.
enum InlinePayload {
    static func add(_ inline: InlineContent, to json: [UInt8], id: String, reader: MessageReader) throws -> [UInt8] {
        var out = json
        if inline.attachments {
            for part in try reader.attachments(messageID: id) where part.size <= inline.maxBytes {
                let encoded = try reader.readRaw(id: id, offset: part.offset, count: part.length)
                let decoded = encoded.withUnsafeBytes { TransferDecoding.decode($0, transferEncoding: part.transferEncoding) }
                guard decoded.count <= inline.maxBytes else { continue }
                let anchor = Array(#""url":"/api/v1/messages/\#(id)/attachments/\#(part.id)""#.utf8)
                guard let at = out.firstRange(of: anchor) else { continue }
                out.insert(contentsOf: member("content_base64", decoded), at: at.upperBound)
            }
        }
        if inline.raw, let size = try reader.rawSize(id: id), size <= inline.maxBytes, out.last == UInt8(ascii: "}") {
            let raw = try reader.readRaw(id: id, offset: 0, count: size)
            out.removeLast()
            out += member("raw_base64", raw)
            out.append(UInt8(ascii: "}"))
        }
        return out
    }

    /// `,"name":"<base64 of bytes>"`.
    private static func member(_ name: String, _ bytes: [UInt8]) -> [UInt8] {
        Array((",\"" + name + "\":\"" + Base64.encode(bytes) + "\"").utf8)
    }
}
