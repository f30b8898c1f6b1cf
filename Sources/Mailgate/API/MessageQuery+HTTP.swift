import MailgateHTTP
import MailgateStore

extension MessageQuery {
    /// The list filters of API.md from a request's query string; a bad value is a 400 naming it.
    static func from(_ request: HTTPRequest, allowPaging: Bool = true) -> Result<MessageQuery, APIFailure> {
        var query = MessageQuery()
        func text(_ name: String) -> String? {
            guard let v = request.queryValue(name), !v.isEmpty else { return nil }
            return v
        }
        query.to = text("to")
        query.from = text("from")
        query.subject = text("subject")
        query.q = text("q")
        for (name, keyPath) in [("since", \MessageQuery.since), ("until", \MessageQuery.until)] {
            guard let v = text(name) else { continue }
            guard let ms = QueryValue.timestampMilliseconds(v) else {
                return .failure(.parameter("\(name) must be an RFC 3339 date-time such as 2026-11-28T12:00:00Z"))
            }
            // `until` is exclusive (openapi.yaml): half-open windows [since, until) tile time with
            // no overlap. The store's bound is inclusive, at millisecond precision.
            query[keyPath: keyPath] = name == "until" ? ms - 1 : ms
        }
        if allowPaging {
            if let v = request.queryValue("limit") {
                guard let n = QueryValue.integer(v, in: 1...MessageQuery.maxLimit) else {
                    return .failure(.parameter("limit must be a whole number from 1 to \(MessageQuery.maxLimit)"))
                }
                query.limit = n
            }
            query.cursor = text("cursor")
        }
        return .success(query)
    }
}
