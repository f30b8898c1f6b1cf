import Foundation
import Testing

/// A real webhook receiver: Clients/hook_receiver.py, a threaded Python http.server that checks
/// every signature with the `standardwebhooks` package and records each request. How each path
/// answers is read from a config file on every request, so a test can change it mid-run.
final class HookReceiver: @unchecked Sendable {
    struct Route {
        /// ok, fail2, gone, hang, slow (see hook_receiver.py).
        var mode: String
        var secret: String?
        var delayMilliseconds = 0
        /// Answer this status instead of the mode's own.
        var status: Int?
    }

    /// One POST as the receiver saw it.
    struct Record {
        let path: String
        let webhookID: String
        let timestamp: String
        let signature: String
        let userAgent: String
        let contentType: String
        /// The `standardwebhooks` package accepted the signature under the route's secret.
        let verified: Bool
        let verifyError: String?
        let status: Int
        let body: String
        /// Requests of this path being answered when this one arrived, itself included.
        let inFlight: Int

        var payload: [String: Any]? { hookJSONObject(Data(body.utf8)) }
        var data: [String: Any]? { payload?["data"] as? [String: Any] }
        /// The id of the message in a message.received payload.
        var messageID: String? { data?["id"] as? String }
    }

    let directory: String
    private let configPath: String
    private let recordsPath: String
    private let releasePath: String
    private(set) var port = 0
    private var process: Process?

    init(routes: [String: Route]) throws {
        directory = NSTemporaryDirectory() + "mailgate-hooks-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        configPath = directory + "/config.json"
        recordsPath = directory + "/records.jsonl"
        releasePath = directory + "/release"
        try setRoutes(routes)
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Replaces the routes; the receiver sees the new ones from its next request on.
    func setRoutes(_ routes: [String: Route]) throws {
        var table: [String: Any] = [:]
        for (path, r) in routes {
            var entry: [String: Any] = ["mode": r.mode, "delay_ms": r.delayMilliseconds]
            if let secret = r.secret { entry["secret"] = secret }
            if let status = r.status { entry["status"] = status }
            table[path] = entry
        }
        let data = try JSONSerialization.data(withJSONObject: ["routes": table, "release": releasePath])
        // Written aside and renamed, so the receiver never reads half a file.
        let temporary = configPath + ".tmp"
        try data.write(to: URL(fileURLWithPath: temporary))
        _ = rename(temporary, configPath)
    }

    /// Starts the server; after `stop()` it comes back on the same port.
    func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", client("hook_receiver.py"), "--config", configPath, "--records", recordsPath,
                       "--port", String(port)]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        process = p
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let n = Int(text.dropFirst(5).prefix { $0.isNumber }) else {
            throw HookError("receiver did not start: \(text)")
        }
        port = n
    }

    func stop() {
        guard let p = process else { return }
        process = nil
        // SIGKILL: the child inherits the test runner's signal mask, in which SIGTERM may be blocked.
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
    }

    /// Lets requests held by `hang` answer.
    func release() { _ = FileManager.default.createFile(atPath: releasePath, contents: Data()) }

    var records: [Record] {
        guard let data = FileManager.default.contents(atPath: recordsPath) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let o = hookJSONObject(Data(line)) else { return nil }
            return Record(path: o["path"] as? String ?? "", webhookID: o["webhook_id"] as? String ?? "",
                          timestamp: o["timestamp"] as? String ?? "", signature: o["signature"] as? String ?? "",
                          userAgent: o["user_agent"] as? String ?? "", contentType: o["content_type"] as? String ?? "",
                          verified: o["verified"] as? Bool ?? false, verifyError: o["verify_error"] as? String,
                          status: o["status"] as? Int ?? 0, body: o["body"] as? String ?? "",
                          inFlight: o["in_flight"] as? Int ?? 0)
        }
    }

    func records(_ path: String) -> [Record] { records.filter { $0.path == path } }

    /// The message ids received on `path`.
    func messageIDs(_ path: String) -> Set<String> { Set(records(path).compactMap(\.messageID)) }
}

struct HookError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func hookJSONObject(_ data: Data) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
}

/// Polls `condition` every 50 ms until it holds or `timeout` seconds pass; returns whether it held.
func hookWait(_ timeout: TimeInterval = 30, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
}

/// A Standard Webhooks secret: `whsec_` and base64 of 32 random bytes.
func hookSecret() -> String {
    var rng = SystemRandomNumberGenerator()
    return "whsec_" + Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }).base64EncodedString()
}

/// A TCP port free at the time of the call (bound to port 0, read back, closed).
func hookFreePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HookError("socket failed") }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &addr) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa -> Bool in
            bind(fd, sa, len) == 0 && getsockname(fd, sa, &len) == 0
        }
    }
    guard bound else { throw HookError("bind failed") }
    return Int(UInt16(bigEndian: addr.sin_port))
}
