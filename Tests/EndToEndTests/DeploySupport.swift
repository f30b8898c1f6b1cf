import Foundation
import Testing

/// Paths and helpers shared by the Deploy*Tests and Operations*Tests.
enum Deploy {
    static var root: URL { GatewayProcess.packageRoot }
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Runs `Clients/deploy_inspect.py <mode> <arguments>` and decodes its JSON output.
    static func inspect<T: Decodable>(_ type: T.Type, _ mode: String, _ arguments: [String]) throws -> T {
        let result = try run("python3", [client("deploy_inspect.py"), mode] + arguments)
        guard result.status == 0 else { throw DeployError.failed("deploy_inspect.py \(mode): \(result.output)") }
        return try JSONDecoder().decode(T.self, from: Data(result.output.utf8))
    }

    /// Every YAML document of a file under deploy/, as JSON values.
    static func yaml(_ relative: String) throws -> [JSONValue] {
        try inspect([JSONValue].self, "yaml", [path(relative)])
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        try FileManager.default.url(for: .itemReplacementDirectory, in: .userDomainMask,
                                    appropriateFor: URL(fileURLWithPath: "/tmp"), create: true)
    }

    /// GET over plain HTTP with curl; returns the status code and body.
    static func get(_ port: Int, _ path: String) throws -> (status: Int, body: String) {
        let marker = "\n--status:"
        let result = try run("curl", ["-sS", "--max-time", "20", "-w", marker + "%{http_code}", "http://127.0.0.1:\(port)\(path)"])
        guard let range = result.output.range(of: marker, options: .backwards) else {
            throw DeployError.failed("curl: \(result.output)")
        }
        return (Int(result.output[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0,
                String(result.output[..<range.lowerBound]))
    }

    /// Lines of a JSON-lines file (each line one JSON object).
    static func jsonLines(_ path: String) -> [[String: Any]] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// Waits until `condition` holds, checking every 20 ms; false when `seconds` pass first.
    static func wait(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return try condition()
    }
}

enum DeployError: Error { case failed(String) }

/// A JSON (or YAML-as-JSON) value, for checking manifests field by field.
enum JSONValue: Decodable, Equatable, Sendable {
    case string(String), number(Double), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
    subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }
    var string: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n == n.rounded() ? String(Int(n)) : String(n)
        case .bool(let b): String(b)
        default: nil
        }
    }
    var int: Int? {
        switch self {
        case .number(let n): Int(n)
        case .string(let s): Int(s)
        default: nil
        }
    }
    var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    var array: [JSONValue] { if case .array(let a) = self { return a }; return [] }
    var keys: [String] { if case .object(let o) = self { return o.keys.sorted() }; return [] }
}

/// The `mailgate` binary started like a container starts it: an exact argv, an exact
/// environment (nothing inherited), a working directory, stderr to its own file. The ports are
/// read from the "listening" log line, in the text or the JSON format.
final class LaunchedGateway: @unchecked Sendable {
    let process = Process()
    let stderrPath: String
    let stdoutPath: String
    private(set) var smtpPort = 0
    private(set) var httpPort = 0

    init(executable: String, arguments: [String], environment: [String: String], directory: URL) throws {
        stderrPath = directory.appendingPathComponent("stderr-\(UUID().uuidString.prefix(8)).log").path
        stdoutPath = directory.appendingPathComponent("stdout-\(UUID().uuidString.prefix(8)).log").path
        for path in [stderrPath, stdoutPath] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        try process.run()
        let started = Deploy.wait(seconds: 60) { listeningPorts() != nil || !process.isRunning }
        guard started, let (smtp, http) = listeningPorts() else {
            throw GatewayError.didNotStart(log: stderr)
        }
        smtpPort = smtp
        httpPort = http
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    private func listeningPorts() -> (Int, Int)? {
        for line in stderr.split(separator: "\n") where line.contains("listening") {
            func port(_ text: String) -> Int? { text.split(separator: ":").last.flatMap { Int($0) } }
            if let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
               let smtp = (object["smtp"] as? String).flatMap(port), let http = (object["http"] as? String).flatMap(port) {
                return (smtp, http)
            }
            let fields = Dictionary(line.split(separator: " ").compactMap { field -> (String, String)? in
                let kv = field.split(separator: "=", maxSplits: 1)
                return kv.count == 2 ? (String(kv[0]), String(kv[1])) : nil
            }, uniquingKeysWith: { $1 })
            if let smtp = fields["smtp"].flatMap(port), let http = fields["http"].flatMap(port) { return (smtp, http) }
        }
        return nil
    }

    /// SIGTERM and wait up to `seconds`; nil when it is still running then (it is killed).
    func terminate(within seconds: Double = 60) -> Int32? {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        if Deploy.wait(seconds: seconds, { !process.isRunning }) {
            process.waitUntilExit()
            return process.terminationStatus
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return nil
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }
}

/// The environment for the binary under test: the given variables and a PATH, nothing else, so
/// no MAILGATE_* variable of the developer's shell leaks in.
func isolatedEnvironment(_ variables: [String: String], binaryDirectory: String? = nil) -> [String: String] {
    var env = variables
    env["PATH"] = ([binaryDirectory].compactMap { $0 } + ["/usr/local/bin", "/usr/bin", "/bin"]).joined(separator: ":")
    env["HOME"] = "/tmp"
    return env
}
