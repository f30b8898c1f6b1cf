import MailgateHTTP
import MailgateStore
import Synchronization

/// `/livez`, `/readyz`, `/metrics` (API.md, Operations).
struct OperationsAPI: RoutedAPI {
    let store: Store
    let readiness: Readiness
    let metricsText: @Sendable () -> String

    static let endpoints: [Endpoint<OperationsAPI>] = [
        Endpoint("GET", "/livez") { _ in { _ in .response(HTTPResponse(status: 200, contentType: "text/plain; charset=utf-8", body: "ok\n")) } },
        Endpoint("GET", "/readyz") { api in { api.readyz($0) } },
        Endpoint("GET", "/metrics") { api in { api.metrics($0) } },
    ]

    /// 200 `ok` when the store takes writes and the listeners are up; 503 `not ready: <why>`
    /// otherwise (the same words as /livez, so a probe can compare bodies).
    func readyz(_ request: APIRequest) -> APIResult {
        if let reason = readiness.problem(store: store) {
            return .response(HTTPResponse(status: 503, contentType: "text/plain; charset=utf-8", body: "not ready: " + reason + "\n",
                                          headers: ["Retry-After": String(APIError.defaultRetryAfterSeconds)]))
        }
        return .response(HTTPResponse(status: 200, contentType: "text/plain; charset=utf-8", body: "ok\n"))
    }

    func metrics(_ request: APIRequest) -> APIResult {
        .response(HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metricsText()))
    }
}

/// Whether the gateway should receive traffic: listeners up and not shutting down.
final class Readiness: Sendable {
    private let state = Mutex<String?>("starting")

    func set(notReady reason: String?) { state.withLock { $0 = reason } }

    func problem(store: Store) -> String? {
        if let reason = state.withLock({ $0 }) { return reason }
        if let error = store.lastWriteError { return "store not writable: \(error)" }
        if !store.isWritable { return "store closed" }
        return nil
    }
}
