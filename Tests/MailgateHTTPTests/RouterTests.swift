import Testing
@testable import MailgateHTTP

@Suite("Router")
struct RouterTests {
    let router: Router<String>

    init() throws {
        router = try Router(routes: [
            (method: "GET", pattern: "/", handler: "root"),
            (method: "GET", pattern: "/livez", handler: "livez"),
            (method: "GET", pattern: "/api/v1/messages", handler: "list"),
            (method: "DELETE", pattern: "/api/v1/messages", handler: "deleteAll"),
            (method: "GET", pattern: "/api/v1/messages/{id}", handler: "get"),
            (method: "DELETE", pattern: "/api/v1/messages/{id}", handler: "delete"),
            (method: "GET", pattern: "/api/v1/messages/latest/count", handler: "latestCount"),
            (method: "GET", pattern: "/api/v1/messages/{id}/raw", handler: "raw"),
            (method: "GET", pattern: "/api/v1/messages/{id}/attachments/{attachment_id}", handler: "attachment"),
            (method: "POST", pattern: "/api/v1/deliveries/{delivery}/retry", handler: "retry"),
            (method: "HEAD", pattern: "/special", handler: "specialHead"),
            (method: "GET", pattern: "/special", handler: "specialGet"),
        ])
    }

    func found(_ method: String, _ path: String) -> (String, [String])? {
        guard case .found(let handler, let parameters) = router.match(method: method, path: path) else { return nil }
        return (handler, parameters.items.map { "\($0.name)=\($0.value)" })
    }

    @Test func literalAndParameterRoutes() throws {
        #expect(try #require(found("GET", "/")).0 == "root")
        #expect(try #require(found("GET", "/api/v1/messages")).0 == "list")
        let get = try #require(found("GET", "/api/v1/messages/01JDX"))
        #expect(get.0 == "get" && get.1 == ["id=01JDX"])
        let attachment = try #require(found("GET", "/api/v1/messages/01JDX/attachments/2"))
        #expect(attachment.0 == "attachment" && attachment.1 == ["id=01JDX", "attachment_id=2"])
        let retry = try #require(found("POST", "/api/v1/deliveries/d1/retry"))
        #expect(retry.0 == "retry" && retry.1 == ["delivery=d1"])
    }

    @Test func parameterLookupByName() {
        guard case .found(_, let parameters) = router.match(method: "GET", path: "/api/v1/messages/m 1/attachments/3") else {
            Issue.record("expected a match")
            return
        }
        #expect(parameters["id"] == "m 1")
        #expect(parameters["attachment_id"] == "3")
        #expect(parameters["nope"] == nil)
    }

    @Test func literalWinsButBacktracksToParameter() throws {
        #expect(try #require(found("GET", "/api/v1/messages/latest/count")).0 == "latestCount")
        let latest = try #require(found("GET", "/api/v1/messages/latest"))
        #expect(latest.0 == "get" && latest.1 == ["id=latest"])
        let raw = try #require(found("GET", "/api/v1/messages/latest/raw"))
        #expect(raw.0 == "raw" && raw.1 == ["id=latest"])
    }

    @Test func headUsesGETUnlessAHEADRouteExists() throws {
        #expect(try #require(found("HEAD", "/api/v1/messages/x/raw")).0 == "raw")
        #expect(try #require(found("HEAD", "/special")).0 == "specialHead")
        #expect(try #require(found("GET", "/special")).0 == "specialGet")
    }

    @Test func methodNotAllowedListsAllowedMethods() {
        guard case .methodNotAllowed(let allow) = router.match(method: "POST", path: "/api/v1/messages/x") else {
            Issue.record("expected 405")
            return
        }
        #expect(allow == ["GET", "HEAD", "DELETE"])
        guard case .methodNotAllowed(let special) = router.match(method: "PUT", path: "/special") else {
            Issue.record("expected 405")
            return
        }
        #expect(special == ["HEAD", "GET"])
        guard case .methodNotAllowed(let retry) = router.match(method: "GET", path: "/api/v1/deliveries/d/retry") else {
            Issue.record("expected 405")
            return
        }
        #expect(retry == ["POST"])
    }

    @Test(arguments: ["/nope", "/api/v1", "/api/v1/messages/", "/api/v1/messages//raw", "//", "/livez/",
                      "/API/v1/messages", "*", "", "/api/v1/messages/x/attachments"])
    func notFound(path: String) {
        guard case .notFound = router.match(method: "GET", path: path) else {
            Issue.record("expected 404 for \(path)")
            return
        }
    }

    @Test func badRouteTablesAreRejected() {
        #expect(throws: RouterError.duplicateRoute(method: "GET", pattern: "/a/{y}")) {
            _ = try Router(routes: [(method: "GET", pattern: "/a/{x}", handler: 1), (method: "GET", pattern: "/a/{y}", handler: 2)])
        }
        for pattern in ["a", "/a/", "/a//b", "/{}", "/{a", "/a}", "/x{a}", "/{a}/{a}"] {
            #expect(throws: RouterError.invalidPattern(pattern)) {
                _ = try Router(routes: [(method: "GET", pattern: pattern, handler: 1)])
            }
        }
        #expect(throws: RouterError.invalidMethod("G T")) {
            _ = try Router(routes: [(method: "G T", pattern: "/", handler: 1)])
        }
    }
}
