import Foundation
import Testing

/// `/api/v1/messages`, `/api/v1/events`, `/metrics` and the webhooks API against the real binary,
/// driven by Python (urllib, http.client, smtplib) and curl. Each test starts its own gateway.
@Suite("API end to end: messages, events, metrics, webhooks", .serialized)
struct APIMessagesEndToEndTests {
    @Test func pagingThroughAThousandMessagesWithTheCursorHasNoDuplicatesOrGaps() throws {
        let gateway = try GatewayProcess()
        defer { gateway.terminate() }
        try expectClientChecks("api_messages.py", ["paging"], gateway: gateway)
    }

    @Test func filtersFullTextAndLatest() throws {
        let gateway = try GatewayProcess()
        defer { gateway.terminate() }
        try expectClientChecks("api_messages.py", ["filters"], gateway: gateway)
    }

    @Test func messageETagsRawBytesThreeMebibytesAndAttachments() throws {
        let gateway = try GatewayProcess(["MAILGATE_MAX_MESSAGE_SIZE": "8M"])
        defer { gateway.terminate() }
        try expectClientChecks("api_messages.py", ["bodies"], gateway: gateway)
    }

    @Test func deleteOneFilteredAndAll() throws {
        let gateway = try GatewayProcess()
        defer { gateway.terminate() }
        try expectClientChecks("api_messages.py", ["delete"], gateway: gateway)
    }

    @Test func errorShapesMethodsAndProbes() throws {
        let gateway = try GatewayProcess()
        defer { gateway.terminate() }
        try expectClientChecks("api_messages.py", ["errors"], gateway: gateway)
    }

    @Test func serverSentEventsCarryTheSummaries() throws {
        let gateway = try GatewayProcess()
        defer { gateway.terminate() }
        try expectClientChecks("api_messages.py", ["sse"], gateway: gateway)
    }

    /// Last-Event-ID: the messages stored since, in order, then the live ones, none twice; a
    /// long replay continues over reconnections without a gap.
    @Test func eventStreamReplaysAfterLastEventID() throws {
        let gateway = try GatewayProcess()
        defer { gateway.terminate() }
        try expectClientChecks("api_messages.py", ["sse_replay"], gateway: gateway)
    }

    @Test func metricsInPrometheusText() throws {
        let gateway = try GatewayProcess(["MAILGATE_MAX_MESSAGE_SIZE": "100000"])
        defer { gateway.terminate() }
        try expectClientChecks("api_messages.py", ["metrics"], gateway: gateway)
    }

    @Test func webhooksCreateListGetPatchTestDeliveriesDelete() throws {
        let gateway = try GatewayProcess()
        defer { gateway.terminate() }
        try expectClientChecks("api_webhooks.py", ["crud"], gateway: gateway)
    }

    /// curl: the ETag round trip (304 without a body) and HEAD.
    @Test func curlConditionalGetAndHead() throws {
        let gateway = try GatewayProcess()
        defer { gateway.terminate() }
        let id = try #require(try sendMessages(gateway).first)
        let url = "http://127.0.0.1:\(gateway.httpPort)/api/v1/messages/\(id)"
        let first = try run("curl", ["-s", "-D", "-", "-o", "/dev/null", url])
        #expect(first.output.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(first.output.contains("\r\nETag: \"\(id)\"\r\n"), "\(first.output)")
        let notModified = try run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                                           "-H", "If-None-Match: \"\(id)\"", url])
        #expect(notModified.output == "304 0")
        let head = try run("curl", ["-s", "-I", url + "/raw"])
        #expect(head.output.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(head.output.contains("\r\nContent-Type: message/rfc822\r\n"))
        let raw = try run("curl", ["-s", "-o", "/dev/null", "-w", "%{size_download}", url + "/raw"])
        #expect(head.output.contains("\r\nContent-Length: \(raw.output)\r\n"), "\(head.output) vs \(raw.output)")
    }

    /// curl -N: three messages become three `message.received` events, in order, with their ids.
    @Test func curlReceivesServerSentEvents() throws {
        let gateway = try GatewayProcess()
        defer { gateway.terminate() }
        let outPath = gateway.directory.appendingPathComponent("events.txt").path
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        curl.arguments = ["curl", "-sN", "--max-time", "6", "http://127.0.0.1:\(gateway.httpPort)/api/v1/events"]
        curl.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        try curl.run()
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, (try? String(contentsOfFile: outPath, encoding: .utf8))?.hasPrefix(": connected\n\n") != true {
            Thread.sleep(forTimeInterval: 0.02)
        }
        let ids = try sendMessages(gateway, count: 3)
        curl.waitUntilExit()
        let text = try String(contentsOfFile: outPath, encoding: .utf8)
        #expect(text.hasPrefix(": connected\n\n"))
        let frames = text.components(separatedBy: "\n\n").filter { $0.hasPrefix("event: ") }
        #expect(frames.map { $0.split(separator: "\n").prefix(2).joined(separator: "|") }
                == ids.map { "event: message.received|id: \($0)" })
        for (frame, id) in zip(frames, ids) {
            #expect(frame.contains("\ndata: {\"id\":\"\(id)\",\"received_at\":\""))
        }
    }
}
