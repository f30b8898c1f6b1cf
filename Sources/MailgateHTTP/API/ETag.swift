import MailgateCore

/// Entity tags and conditional GET (RFC 9110 §8.8.3, §13.1.2).
public enum ETag {
    /// A strong entity-tag for an immutable resource named by `value` (a message id, say):
    /// `"value"` when every character is an etagc, else a quoted SHA-256 prefix of it.
    public static func strong(_ value: String) -> String {
        if !value.isEmpty, value.utf8.allSatisfy(isETagChar) { return "\"" + value + "\"" }
        return "\"" + Digest.hex(Array(Digest.sha256(Array(value.utf8)).prefix(16))) + "\""
    }

    /// Whether `If-None-Match` field values match `etag` (RFC 9110 §13.1.2): `*` matches any
    /// current representation, otherwise any listed tag that is equal under the weak comparison
    /// (W/ prefixes ignored, §8.8.3.2). A malformed field matches nothing.
    public static func ifNoneMatch(_ fieldValues: [String], matches etag: String) -> Bool {
        guard let ours = opaqueTag(Substring(etag)) else { return false }
        for value in fieldValues where listMatches(value, ours) { return true }
        return false
    }

    /// The response to send when a GET/HEAD's `If-None-Match` matches (RFC 9110 §15.4.5):
    /// 304 with the ETag; nil when the full response should be sent.
    public static func notModified(_ request: HTTPRequest, etag: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse? {
        let conditions = request.headers.values("If-None-Match")
        guard !conditions.isEmpty, ifNoneMatch(conditions, matches: etag) else { return nil }
        var headers = headers
        headers.replaceOrAdd(name: "ETag", value: etag)
        return HTTPResponse(status: 304, headers: headers)
    }

    /// etagc = %x21 / %x23-7E / obs-text (RFC 9110 §8.8.3).
    private static func isETagChar(_ c: UInt8) -> Bool {
        c == 0x21 || (c >= 0x23 && c != 0x7F)
    }

    /// The opaque-tag of an entity-tag (`"x"` or `W/"x"`), quotes included, or nil.
    private static func opaqueTag(_ tag: Substring) -> Substring? {
        let body = tag.hasPrefix("W/") ? tag.dropFirst(2) : tag
        guard body.utf8.count >= 2, body.hasPrefix("\""), body.hasSuffix("\""),
              body.utf8.dropFirst().dropLast().allSatisfy(isETagChar) else { return nil }
        return body
    }

    /// `*` / 1#entity-tag. Commas may occur inside an opaque-tag, so the list is scanned tag by tag.
    private static func listMatches(_ value: String, _ ours: Substring) -> Bool {
        let v = Substring(value)
        if v.trimmingWhitespace() == "*" { return true }
        var rest = v[...]
        while true {
            rest = rest.trimmingLeadingListSeparators()
            if rest.isEmpty { return false }
            var cursor = rest.startIndex
            if rest.hasPrefix("W/") { cursor = rest.index(cursor, offsetBy: 2) }
            guard cursor < rest.endIndex, rest[cursor] == "\"" else { return false }
            guard let close = rest[rest.index(after: cursor)...].firstIndex(of: "\"") else { return false }
            let tag = rest[rest.startIndex...close]
            guard let opaque = opaqueTag(tag) else { return false }
            if opaque == ours { return true }
            rest = rest[rest.index(after: close)...]
            let next = rest.trimmingLeadingWhitespace()
            guard next.isEmpty || next.hasPrefix(",") else { return false }
            rest = next
        }
    }
}

extension Substring {
    func trimmingLeadingWhitespace() -> Substring { drop { $0 == " " || $0 == "\t" } }
    func trimmingLeadingListSeparators() -> Substring { drop { $0 == " " || $0 == "\t" || $0 == "," } }
    func trimmingWhitespace() -> Substring {
        var s = trimmingLeadingWhitespace()
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return s
    }
}
