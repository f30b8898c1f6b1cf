import MailgateCore

/// Standard Webhooks 1.0 signatures: `v1,` + base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")).
/// Several signatures (during a secret rotation) are separated by single spaces.
public enum WebhookSignature {
    /// The signature of one request under one key.
    public static func sign(key: [UInt8], webhookID: String, timestamp: Int64, body: [UInt8]) -> String {
        var signed = [UInt8]()
        signed.reserveCapacity(webhookID.utf8.count + 22 + body.count)
        signed.append(contentsOf: webhookID.utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(contentsOf: String(timestamp).utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(contentsOf: body)
        return "v1," + Base64.encode(Digest.hmacSHA256(key: key, message: signed))
    }

    /// The `webhook-signature` header value: one signature per key, space-separated.
    public static func header(keys: [[UInt8]], webhookID: String, timestamp: Int64, body: [UInt8]) -> String {
        keys.map { sign(key: $0, webhookID: webhookID, timestamp: timestamp, body: body) }.joined(separator: " ")
    }

    /// The `webhook-id` header of a delivery: stable across its retries, so receivers can deduplicate.
    public static func webhookID(deliveryID: String) -> String { "msg_" + deliveryID }
}
