import MailgateCore

/// Subscriber secrets in the Standard Webhooks 1.0 form: `whsec_` followed by the base64 of
/// the key bytes. The signing key is the base64-decoded part after the prefix.
public enum WebhookSecret {
    public static let prefix = "whsec_"
    /// Standard Webhooks recommends keys of 24 to 64 bytes.
    public static let keyBytes = 24...64
    /// How long a replaced secret keeps signing, so receivers can roll over without a gap.
    public static let rotationOverlapMilliseconds: Int64 = 24 * 3600 * 1000

    /// A fresh secret: `whsec_` + base64 of 24 random bytes (32 characters, no padding).
    public static func generate() -> String {
        prefix + Base64.encode(Digest.randomBytes(24))
    }

    /// The HMAC key of `secret` (prefix optional), or nil when it is not base64.
    public static func key(_ secret: String) -> [UInt8]? {
        let encoded = secret.hasPrefix(prefix) ? String(secret.dropFirst(prefix.count)) : secret
        guard let key = Base64.decode(encoded), !key.isEmpty else { return nil }
        return key
    }

    /// Validates a secret given by an operator and returns it in canonical `whsec_` form.
    /// The base64 must be exactly the encoding of its key (padding optional): anything after
    /// the padding, or non-zero spare bits, would otherwise be stored and echoed as given.
    public static func normalize(_ secret: String) throws(WebhookError) -> String {
        guard let key = key(secret) else {
            throw .field("secret", "must be \"whsec_\" followed by base64")
        }
        guard keyBytes.contains(key.count) else {
            throw .field("secret", "must decode to \(keyBytes.lowerBound) to \(keyBytes.upperBound) bytes, not \(key.count)")
        }
        let encoded = secret.hasPrefix(prefix) ? String(secret.dropFirst(prefix.count)) : secret
        let canonical = Base64.encode(key)
        let missingPadding = canonical.utf8.count - encoded.utf8.count
        guard encoded == canonical
                || (1...2).contains(missingPadding) && encoded + String(repeating: "=", count: missingPadding) == canonical else {
            throw .field("secret", "must be \"whsec_\" followed by canonical base64")
        }
        return prefix + canonical
    }
}
