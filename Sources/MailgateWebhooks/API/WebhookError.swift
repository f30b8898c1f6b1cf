/// One rejected field of a request body.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String
    public init(field: String, message: String) { self.field = field; self.message = message }
    public var description: String { "\(field): \(message)" }
}

/// Errors of the webhook operations, typed so the API can map them to a status and the
/// `{"error": {"code", "message"}}` shape of API.md.
public enum WebhookError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is not a JSON object (400).
    case malformed(String)
    /// The body is JSON but some fields are wrong (422).
    case invalid([FieldError])
    /// No such subscriber or delivery (404).
    case notFound(String)
    /// The request conflicts with the current state (409).
    case conflict(String)
    /// The database failed (500, or 503 when it is busy or full).
    case storage(String)

    /// The HTTP status the API answers with.
    public var httpStatus: Int {
        switch self {
        case .malformed: 400
        case .invalid: 422
        case .notFound: 404
        case .conflict: 409
        case .storage: 500
        }
    }

    /// The machine-readable `code` of the error body.
    public var code: String {
        switch self {
        case .malformed: "invalid_json"
        case .invalid: "validation_failed"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .storage: "internal_error"
        }
    }

    public var message: String {
        switch self {
        case .malformed(let m), .notFound(let m), .conflict(let m), .storage(let m): m
        case .invalid(let errors): errors.map(\.description).joined(separator: "; ")
        }
    }

    public var description: String { "\(code): \(message)" }

    static func field(_ field: String, _ message: String) -> WebhookError {
        .invalid([FieldError(field: field, message: message)])
    }

    /// Wraps any error thrown by a job as a WebhookError.
    static func wrap(_ error: any Error) -> WebhookError {
        (error as? WebhookError) ?? .storage(String(describing: error))
    }
}
