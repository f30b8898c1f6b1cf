import MailgateCore
import MailgateHTTP
import MailgateStore
import MailgateWebhooks

/// `/api/v1/webhooks...` and `/api/v1/deliveries...` (API.md, Webhooks). Reads use the loop's
/// own read connection; writes go through the store writer and answer after COMMIT.
struct WebhooksAPI: RoutedAPI {
    let webhooks: Webhooks

    static let endpoints: [Endpoint<WebhooksAPI>] = [
        Endpoint("POST", "/api/v1/webhooks") { api in { api.create($0) } },
        Endpoint("GET", "/api/v1/webhooks") { api in { api.list($0) } },
        Endpoint("GET", "/api/v1/webhooks/{id}") { api in { api.get($0) } },
        Endpoint("PATCH", "/api/v1/webhooks/{id}") { api in { api.update($0) } },
        Endpoint("DELETE", "/api/v1/webhooks/{id}") { api in { api.delete($0) } },
        Endpoint("GET", "/api/v1/webhooks/{id}/deliveries") { api in { api.deliveries($0) } },
        Endpoint("POST", "/api/v1/webhooks/{id}/test") { api in { api.test($0) } },
        Endpoint("GET", "/api/v1/deliveries/{id}") { api in { api.delivery($0) } },
        Endpoint("POST", "/api/v1/deliveries/{id}/retry") { api in { api.retry($0) } },
    ]

    /// The error shape for a webhook error; a storage failure is logged, not shown.
    static func failure(_ error: WebhookError, logger: Logger) -> HTTPResponse {
        if case .storage(let detail) = error {
            logger.error("webhook store failure", ["error": detail])
            return APIError.response(code: .internal, message: "internal error")
        }
        return APIError.response(status: error.httpStatus, code: error.code, message: error.message)
    }

    /// RFC 9110 §15.5.16: a body that is not JSON is refused before it is parsed.
    private static func requireJSON(_ request: HTTPRequest) -> HTTPResponse? {
        let type = request.headers["Content-Type"]?.lowercased() ?? ""
        if type.hasPrefix("application/json") || type.hasPrefix("application/") && type.contains("+json") { return nil }
        return APIError.response(code: .unsupportedMediaType, message: "the body must be application/json")
    }

    /// Runs a read on the loop's connection. A read has no body, so a field error from it is
    /// about a query value (a foreign cursor): 400 `invalid_parameter`, not 422.
    static func read<T>(_ request: APIRequest, _ body: (Database) throws -> T) -> Result<T, ResponseError> {
        do {
            return .success(try body(try request.context.webhookDatabase()))
        } catch let error as WebhookError {
            if case .invalid = error {
                return .failure(ResponseError(APIError.response(code: .invalidParameter, message: error.message)))
            }
            return .failure(ResponseError(failure(error, logger: request.logger)))
        } catch {
            request.logger.error("webhook store failure", ["error": "\(error)"])
            return .failure(ResponseError(APIError.response(code: .internal, message: "internal error")))
        }
    }

    /// A path id that is not a ULID names nothing (openapi.yaml: 404 before any lookup).
    static func pathID(_ request: APIRequest, _ kind: String) -> Result<String, ResponseError> {
        let id = request.parameters["id"] ?? ""
        guard ULID.isValid(id) else {
            return .failure(ResponseError(APIError.response(code: .notFound, message: "\(kind) \(id) does not exist")))
        }
        return .success(id)
    }

    func create(_ request: APIRequest) -> APIResult {
        if let refusal = Self.requireJSON(request.http) { return .response(refusal) }
        let new: NewSubscriber
        do { new = try WebhookRequest.parseCreate(request.http.body) } catch {
            return .response(Self.failure(error, logger: request.logger))
        }
        let respond = request.respond, logger = request.logger
        webhooks.create(new) { result in
            switch result {
            case .success(let s):
                respond(.json(s.json(includeSecret: true), status: 201, headers: ["Location": "/api/v1/webhooks/\(s.id)"]))
            case .failure(let e): respond(Self.failure(e, logger: logger))
            }
        }
        return .pending
    }

    func update(_ request: APIRequest) -> APIResult {
        let id: String
        switch Self.pathID(request, "webhook") {
        case .success(let v): id = v
        case .failure(let e): return .response(e.response)
        }
        if let refusal = Self.requireJSON(request.http) { return .response(refusal) }
        let patch: SubscriberPatch
        do { patch = try WebhookRequest.parsePatch(request.http.body) } catch {
            return .response(Self.failure(error, logger: request.logger))
        }
        let respond = request.respond, logger = request.logger
        webhooks.update(id: id, patch: patch) { result in
            switch result {
            case .success(let s): respond(.json(s.json(includeSecret: patch.rotatesSecret)))
            case .failure(let e): respond(Self.failure(e, logger: logger))
            }
        }
        return .pending
    }

    func delete(_ request: APIRequest) -> APIResult {
        let id: String
        switch Self.pathID(request, "webhook") {
        case .success(let v): id = v
        case .failure(let e): return .response(e.response)
        }
        let respond = request.respond, logger = request.logger
        webhooks.delete(id: id) { result in
            switch result {
            case .success: respond(HTTPResponse(status: 204))
            case .failure(let e): respond(Self.failure(e, logger: logger))
            }
        }
        return .pending
    }

    func retry(_ request: APIRequest) -> APIResult {
        let id: String
        switch Self.pathID(request, "delivery") {
        case .success(let v): id = v
        case .failure(let e): return .response(e.response)
        }
        let respond = request.respond, logger = request.logger
        webhooks.retry(deliveryID: id) { result in
            switch result {
            case .success(let d): respond(.json(d.json(), status: 202))
            case .failure(let e): respond(Self.failure(e, logger: logger))
            }
        }
        return .pending
    }

    /// 202 with the queued `webhook.test` delivery and where to follow it (`Location`).
    func test(_ request: APIRequest) -> APIResult {
        let id: String
        switch Self.pathID(request, "webhook") {
        case .success(let v): id = v
        case .failure(let e): return .response(e.response)
        }
        let respond = request.respond, logger = request.logger
        webhooks.sendTest(webhookID: id) { result in
            switch result {
            case .success(let d): respond(.json(d.json(), status: 202, headers: ["Location": "/api/v1/deliveries/\(d.id)"]))
            case .failure(let e): respond(Self.failure(e, logger: logger))
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
