import Foundation
import Testing

/// Runs one of the API clients (Tests/EndToEndTests/Clients/api_*.py) against `gateway` and
/// expects every named check to pass; the script's output is the failure message.
func expectClientChecks(_ script: String, _ checks: [String], gateway: GatewayProcess, http only: Bool = false,
                        environment: [String: String]? = nil, timeout: TimeInterval = 240,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
    let target = only ? String(gateway.httpPort) : "\(gateway.smtpPort),\(gateway.httpPort)"
    let result = try run("python3", [client(script), target] + checks, environment: environment, timeout: timeout)
    #expect(result.status == 0, "\(script) \(checks.joined(separator: " ")):\n\(result.output)\n--- gateway log ---\n\(gateway.log.suffix(2000))",
            sourceLocation: sourceLocation)
    for check in checks {
        #expect(result.output.contains("ok \(check) "), "no `ok \(check)` in:\n\(result.output)", sourceLocation: sourceLocation)
    }
}

/// Sends `count` messages with smtp_client.py; returns the queue ids in order.
func sendMessages(_ gateway: GatewayProcess, count: Int = 1, rcpt: String = "b@y.test") throws -> [String] {
    let out = gateway.directory.appendingPathComponent("sent-\(UUID().uuidString.prefix(8)).jsonl").path
    let result = try run("python3", [client("smtp_client.py"), "send", "--port", String(gateway.smtpPort),
                                     "--count", String(count), "--rcpt", rcpt, "--out", out])
    try #require(result.status == 0, "smtp_client.py: \(result.output)")
    let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
    return try lines.map { line in
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return try #require(object?["id"] as? String)
    }
}
