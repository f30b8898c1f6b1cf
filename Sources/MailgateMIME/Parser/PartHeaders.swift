/// The MIME header fields of one entity (RFC 2045 §3): what decides how its body is read.
struct PartHeaders {
    var contentType: ContentHeader? = nil
    var disposition: ContentHeader? = nil
    /// Content-Transfer-Encoding, lower-cased; "7bit" when absent (RFC 2045 §6.1).
    var transferEncoding = "7bit"
    var contentID: String? = nil

    init() {}

    init(_ b: UnsafeBufferPointer<UInt8>, _ fields: ArraySlice<HeaderField>) {
        for f in fields {
            // Only fields that start with "Content-" matter here; first occurrence wins.
            guard f.name.count > 8, ASCII.equalsLower(b, f.name.lowerBound..<f.name.lowerBound + 8, "content-") else { continue }
            if contentType == nil, ASCII.equalsLower(b, f.name, "content-type") {
                contentType = ContentHeader(Unfolding.value(b, f.value))
            } else if disposition == nil, ASCII.equalsLower(b, f.name, "content-disposition") {
                disposition = ContentHeader(Unfolding.value(b, f.value))
            } else if ASCII.equalsLower(b, f.name, "content-transfer-encoding") {
                let v = ContentHeader(Unfolding.value(b, f.value)).value
                if !v.isEmpty { transferEncoding = v }
            } else if contentID == nil, ASCII.equalsLower(b, f.name, "content-id") {
                let id = MessageIDs.parse(Unfolding.value(b, f.value)).first
                contentID = id.map { $0.hasPrefix("<") && $0.hasSuffix(">") && $0.count >= 2 ? String($0.dropFirst().dropLast()) : $0 }
            }
        }
    }

    /// The media type "type/subtype"; a missing or invalid Content-Type means `defaultType`
    /// (RFC 2045 §5.2: text/plain; RFC 2046 §5.1.5: message/rfc822 inside multipart/digest).
    func mediaType(default defaultType: String) -> String {
        guard let v = contentType?.value else { return defaultType }
        guard let slash = v.utf8.firstIndex(of: ASCII.slash), slash != v.utf8.startIndex,
              v.utf8.index(after: slash) != v.utf8.endIndex else { return "text/plain" }
        return v
    }

    /// The Content-Disposition type, or nil when the field is absent or empty.
    var dispositionType: String? {
        guard let v = disposition?.value, !v.isEmpty else { return nil }
        return v
    }

    var filename: String? {
        let raw = disposition?.parameter("filename") ?? contentType?.parameter("name")
        return raw.flatMap(Filename.sanitised)
    }

    var charset: Charset? {
        // RFC 2045 §5.2: no charset means US-ASCII.
        guard let c = contentType?.rawParameter("charset") else { return .ascii }
        return c.withBytes { Charset.named($0) }
    }
}
