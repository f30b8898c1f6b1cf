import MailgateCore
import MailgateHTTP
import MailgateStore
import MailgateWebhooks

/// The read operations of the webhooks API, on the loop's own read connection.
extension WebhooksAPI {
    /// Newest first, keyset-paged like every list: the cursor is the id of the last item shown.
    func list(_ request: APIRequest) -> APIResult {
        let limit: Int
        switch Self.limit(request) {
        case .success(let n): limit = n
        case .failure(let e): return .response(e.response)
        }
        let cursor = request.http.queryValue("cursor").flatMap { $0.isEmpty ? nil : $0 }
        if let cursor, !ULID.isValid(cursor) {
            return .response(APIError.response(code: .invalidParameter, message: "cursor is not valid for this list"))
        }
        switch Self.read(request, { try $0.subscribers() }) {
        case .success(let all):
            // Ids are ULIDs: newest first is descending id order.
            let newer = all.sorted { $0.id > $1.id }.filter { s in cursor.map { s.id < $0 } ?? true }
            let page = Array(newer.prefix(limit))
            let next = newer.count > limit ? page.last?.id : nil
            return .response(.json(Self.listBody(page, nextCursor: next)))
        case .failure(let e):
            return .response(e.response)
        }
    }

    static func listBody(_ subscribers: [Subscriber], nextCursor: String?) -> [UInt8] {
        var w = JSONWriter(capacity: 256 + subscribers.count * 320)
        w.beginObject()
        w.key("items")
        w.beginArray()
        for s in subscribers { s.write(to: &w, includeSecret: false) }
        w.endArray()
        w.field("next_cursor", nextCursor)
        w.endObject()
        return w.bytes
    }

    func get(_ request: APIRequest) -> APIResult {
        let id: String
        switch Self.pathID(request, "webhook") {
        case .success(let v): id = v
        case .failure(let e): return .response(e.response)
        }
        switch Self.read(request, { try $0.subscriber(id: id) }) {
        case .success(let s?): return .response(.json(s.json()))
        case .success(nil): return .response(APIError.response(code: .notFound, message: "webhook \(id) does not exist"))
        case .failure(let e): return .response(e.response)
        }
    }

    func deliveries(_ request: APIRequest) -> APIResult {
        let id: String
        switch Self.pathID(request, "webhook") {
        case .success(let v): id = v
        case .failure(let e): return .response(e.response)
        }
        var status: DeliveryStatus?
        if let s = request.http.queryValue("status"), !s.isEmpty {
            guard let parsed = DeliveryStatus(rawValue: s) else {
                return .response(APIError.response(code: .invalidParameter,
                                                   message: "status must be one of pending, succeeded, failed, cancelled"))
            }
            status = parsed
        }
        let limit: Int
        switch Self.limit(request) {
        case .success(let n): limit = n
        case .failure(let e): return .response(e.response)
        }
        let cursor = request.http.queryValue("cursor").flatMap { $0.isEmpty ? nil : $0 }
        let result = Self.read(request) { db -> DeliveryPage? in
            guard try db.subscriber(id: id) != nil else { return nil }
            return try db.deliveries(webhookID: id, status: status, limit: limit, cursor: cursor)
        }
        switch result {
        case .success(let page?): return .response(.json(page.json()))
        case .success(nil): return .response(APIError.response(code: .notFound, message: "webhook \(id) does not exist"))
        case .failure(let e): return .response(e.response)
        }
    }

    func delivery(_ request: APIRequest) -> APIResult {
        let id: String
        switch Self.pathID(request, "delivery") {
        case .success(let v): id = v
        case .failure(let e): return .response(e.response)
        }
        switch Self.read(request, { try $0.deliveryDetail(id: id) }) {
        case .success(let d?): return .response(.json(d.json()))
        case .success(nil): return .response(APIError.response(code: .notFound, message: "delivery \(id) does not exist"))
        case .failure(let e): return .response(e.response)
        }
    }

    /// `limit`, 1...500 (the API's one page bound), default 50.
    static func limit(_ request: APIRequest) -> Result<Int, ResponseError> {
        guard let text = request.http.queryValue("limit") else { return .success(50) }
        guard let n = QueryValue.integer(text, in: 1...Database.maxPageSize) else {
            return .failure(ResponseError(APIError.response(code: .invalidParameter,
                                                            message: "limit must be a whole number from 1 to \(Database.maxPageSize)")))
        }
        return .success(n)
    }
}
