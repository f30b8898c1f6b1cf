/// The outcome of routing one request.
public enum RouteMatch<Handler: Sendable>: Sendable {
    case found(Handler, parameters: RouteParameters)
    /// The path exists but not for this method: answer 405 with `Allow` (RFC 9110 §15.5.6).
    case methodNotAllowed(allow: [String])
    case notFound
}

/// Values bound to `{name}` segments, in pattern order.
public struct RouteParameters: Sendable, Equatable {
    public private(set) var items: [(name: String, value: String)]

    public init(_ items: [(name: String, value: String)] = []) { self.items = items }

    public subscript(name: String) -> String? {
        for item in items where item.name == name { return item.value }
        return nil
    }

    public static func == (a: RouteParameters, b: RouteParameters) -> Bool {
        a.items.count == b.items.count && zip(a.items, b.items).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

extension Router {
    /// Routes a decoded path (`HTTPRequest.path`).
    public func match(method: String, path: String) -> RouteMatch<Handler> {
        guard path.hasPrefix("/") else { return .notFound }
        var segments: [Substring] = []
        if path != "/" {
            segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        }
        var captured: [Substring] = []
        guard let node = find(0, segments, 0, &captured) else { return .notFound }
        let endpoints = nodes[node].endpoints
        let endpoint = endpoints.first { $0.method == method }
            ?? (method == "HEAD" ? endpoints.first { $0.method == "GET" } : nil)
        guard let endpoint else { return .methodNotAllowed(allow: Self.allow(endpoints)) }
        var parameters: [(name: String, value: String)] = []
        parameters.reserveCapacity(captured.count)
        for (name, value) in zip(endpoint.parameterNames, captured) {
            parameters.append((name: name, value: String(value)))
        }
        return .found(endpoint.handler, parameters: RouteParameters(parameters))
    }

    /// The methods of a resource in registration order, HEAD right after GET when implied.
    static func allow(_ endpoints: [Endpoint]) -> [String] {
        var methods: [String] = []
        let hasHEAD = endpoints.contains { $0.method == "HEAD" }
        for endpoint in endpoints {
            methods.append(endpoint.method)
            if endpoint.method == "GET", !hasHEAD { methods.append("HEAD") }
        }
        return methods
    }

    /// Depth-first search: the literal child first, then the parameter child.
    private func find(_ node: Int, _ segments: [Substring], _ index: Int, _ captured: inout [Substring]) -> Int? {
        if index == segments.count { return nodes[node].endpoints.isEmpty ? nil : node }
        let segment = segments[index]
        for literal in nodes[node].literals where literal.segment == segment {
            if let found = find(literal.child, segments, index + 1, &captured) { return found }
        }
        if let child = nodes[node].parameterChild, !segment.isEmpty {
            captured.append(segment)
            if let found = find(child, segments, index + 1, &captured) { return found }
            captured.removeLast()
        }
        return nil
    }
}
