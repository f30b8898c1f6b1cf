import Foundation
import Testing

/// A real HTTP receiver: a small Python http.server that verifies every request with the
/// `standardwebhooks` package and records what it got, one JSON line per request.
final class Receiver: @unchecked Sendable {
    /// How a path answers.
    enum Mode: String {
        case ok
        /// 500 for the first two requests of each webhook-id, then 200.
        case fail2
        case gone
        /// Holds every request until `release()`.
        case hang
        /// Holds the first request of each webhook-id until `release()`; answers later ones at once.
        case hangFirst = "hang_first"
        /// 429 with `Retry-After: 1` for the first request of each webhook-id, then 200.
        case busyOnce = "busy_once"
        /// 200 with a 100 KiB body.
        case big
    }

    struct Route {
        var mode: Mode
        /// The request must verify under each of these secrets.
        var secrets: [String]
    }

    struct Record {
        let path: String
        let webhookID: String
        let timestamp: String
        let signature: String
        let userAgent: String
        let contentType: String
        /// One entry per route secret: whether the request verified under it.
        let verified: [Bool]
        let body: String
        let status: Int
    }

    let directory: String
    private let configPath: String
    private let recordsPath: String
    let releasePath: String
    private(set) var port: Int
    private var process: Process?

    init(routes: [String: Route], port: Int = 0) throws {
        directory = NSTemporaryDirectory() + "mailgate-receiver-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        configPath = directory + "/config.json"
        recordsPath = directory + "/records.jsonl"
        releasePath = directory + "/release"
        self.port = port
        let config: [String: Any] = [
            "records": recordsPath, "release": releasePath,
            "routes": routes.mapValues { ["mode": $0.mode.rawValue, "secrets": $0.secrets] },
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        try Self.script.write(toFile: directory + "/receiver.py", atomically: true, encoding: .utf8)
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Starts the server (again, on the same port after `stop()`).
    func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", directory + "/receiver.py", configPath, String(port)]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        process = p
        // The first line is "PORT <n>" once the socket listens.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let n = Int(text.dropFirst(5).prefix { $0.isNumber }) else {
            throw ReceiverError(message: "receiver did not start: \(text)")
        }
        port = n
    }

    func stop() {
        guard let p = process else { return }
        process = nil
        // SIGKILL: the child inherits a signal mask from the test runner in which SIGTERM is blocked.
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
    }

    /// Lets held requests answer.
    func release() { _ = FileManager.default.createFile(atPath: releasePath, contents: Data()) }

    var records: [Record] {
        guard let data = FileManager.default.contents(atPath: recordsPath) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { return nil }
            return Record(path: o["path"] as? String ?? "", webhookID: o["webhook_id"] as? String ?? "",
                          timestamp: o["timestamp"] as? String ?? "", signature: o["signature"] as? String ?? "",
                          userAgent: o["user_agent"] as? String ?? "", contentType: o["content_type"] as? String ?? "",
                          verified: o["verified"] as? [Bool] ?? [], body: o["body"] as? String ?? "",
                          status: o["status"] as? Int ?? 0)
        }
    }

    func records(_ path: String) -> [Record] { records.filter { $0.path == path } }

    struct ReceiverError: Error { let message: String }

    static let script = #"""
    import json, os, sys, threading, time
    from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
    from standardwebhooks.webhooks import Webhook

    config = json.load(open(sys.argv[1]))
    port = int(sys.argv[2])
    lock = threading.Lock()
    seen = {}

    def released():
        return os.path.exists(config["release"])

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            route = config["routes"].get(self.path, {"mode": "missing", "secrets": []})
            headers = {k: v for (k, v) in self.headers.items()}
            verified = []
            for secret in route["secrets"]:
                try:
                    Webhook(secret).verify(body, headers)
                    verified.append(True)
                except Exception:
                    verified.append(False)
            wid = self.headers.get("webhook-id", "")
            with lock:
                seen[(self.path, wid)] = seen.get((self.path, wid), 0) + 1
                nth = seen[(self.path, wid)]
            mode = route["mode"]
            status = {"ok": 200, "gone": 410, "missing": 404, "hang": 200, "hang_first": 200}.get(mode, 200)
            if mode == "fail2":
                status = 500 if nth <= 2 else 200
            if mode == "busy_once":
                status = 429 if nth == 1 else 200
            record = {"path": self.path, "webhook_id": wid, "timestamp": self.headers.get("webhook-timestamp", ""),
                      "signature": self.headers.get("webhook-signature", ""),
                      "user_agent": self.headers.get("User-Agent", ""),
                      "content_type": self.headers.get("Content-Type", ""),
                      "verified": verified, "body": body.decode("utf-8"), "status": status}
            with lock:
                with open(config["records"], "a") as f:
                    f.write(json.dumps(record) + "\n")
            if mode == "hang" or (mode == "hang_first" and nth == 1):
                while not released():
                    time.sleep(0.02)
            reply = json.dumps({"status": status}).encode()
            if mode == "big":
                reply = b"x" * (100 * 1024)
            try:
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", "1")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
            except Exception:
                pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", port), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()
    """#
}
