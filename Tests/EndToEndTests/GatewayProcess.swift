import Foundation
import Testing

/// The real `mailgate` binary, started for one test on free ports (port 0) with its own database
/// in a temporary directory. The ports are read from the log line it writes once it listens.
final class GatewayProcess: @unchecked Sendable {
    let directory: URL
    let databasePath: String
    let logPath: String
    private(set) var process: Process
    private(set) var smtpPort = 0
    private(set) var httpPort = 0
    let environment: [String: String]

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["MAILGATE_BIN"] { return path }
        return packageRoot.appendingPathComponent(".build/debug/mailgate").path
    }

    init(_ extra: [String: String] = [:], directory: URL? = nil) throws {
        let dir = try directory ?? FileManager.default.url(for: .itemReplacementDirectory, in: .userDomainMask,
                                                           appropriateFor: URL(fileURLWithPath: "/tmp"), create: true)
        self.directory = dir
        databasePath = dir.appendingPathComponent("mailgate.db").path
        logPath = dir.appendingPathComponent("mailgate-\(UUID().uuidString.prefix(8)).log").path
        var env = ProcessInfo.processInfo.environment
        env["MAILGATE_SMTP_ADDR"] = "127.0.0.1:0"
        env["MAILGATE_HTTP_ADDR"] = "127.0.0.1:0"
        env["MAILGATE_DB"] = databasePath
        env["MAILGATE_HOSTNAME"] = "mx.test"
        env["MAILGATE_THREADS"] = "2"
        env["MAILGATE_LOG_LEVEL"] = "info"
        env["MAILGATE_LOG_FORMAT"] = "text"
        for (k, v) in extra { env[k] = v }
        environment = env
        process = Process()
        try start()
    }

    /// Starts (or restarts) the binary and waits for its "listening" line.
    func start() throws {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["serve"]
        p.environment = environment
        p.standardError = log
        p.standardOutput = log
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let (smtp, http) = listeningPorts() {
                smtpPort = smtp
                httpPort = http
                return
            }
            if !p.isRunning { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw GatewayError.didNotStart(log: (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
    }

    /// The ports of the last "listening" line in the log.
    private func listeningPorts() -> (Int, Int)? {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return nil }
        guard let line = text.split(separator: "\n").last(where: { $0.contains("listening") && $0.contains("smtp=") }) else { return nil }
        func port(_ key: String) -> Int? {
            guard let r = line.range(of: key + "=") else { return nil }
            let rest = line[r.upperBound...].prefix { $0 != " " }
            return rest.split(separator: ":").last.flatMap { Int($0) }
        }
        guard let s = port("smtp"), let h = port("http") else { return nil }
        return (s, h)
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then wait; returns the exit status.
    @discardableResult
    func terminate() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }
}

enum GatewayError: Error { case didNotStart(log: String) }

/// Runs an external program (python3, swaks, smtp-source, curl) and returns its exit status and output.
@discardableResult
func run(_ program: String, _ arguments: [String], input: String? = nil, environment: [String: String]? = nil,
         timeout: TimeInterval = 120) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [program] + arguments
    if let environment { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    let inPipe = Pipe()
    p.standardInput = inPipe
    try p.run()
    if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try? inPipe.fileHandleForWriting.close()
    let data = LockedData()
    let reader = Thread { data.set(out.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    if p.isRunning { p.terminate() }
    p.waitUntilExit()
    while !data.done { Thread.sleep(forTimeInterval: 0.005) }
    return (p.terminationStatus, String(decoding: data.value, as: UTF8.self))
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var _value = Data()
    private var _done = false
    func set(_ d: Data) { lock.lock(); _value = d; _done = true; lock.unlock() }
    var value: Data { lock.lock(); defer { lock.unlock() }; return _value }
    var done: Bool { lock.lock(); defer { lock.unlock() }; return _done }
}

/// The path of a Python client script in Tests/EndToEndTests/Clients.
func client(_ name: String) -> String {
    GatewayProcess.packageRoot.appendingPathComponent("Tests/EndToEndTests/Clients/\(name)").path
}
