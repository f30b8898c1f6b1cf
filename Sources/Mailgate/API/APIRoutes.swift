/// One row of an API's route table: the method, the pattern (also the metrics label), and how
/// to get the handler from the API value. The tables are static so the route list can be read
/// without starting anything (`APIRoutes.table`, compared with openapi.yaml by the tests).
struct Endpoint<API>: Sendable {
    let method: String
    let pattern: String
    let handler: @Sendable (API) -> APIHandler

    init(_ method: String, _ pattern: String, _ handler: @escaping @Sendable (API) -> APIHandler) {
        self.method = method
        self.pattern = pattern
        self.handler = handler
    }
}

/// An API whose routes come from a static table.
protocol RoutedAPI: Sendable {
    static var endpoints: [Endpoint<Self>] { get }
}

extension RoutedAPI {
    /// The routes the server registers (`HTTPServices(routes:)`).
    var routes: [(method: String, pattern: String, handler: APIHandler)] {
        Self.endpoints.map { (method: $0.method, pattern: $0.pattern, handler: $0.handler(self)) }
    }

    static var table: [(method: String, pattern: String)] {
        endpoints.map { (method: $0.method, pattern: $0.pattern) }
    }
}

/// Every route the gateway serves, in registration order (HEAD is implied by GET).
public enum APIRoutes {
    public static var table: [(method: String, pattern: String)] {
        MessagesAPI.table + WebhooksAPI.table + OperationsAPI.table
    }

    /// One `METHOD /pattern` line per route, the input of Tests/OpenAPI/check_routes.py.
    public static var text: String {
        table.map { "\($0.method) \($0.pattern)\n" }.joined()
    }
}
