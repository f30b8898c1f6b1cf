import Testing

/// HTTP/1.1 on raw sockets against the real binary (Clients/api_http.py): keep-alive, pipelining,
/// framing errors that close the connection, size limits, slow clients, bearer auth.
@Suite("API end to end: HTTP/1.1 framing and auth", .serialized)
struct APIHTTPEndToEndTests {
    @Test func keepAliveAndPipelinedRequestsAnswerInOrder() throws {
        let gateway = try GatewayProcess()
        defer { gateway.terminate() }
        try expectClientChecks("api_http.py", ["keepalive", "pipelined"], gateway: gateway, http: true)
    }

    /// TE+CL, a bad chunk size, duplicate lengths → 400; 431, 414, 413; each closes.
    @Test func malformedAndOversizeRequestsAreRefusedAndClosed() throws {
        let gateway = try GatewayProcess()
        defer { gateway.terminate() }
        try expectClientChecks("api_http.py", ["malformed"], gateway: gateway, http: true)
    }

    @Test func aSlowDripClientGets408() throws {
        let gateway = try GatewayProcess(["MAILGATE_HTTP_TIMEOUT": "1s"])
        defer { gateway.terminate() }
        try expectClientChecks("api_http.py", ["slow"], gateway: gateway, http: true)
    }

    @Test func theAPITokenIsRequiredWithABearerChallenge() throws {
        let gateway = try GatewayProcess(["MAILGATE_API_TOKEN": "e2e-token"])
        defer { gateway.terminate() }
        try expectClientChecks("api_http.py", ["auth"], gateway: gateway, http: true,
                               environment: ["MAILGATE_API_TOKEN": "e2e-token"])
    }
}
