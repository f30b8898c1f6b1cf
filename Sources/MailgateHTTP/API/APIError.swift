import MailgateCore

/// The `code` of the one error shape `{"error": {"code": ..., "message": ...}}` (API.md).
public enum APIErrorCode: String, Sendable, CaseIterable {
    case badRequest = "bad_request"
    case unauthorized
    case notFound = "not_found"
    case methodNotAllowed = "method_not_allowed"
    case requestTimeout = "request_timeout"
    case conflict
    case payloadTooLarge = "payload_too_large"
    case uriTooLong = "uri_too_long"
    case unsupportedMediaType = "unsupported_media_type"
    case unprocessable
    case headerFieldsTooLarge = "header_fields_too_large"
    case `internal`
    case notImplemented = "not_implemented"
    case unavailable
    case httpVersionNotSupported = "http_version_not_supported"

    public var status: Int {
        switch self {
        case .badRequest: 400
        case .unauthorized: 401
        case .notFound: 404
        case .methodNotAllowed: 405
        case .requestTimeout: 408
        case .conflict: 409
        case .payloadTooLarge: 413
        case .uriTooLong: 414
        case .unsupportedMediaType: 415
        case .unprocessable: 422
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
    /// `{"error":{"code":"...","message":"..."}}`
    public static func body(code: APIErrorCode, message: String) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + message.utf8.count)
        json.beginObject()
        json.key("error")
        json.beginObject()
        json.field("code", code.rawValue)
        json.field("message", message)
        json.endObject()
        json.endObject()
        return json.bytes
    }

    /// An error response for `status`, with `Content-Type: application/json`.
    public static func response(status: Int, message: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        let code = APIErrorCode(status: status)
        let status = (400...599).contains(status) ? status : code.status
        return .json(body(code: code, message: message), status: status, headers: headers)
    }

    public static func response(code: APIErrorCode, message: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        .json(body(code: code, message: message), status: code.status, headers: headers)
    }

    /// 405 with the `Allow` field the status requires (RFC 9110 §15.5.6).
    public static func methodNotAllowed(method: String, allow: [String]) -> HTTPResponse {
        response(code: .methodNotAllowed, message: "method \(method) is not allowed here",
                 headers: ["Allow": allow.joined(separator: ", ")])
    }

    /// 401 with the challenge the status requires (RFC 9110 §11.6.1; Bearer is RFC 6750 §3).
    public static func unauthorized(message: String = "missing or invalid bearer token") -> HTTPResponse {
        response(code: .unauthorized, message: message, headers: ["WWW-Authenticate": "Bearer"])
    }

    /// 404 for a path no route matches.
    public static func notFound(path: String) -> HTTPResponse {
        response(code: .notFound, message: "no route for \(path)")
    }
}
