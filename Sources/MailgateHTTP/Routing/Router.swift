/// A route table built once at start and frozen (as in Hummingbird 2): a small trie over path
/// segments, no regular expressions.
///
/// Patterns are absolute paths whose segments are literals or whole-segment parameters
/// `{name}`: `/api/v1/messages/{id}/attachments/{attachment_id}`. Matching is exact per
/// segment and case-sensitive; a literal beats a parameter at the same position (with
/// backtracking, so `/messages/latest` and `/messages/{id}/raw` coexist). A trailing slash is
/// significant: `/api/v1/messages/` does not match `/api/v1/messages` (→ 404), and an empty
/// segment never binds a parameter. HEAD is served by GET routes unless a HEAD route exists.
public struct Router<Handler: Sendable>: Sendable {
    struct Endpoint: Sendable {
        var method: String
        var handler: Handler
        var parameterNames: [String]
    }

    struct Node: Sendable {
        var literals: [(segment: String, child: Int)] = []
        var parameterChild: Int?
        var endpoints: [Endpoint] = []
    }

    /// nodes[0] is the root ("/").
    let nodes: [Node]

    public init(routes: [(method: String, pattern: String, handler: Handler)]) throws(RouterError) {
        var nodes = [Node()]
        for route in routes {
            guard !route.method.isEmpty, route.method.utf8.allSatisfy(HTTPSyntax.isTokenChar) else {
                throw .invalidMethod(route.method)
            }
            let segments = try Pattern.segments(route.pattern)
            var node = 0
            var names: [String] = []
            for segment in segments {
                switch segment {
                case .literal(let text):
                    if let existing = nodes[node].literals.first(where: { $0.segment == text }) {
                        node = existing.child
                    } else {
                        nodes.append(Node())
                        nodes[node].literals.append((segment: text, child: nodes.count - 1))
                        node = nodes.count - 1
                    }
                case .parameter(let name):
                    guard !names.contains(name) else { throw .invalidPattern(route.pattern) }
                    names.append(name)
                    if let child = nodes[node].parameterChild {
                        node = child
                    } else {
                        nodes.append(Node())
                        nodes[node].parameterChild = nodes.count - 1
                        node = nodes.count - 1
                    }
                }
            }
            guard !nodes[node].endpoints.contains(where: { $0.method == route.method }) else {
                throw .duplicateRoute(method: route.method, pattern: route.pattern)
            }
            nodes[node].endpoints.append(Endpoint(method: route.method, handler: route.handler, parameterNames: names))
        }
        self.nodes = nodes
    }
}

/// The route table was built from a bad definition (a programming error, found at start).
public enum RouterError: Error, Equatable, Sendable {
    case invalidPattern(String)
    case invalidMethod(String)
    case duplicateRoute(method: String, pattern: String)
}

/// One segment of a route pattern.
enum Pattern {
    enum Segment: Equatable { case literal(String), parameter(String) }

    /// `/`-separated segments; the root pattern `/` has none.
    static func segments(_ pattern: String) throws(RouterError) -> [Segment] {
        guard pattern.hasPrefix("/") else { throw .invalidPattern(pattern) }
        if pattern == "/" { return [] }
        var result: [Segment] = []
        for part in pattern.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            let text = String(decoding: part, as: UTF8.self)
            guard !text.isEmpty else { throw .invalidPattern(pattern) }
            if text.hasPrefix("{") {
                let name = String(text.dropFirst().dropLast())
                guard text.hasSuffix("}"), !name.isEmpty, !name.contains("{"), !name.contains("}") else {
                    throw .invalidPattern(pattern)
                }
                result.append(.parameter(name))
            } else {
                guard !text.contains("{"), !text.contains("}") else { throw .invalidPattern(pattern) }
                result.append(.literal(text))
            }
        }
        return result
    }
}
