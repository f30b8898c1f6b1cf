import MailgateHTTP
import MailgateStore

/// An error answer a handler returns: a status and code in the API's one JSON error shape.
struct APIFailure: Error {
    let status: Int
    let code: String
    let message: String

    init(_ code: APIErrorCode, _ message: String) {
        status = code.status
        self.code = code.rawValue
        self.message = message
    }

    /// A query or path value the operation does not take (400 `invalid_parameter`).
    static func parameter(_ message: String) -> APIFailure { APIFailure(.invalidParameter, message) }
    static func notFound(_ message: String) -> APIFailure { APIFailure(.notFound, message) }

    var response: HTTPResponse { APIError.response(status: status, code: code, message: message) }

    /// Maps a store error: a bad cursor is the client's fault; a full disk or a closing store
    /// is temporary (503, Retry-After); the rest is ours, logged and never shown (no SQLite
    /// message in a response).
    static func store(_ error: any Error, while doing: String, logger: Logger) -> APIFailure {
        switch error as? StoreError {
        case .badCursor?: return .parameter("cursor is not valid for this list")
        case .badLimit?: return .parameter("limit must be a whole number from 1 to \(MessageQuery.maxLimit)")
        case .notFound?: return .notFound("no such message")
        case .diskFull?: return APIFailure(.unavailable, "the disk is full")
        case .closed?: return APIFailure(.unavailable, "the store is closed")
        default:
            logger.error("API store failure", ["operation": doing, "error": "\(error)"])
            return APIFailure(.internal, "internal error")
        }
    }
}

extension APIRequest {
    /// `store(_:while:logger:)` with this request's logger, as a response.
    func failure(_ error: any Error, while doing: String) -> APIResult {
        .response(APIFailure.store(error, while: doing, logger: logger).response)
    }
}
