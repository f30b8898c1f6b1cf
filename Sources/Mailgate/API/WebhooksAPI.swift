import MailgateCore
import MailgateHTTP
import MailgateStore
import MailgateWebhooks

/// `/api/v1/webhooks...` and `/api/v1/deliveries...` (API.md, Webhooks). Reads use the loop's
/// own read connection; writes go through the store writer and answer after COMMIT.
struct WebhooksAPI: Sendable {
    let webhooks: Webhooks

    var routes: [(method: String, pattern: String, handler: APIHandler)] {
        [("POST", "/api/v1/webhooks", create),
         ("GET", "/api/v1/webhooks", list),
         ("GET", "/api/v1/webhooks/{id}", get),
         ("PATCH", "/api/v1/webhooks/{id}", update),
         ("DELETE", "/api/v1/webhooks/{id}", delete),
         ("GET", "/api/v1/webhooks/{id}/deliveries", deliveries),
         ("POST", "/api/v1/webhooks/{id}/test", test),
         ("GET", "/api/v1/deliveries/{id}", delivery),
         ("POST", "/api/v1/deliveries/{id}/retry", retry)]
    }

    private static func failure(_ error: WebhookError) -> HTTPResponse {
        var body = JSONBody()
        body.error(code: error.code, message: error.message)
        return .json(body.bytes, status: error.httpStatus)
    }

    /// RFC 9110 §15.5.16: a body that is not JSON is refused before it is parsed.
    private static func requireJSON(_ request: HTTPRequest) -> HTTPResponse? {
        let type = request.headers["Content-Type"]?.lowercased() ?? ""
        if type.hasPrefix("application/json") || type.hasPrefix("application/") && type.contains("+json") { return nil }
        return APIError.response(status: 415, message: "the body must be application/json")
    }

    private static func read<T>(_ request: APIRequest, _ body: (Database) throws -> T) -> Result<T, ResponseError> {
        do {
            return .success(try body(try request.context.webhookDatabase()))
        } catch let error as WebhookError {
            return .failure(ResponseError(failure(error)))
        } catch {
            return .failure(ResponseError(APIError.response(status: 500, message: "the store could not be read")))
        }
    }

    func create(_ request: APIRequest) -> APIResult {
        if let refusal = Self.requireJSON(request.http) { return .response(refusal) }
        let new: NewSubscriber
        do { new = try WebhookRequest.parseCreate(request.http.body) } catch { return .response(Self.failure(error)) }
        let respond = request.respond
        webhooks.create(new) { result in
            switch result {
            case .success(let s):
                respond(.json(s.json(includeSecret: true), status: 201, headers: ["Location": "/api/v1/webhooks/\(s.id)"]))
            case .failure(let e): respond(Self.failure(e))
            }
        }
        return .pending
    }

    func list(_ request: APIRequest) -> APIResult {
        switch Self.read(request, { try $0.subscribers() }) {
        case .success(let subscribers): return .response(.json(Subscriber.listJSON(subscribers)))
        case .failure(let e): return .response(e.response)
        }
    }

    func get(_ request: APIRequest) -> APIResult {
        let id = request.parameters["id"] ?? ""
        switch Self.read(request, { try $0.subscriber(id: id) }) {
        case .success(let s?): return .response(.json(s.json()))
        case .success(nil): return .response(Self.failure(.notFound("webhook \(id) does not exist")))
        case .failure(let e): return .response(e.response)
        }
    }

    func update(_ request: APIRequest) -> APIResult {
        if let refusal = Self.requireJSON(request.http) { return .response(refusal) }
        let id = request.parameters["id"] ?? ""
        let patch: SubscriberPatch
        do { patch = try WebhookRequest.parsePatch(request.http.body) } catch { return .response(Self.failure(error)) }
        let respond = request.respond
        webhooks.update(id: id, patch: patch) { result in
            switch result {
            case .success(let s): respond(.json(s.json(includeSecret: patch.rotatesSecret)))
            case .failure(let e): respond(Self.failure(e))
            }
        }
        return .pending
    }

    func delete(_ request: APIRequest) -> APIResult {
        let respond = request.respond
        webhooks.delete(id: request.parameters["id"] ?? "") { result in
            switch result {
            case .success: respond(HTTPResponse(status: 204))
            case .failure(let e): respond(Self.failure(e))
            }
        }
        return .pending
    }

    func deliveries(_ request: APIRequest) -> APIResult {
        let id = request.parameters["id"] ?? ""
        var status: DeliveryStatus?
        if let s = request.http.queryValue("status"), !s.isEmpty {
            guard let parsed = DeliveryStatus(rawValue: s) else {
                return .response(APIError.response(status: 400, message: "status must be one of pending, succeeded, failed, cancelled"))
            }
            status = parsed
        }
        var limit = 50
        if let l = request.http.queryValue("limit") {
            guard let n = QueryValue.integer(l, in: 1...Database.maxPageSize) else {
                return .response(APIError.response(status: 400, message: "limit must be a whole number from 1 to \(Database.maxPageSize)"))
            }
            limit = n
        }
        let cursor = request.http.queryValue("cursor").flatMap { $0.isEmpty ? nil : $0 }
        let result = Self.read(request) { db -> DeliveryPage? in
            guard try db.subscriber(id: id) != nil else { return nil }
            return try db.deliveries(webhookID: id, status: status, limit: limit, cursor: cursor)
        }
        switch result {
        case .success(let page?): return .response(.json(page.json()))
        case .success(nil): return .response(Self.failure(.notFound("webhook \(id) does not exist")))
        case .failure(let e): return .response(e.response)
        }
    }

    func delivery(_ request: APIRequest) -> APIResult {
        let id = request.parameters["id"] ?? ""
        switch Self.read(request, { try $0.deliveryDetail(id: id) }) {
        case .success(let d?): return .response(.json(d.json()))
        case .success(nil): return .response(Self.failure(.notFound("delivery \(id) does not exist")))
        case .failure(let e): return .response(e.response)
        }
    }

    func retry(_ request: APIRequest) -> APIResult {
        let respond = request.respond
        webhooks.retry(deliveryID: request.parameters["id"] ?? "") { result in
            switch result {
            case .success(let d): respond(.json(d.json(), status: 202))
            case .failure(let e): respond(Self.failure(e))
            }
        }
        return .pending
    }

    func test(_ request: APIRequest) -> APIResult {
        let respond = request.respond
        webhooks.sendTest(webhookID: request.parameters["id"] ?? "") { result in
            switch result {
            case .success(let d): respond(.json(d.json(), status: 202))
            case .failure(let e): respond(Self.failure(e))
            }
        }
        return .pending
    }
}

/// A response carried as an error out of a read helper.
struct ResponseError: Error {
    let response: HTTPResponse
    init(_ response: HTTPResponse) { self.response = response }
}

/// The API's one error shape with a code that is not an HTTP-derived one (validation_failed).
struct JSONBody {
    private var writer = JSONWriter(capacity: 128)
    var bytes: [UInt8] { writer.bytes }
    mutating func error(code: String, message: String) {
        writer.beginObject()
        writer.key("error")
        writer.beginObject()
        writer.field("code", code)
        writer.field("message", message)
        writer.endObject()
        writer.endObject()
    }
}
