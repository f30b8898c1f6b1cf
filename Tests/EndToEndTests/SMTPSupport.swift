import Foundation
import Testing

/// What `Clients/smtp_raw.py` saw on one connection: every reply in order (a multiline reply is
/// one string, its lines joined by "\n"), how the connection ended, and any client error.
struct RawTranscript: Decodable {
    let replies: [String]
    /// "eof" or "reset" once the server closed the connection; nil if it was still open.
    let closed: String?
    /// Octets after the last complete reply.
    let extra: String
    let error: String?

    /// The queue id in the reply at `index` ("250 2.0.0 Ok: queued as <id>").
    func queueID(at index: Int) -> String? {
        guard replies.indices.contains(index), let r = replies[index].range(of: "queued as ") else { return nil }
        return String(replies[index][r.upperBound...])
    }
}

/// What `Clients/store_check.py` found in a gateway's store (see the script for the checks).
struct StoreReport: Decodable {
    let stored: Int
    let checked: Int
    let problems: [String]
}

/// Drives the Python clients and command-line tools against a running gateway.
enum SMTPClients {
    /// The last line of `output` that is a JSON object, decoded.
    static func decodeLast<T: Decodable>(_ type: T.Type, from output: String) throws -> T {
        let line = output.split(separator: "\n").last { $0.hasPrefix("{") } ?? ""
        return try JSONDecoder().decode(T.self, from: Data(line.utf8))
    }

    /// Runs `smtp_raw.py` with `steps` (see the script) on the gateway's SMTP port.
    static func raw(_ gateway: GatewayProcess, _ steps: [String], timeout: Int = 20) throws -> RawTranscript {
        let result = try run("python3", [client("smtp_raw.py"), "--port", String(gateway.smtpPort),
                                         "--timeout", String(timeout)] + steps, timeout: TimeInterval(timeout * 3))
        return try decodeLast(RawTranscript.self, from: result.output)
    }

    /// Runs `smtp_client.py send` (smtplib); the acknowledged messages are appended to `acks`.
    @discardableResult
    static func send(_ gateway: GatewayProcess, acks: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try run("python3", [client("smtp_client.py"), "send", "--port", String(gateway.smtpPort), "--out", acks] + arguments)
    }

    /// Runs `store_check.py` against the gateway's HTTP API.
    static func checkStore(_ gateway: GatewayProcess, acks: [String] = [], regenerate: Bool = false,
                           smtpSource: Int? = nil, sqlite: Bool = false) throws -> StoreReport {
        var arguments = [client("store_check.py"), "--http", String(gateway.httpPort)]
        for file in acks { arguments += ["--acks", file] }
        if regenerate { arguments.append("--regenerate") }
        if let smtpSource { arguments += ["--smtp-source", String(smtpSource)] }
        if sqlite { arguments += ["--sqlite", gateway.environment["MAILGATE_DB"] ?? gateway.databasePath] }
        let result = try run("python3", arguments, timeout: 300)
        do {
            return try decodeLast(StoreReport.self, from: result.output)
        } catch {
            Issue.record("store_check.py failed: \(result.output)")
            throw error
        }
    }

    /// GET `path` on the HTTP API, decoded as a JSON object.
    static func apiJSON(_ gateway: GatewayProcess, _ path: String) throws -> [String: Any] {
        let result = try run("curl", ["-sS", "--max-time", "30", "http://127.0.0.1:\(gateway.httpPort)\(path)"])
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(result.output.prefix(300))")
    }

    /// GET `path` on the HTTP API, the body as bytes.
    static func apiBytes(_ gateway: GatewayProcess, _ path: String) throws -> Data {
        let file = gateway.directory.appendingPathComponent("download-\(UUID().uuidString)").path
        try run("curl", ["-sS", "--fail", "--max-time", "60", "-o", file, "http://127.0.0.1:\(gateway.httpPort)\(path)"])
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try Data(contentsOf: URL(fileURLWithPath: file))
    }

    /// The number of stored messages, from the list endpoint.
    static func storedCount(_ gateway: GatewayProcess) throws -> Int {
        try checkStore(gateway).stored
    }

    /// Writes one acknowledgement line for `store_check.py`: the message `id` must be stored
    /// with trace headers followed by exactly the contents of `tailFile` (or octets of `sha256`).
    static func writeAck(to path: String, id: String, tailFile: String? = nil, sha256: String? = nil, mailFrom: String,
                         rcptTo: [String], helo: String, protocol proto: String) throws {
        var record: [String: Any] = ["id": id, "mail_from": mailFrom, "rcpt_to": rcptTo, "helo": helo, "protocol": proto]
        if let tailFile { record["tail_file"] = tailFile }
        if let sha256 { record["sha256"] = sha256 }
        var line = try JSONSerialization.data(withJSONObject: record)
        line.append(UInt8(ascii: "\n"))
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(line)
            try handle.close()
        } else {
            try line.write(to: URL(fileURLWithPath: path))
        }
    }
}

/// A client program running alongside the test (for the crash and shutdown tests).
final class BackgroundProcess: @unchecked Sendable {
    let process = Process()
    let outputPath: String

    init(_ program: String, _ arguments: [String], outputPath: String) throws {
        self.outputPath = outputPath
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits for the program to exit (killing it after `timeout` seconds); returns its output.
    @discardableResult
    func wait(timeout: TimeInterval = 60) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning {
            Issue.record("\(process.arguments ?? []) still running after \(timeout) s; killed")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return output
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }
}

/// Waits until `condition` holds, polling; false if `timeout` seconds passed first. Only a guard
/// against hangs: no test asserts how long anything took.
func waitUntil(timeout: TimeInterval = 20, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return condition()
}

extension GatewayProcess {
    /// Stops the gateway (SIGKILL if it still runs) and deletes its temporary directory. Called
    /// at the end of a test, so a test that stopped early leaves its log and database behind.
    func removeFiles() {
        if process.isRunning { kill9() }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A file path in this gateway's temporary directory.
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes `bytes` to a file in the gateway's directory and returns its path.
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }
}
