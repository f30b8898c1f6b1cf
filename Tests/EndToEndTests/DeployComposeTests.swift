import Foundation
import Mailgate
import Testing

/// deploy/compose.yaml and its example consumer (deploy/consumer/): the file is checked field by
/// field, and the consumer is run against a real gateway with the compose file's wiring.
@Suite("Compose quick start (deploy/compose.yaml)")
struct DeployComposeTests {
    static func compose() throws -> JSONValue {
        try #require(try Deploy.yaml("deploy/compose.yaml").first)
    }

    /// `${NAME:-default}` and `${NAME}` as compose interpolates them with NAME unset.
    static func interpolated(_ text: String) -> String {
        var result = text
        while let start = result.range(of: "${"), let end = result.range(of: "}", range: start.upperBound..<result.endIndex) {
            let inner = result[start.upperBound..<end.lowerBound]
            let fallback = inner.range(of: ":-").map { String(inner[$0.upperBound...]) } ?? ""
            result.replaceSubrange(start.lowerBound..<end.upperBound, with: fallback)
        }
        return result
    }

    static func environment(_ service: JSONValue?) -> [String: String] {
        var env: [String: String] = [:]
        for key in service?["environment"]?.keys ?? [] { env[key] = service?["environment"]?[key]?.string ?? "" }
        return env
    }

    @Test("services, build, health check, health-gated start, volume, ports, stop grace")
    func structure() throws {
        let compose = try Self.compose()
        let services = try #require(compose["services"])
        #expect(services.keys == ["consumer", "mailgate"])
        let mailgate = try #require(services["mailgate"])
        let consumer = try #require(services["consumer"])
        let runtime = try #require(try DockerfileFacts.load().runtime)

        // Builds: the Dockerfile from the repository root (so .dockerignore applies), the consumer's own.
        let context = try #require(mailgate["build"]?["context"]?.string)
        let dockerfile = try #require(mailgate["build"]?["dockerfile"]?.string)
        #expect(context == "..")
        #expect(URL(fileURLWithPath: Deploy.path("deploy/" + context + "/" + dockerfile)).standardized.path == Deploy.path("deploy/Dockerfile"))
        let consumerContext = try #require(consumer["build"]?["context"]?.string)
        #expect(FileManager.default.fileExists(atPath: Deploy.path("deploy/\(consumerContext)/Dockerfile")))

        #expect(mailgate["healthcheck"]?["test"] == .array([.string("CMD"), .string("mailgate"), .string("health")]))
        #expect(consumer["healthcheck"]?["test"]?[0]?.string == "CMD")
        #expect(consumer["depends_on"]?["mailgate"]?["condition"]?.string == "service_healthy")

        // The named volume on the image's /data, declared at the top level.
        let mounts = mailgate["volumes"]?.array.compactMap(\.string) ?? []
        #expect(mounts == ["mailgate-data:/data"])
        #expect(runtime.volume == ["/data"])
        #expect(compose["volumes"]?.keys == ["mailgate-data"])
        // Published ports are the image's exposed ports.
        let ports = mailgate["ports"]?.array.compactMap(\.string) ?? []
        #expect(ports == ["2525:2525", "8025:8025"])
        #expect(ports.compactMap { $0.split(separator: ":").last.flatMap { Int($0) } } == runtime.expose)

        // docker stop waits longer than the gateway's grace period.
        let configuration = try Configuration.resolve(arguments: [], environment: runtime.env.merging(Self.environment(mailgate).mapValues(Self.interpolated)) { $1 })
        let stop = try #require(mailgate["stop_grace_period"]?.string)
        #expect(stop == "40s")
        #expect(40_000 > configuration.shutdownGraceMilliseconds)
    }

    @Test("the webhook URL points at the consumer service and both share one valid secret")
    func webhookWiring() throws {
        let services = try #require(try Self.compose()["services"])
        let mailgateEnv = Self.environment(services["mailgate"])
        let consumerEnv = Self.environment(services["consumer"])
        for key in mailgateEnv.keys {
            #expect(Settings.named(key) != nil, "\(key) is not a setting")
        }
        let url = try #require(mailgateEnv["MAILGATE_WEBHOOK_URL"].flatMap { URL(string: $0) })
        #expect(url.scheme == "http")
        #expect(url.host == "consumer")
        #expect(url.port == consumerEnv["PORT"].flatMap { Int($0) })
        #expect(url.path == "/webhook")
        // The same expression on both sides, so one WEBHOOK_SECRET in .env changes both.
        #expect(mailgateEnv["MAILGATE_WEBHOOK_SECRET"] == consumerEnv["WEBHOOK_SECRET"])
        let secret = Self.interpolated(try #require(consumerEnv["WEBHOOK_SECRET"]))
        #expect(secret.hasPrefix("whsec_"))
        // With the image's ENV the whole environment is a valid configuration (the secret included).
        let runtime = try #require(try DockerfileFacts.load().runtime)
        let configuration = try Configuration.resolve(arguments: [], environment: runtime.env.merging(mailgateEnv.mapValues(Self.interpolated)) { $1 })
        #expect(configuration.webhookSecret == secret)
        #expect(configuration.webhookURL == "http://consumer:8080/webhook")
    }

    @Test("the consumer verifies real Mailgate deliveries and refuses forged ones")
    func consumerVerifiesDeliveries() throws {
        let secret = Self.interpolated(try #require(Self.environment(try Self.compose()["services"]?["consumer"])["WEBHOOK_SECRET"]))
        let directory = try Deploy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let consumer = try ConsumerProcess(secret: secret, directory: directory)
        let gateway = try GatewayProcess(["MAILGATE_WEBHOOK_URL": "http://127.0.0.1:\(consumer.port)/webhook",
                                          "MAILGATE_WEBHOOK_SECRET": secret], directory: directory)
        #expect(try Deploy.get(consumer.port, "/healthz").status == 200)

        let acks = directory.appendingPathComponent("acks.jsonl").path
        let sent = try run("python3", [client("smtp_client.py"), "send", "--port", String(gateway.smtpPort), "--count", "1", "--out", acks])
        #expect(sent.status == 0, "\(sent.output)")
        let id = try #require(Deploy.jsonLines(acks).first?["id"] as? String)
        let delivered = try Deploy.wait(seconds: 60) { try consumer.received().contains { $0.messageID == id } }
        #expect(delivered, "consumer log: \(consumer.log)")
        let event = try #require(try consumer.received().first { $0.messageID == id })
        #expect(event.type == "message.received")
        #expect(event.webhookID.hasPrefix("msg_"))

        // A delivery signed with another key gets 401 and is not recorded.
        let forged = try run("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                                      "-H", "webhook-id: msg_forged", "-H", "webhook-timestamp: \(Int(Date().timeIntervalSince1970))",
                                      "-H", "webhook-signature: v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                                      "--data", #"{"type":"message.received","data":{"id":"forged"}}"#,
                                      "http://127.0.0.1:\(consumer.port)/webhook"])
        #expect(forged.output == "401")
        #expect(try consumer.received().count == 1)
        gateway.terminate()
    }

    @Test("a consumer with another secret refuses Mailgate's deliveries")
    func consumerRefusesWrongSecret() throws {
        let directory = try Deploy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let consumer = try ConsumerProcess(secret: "whsec_" + Data((0..<24).map { UInt8($0) }).base64EncodedString(), directory: directory)
        let gateway = try GatewayProcess(["MAILGATE_WEBHOOK_URL": "http://127.0.0.1:\(consumer.port)/webhook",
                                          "MAILGATE_WEBHOOK_SECRET": "whsec_ZXhhbXBsZS1vbmx5LWNoYW5nZS1tZS1wbGVhc2Uh"],
                                         directory: directory)
        let acks = directory.appendingPathComponent("acks.jsonl").path
        let sent = try run("python3", [client("smtp_client.py"), "send", "--port", String(gateway.smtpPort), "--count", "1", "--out", acks])
        #expect(sent.status == 0)
        #expect(Deploy.wait(seconds: 60) { consumer.log.contains("\"msg\":\"rejected webhook\"") }, "consumer log: \(consumer.log)")
        #expect(try consumer.received().isEmpty)
        gateway.terminate()
    }
}

/// deploy/consumer/app.py on a free port.
final class ConsumerProcess: @unchecked Sendable {
    struct Event { let webhookID: String; let type: String?; let messageID: String? }
    let process = Process()
    let logPath: String
    private(set) var port = 0

    init(secret: String, directory: URL) throws {
        logPath = directory.appendingPathComponent("consumer-\(UUID().uuidString.prefix(8)).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Deploy.path("deploy/consumer/app.py")]
        process.environment = ProcessInfo.processInfo.environment.merging(["WEBHOOK_SECRET": secret, "PORT": "0"]) { $1 }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let started = Deploy.wait(seconds: 30) { listeningPort() != nil || !process.isRunning }
        guard started, let port = listeningPort() else { throw DeployError.failed("consumer did not start: \(self.log)") }
        self.port = port
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    private func listeningPort() -> Int? {
        Deploy.jsonLines(logPath).first { $0["msg"] as? String == "listening" }?["port"] as? Int
    }

    func received() throws -> [Event] {
        let response = try Deploy.get(port, "/received")
        guard response.status == 200,
              let items = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [[String: Any]] else {
            throw DeployError.failed("GET /received: \(response)")
        }
        return items.map { item in
            let event = item["event"] as? [String: Any]
            let data = event?["data"] as? [String: Any]
            return Event(webhookID: item["webhook_id"] as? String ?? "", type: event?["type"] as? String, messageID: data?["id"] as? String)
        }
    }

    deinit {
        // SIGKILL: a child of the test process inherits its blocked signals, SIGTERM included.
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }
}
