import MailgateCore

/// The `code` of the one error shape `{"error": {"code": ..., "message": ...}}` (API.md).
/// Several codes share a status (400): `bad_request` is malformed HTTP, `invalid_parameter` a
/// query or path value, `invalid_json` a body that is not JSON; `init(status:)` picks the first.
public enum APIErrorCode: String, Sendable, CaseIterable {
    case badRequest = "bad_request"
    case invalidParameter = "invalid_parameter"
    case invalidJSON = "invalid_json"
    case unauthorized
    case notFound = "not_found"
    case methodNotAllowed = "method_not_allowed"
    case requestTimeout = "request_timeout"
    case conflict
    case payloadTooLarge = "payload_too_large"
    case uriTooLong = "uri_too_long"
    case unsupportedMediaType = "unsupported_media_type"
    case validationFailed = "validation_failed"
    case headerFieldsTooLarge = "header_fields_too_large"
    case `internal` = "internal_error"
    case notImplemented = "not_implemented"
    case unavailable
    case httpVersionNotSupported = "http_version_not_supported"

    public var status: Int {
        switch self {
        case .badRequest, .invalidParameter, .invalidJSON: 400
        case .unauthorized: 401
        case .notFound: 404
        case .methodNotAllowed: 405
        case .requestTimeout: 408
        case .conflict: 409
        case .payloadTooLarge: 413
        case .uriTooLong: 414
        case .unsupportedMediaType: 415
        case .validationFailed: 422
        case .headerFieldsTooLarge: 431
        case .internal: 500
        case .notImplemented: 501
        case .unavailable: 503
        case .httpVersionNotSupported: 505
        }
    }

    /// The code for a status; other 4xx map to bad_request, other 5xx to internal.
    public init(status: Int) {
        if let code = APIErrorCode.allCases.first(where: { $0.status == status }) {
            self = code
        } else {
            self = (400...499).contains(status) ? .badRequest : .internal
        }
    }
}

/// Error responses in the API's JSON shape, never HTML and never a stack trace.
public enum APIError {
    /// Longest `message`, in Unicode scalars: messages quote request values (a path of 8 KiB),
    /// and the contract bounds them (openapi.yaml, `Error.message`).
    public static let maxMessageLength = 1024
    /// `Retry-After` of a 503 that does not set its own (RFC 9110 §10.2.3), in seconds.
    public static let defaultRetryAfterSeconds = 1

    /// `{"error":{"code":"...","message":"..."}}`
    public static func body(code: APIErrorCode, message: String) -> [UInt8] {
        body(code: code.rawValue, message: message)
    }

    /// The same shape for a code defined elsewhere (the webhooks module's).
    public static func body(code: String, message: String) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + min(message.utf8.count, 4 * maxMessageLength))
        json.beginObject()
        json.key("error")
        json.beginObject()
        json.field("code", code)
        json.field("message", bounded(message))
        json.endObject()
        json.endObject()
        return json.bytes
    }

    static func bounded(_ message: String) -> String {
        let scalars = message.unicodeScalars
        guard scalars.count > maxMessageLength else { return message }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars.prefix(maxMessageLength - 1))
        out.append("…")
        return String(out)
    }

    /// An error response for `status`, with `Content-Type: application/json`.
    public static func response(status: Int, message: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        let code = APIErrorCode(status: status)
        let status = (400...599).contains(status) ? status : code.status
        return response(status: status, code: code.rawValue, message: message, headers: headers)
    }

    public static func response(code: APIErrorCode, message: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        response(status: code.status, code: code.rawValue, message: message, headers: headers)
    }

    /// Any status and code; a 503 always says when to come back (RFC 9110 §15.6.4).
    public static func response(status: Int, code: String, message: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        if status == 503, headers["Retry-After"] == nil {
            headers.add(name: "Retry-After", value: String(defaultRetryAfterSeconds))
        }
        return .json(body(code: code, message: message), status: status, headers: headers)
    }

    /// 405 with the `Allow` field the status requires (RFC 9110 §15.5.6).
    public static func methodNotAllowed(method: String, allow: [String]) -> HTTPResponse {
        response(code: .methodNotAllowed, message: "method \(method) is not allowed here",
                 headers: ["Allow": allow.joined(separator: ", ")])
    }

    /// 401 with the challenge the status requires (RFC 9110 §11.6.1; Bearer is RFC 6750 §3).
    /// A request that sent a token learns it was wrong (`error="invalid_token"`, RFC 6750 §3.1);
    /// one that sent none gets no error code (§3.1: "SHOULD NOT include an error code").
    public static func unauthorized(tokenPresented: Bool = false) -> HTTPResponse {
        if tokenPresented {
            return response(code: .unauthorized, message: "the bearer token is not valid",
                            headers: ["WWW-Authenticate": #"Bearer realm="mailgate", error="invalid_token""#])
        }
        return response(code: .unauthorized, message: "a bearer token is required",
                        headers: ["WWW-Authenticate": #"Bearer realm="mailgate""#])
    }

    /// 404 for a path no route matches.
    public static func notFound(path: String) -> HTTPResponse {
        response(code: .notFound, message: "no route for \(path)")
    }
}
