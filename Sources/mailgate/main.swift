import ArgumentParser
import Glibc
import Mailgate
import MailgateStore

/// The `mailgate` command. It stays tiny: parsing lives in Mailgate.Configuration, running in
/// Mailgate.Gateway.
struct MailgateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailgate",
        abstract: "SMTP-to-HTTP gateway: receives mail, stores it in SQLite, serves it as JSON, posts webhooks.",
        subcommands: [Serve.self, Health.self, Backup.self, SettingsCommand.self],
        defaultSubcommand: Serve.self)
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the gateway (the default command).",
        discussion: "Every setting is a flag and an environment variable; `mailgate settings` lists them all.")

    @Argument(parsing: .captureForPassthrough, help: "Settings as --flag value (see `mailgate settings`).")
    var options: [String] = []

    func run() throws {
        let configuration: Configuration
        do {
            configuration = try Configuration.resolve(arguments: options, environment: Environment.current)
        } catch let error as ConfigurationError {
            printError("mailgate: \(error)")
            throw ExitCode(2)
        }
        let status = Gateway.run(configuration)
        if status != 0 { throw ExitCode(status) }
    }
}

struct Health: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exit 0 when a running gateway answers /readyz with 200 (for container health checks).")

    @Option(help: "host:port of the HTTP API (default: MAILGATE_HTTP_ADDR, 0.0.0.0 meaning this host).")
    var address: String?

    func run() throws {
        let text = address ?? Environment.current["MAILGATE_HTTP_ADDR"] ?? "127.0.0.1:8025"
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else {
            printError("mailgate: invalid address \(text)")
            throw ExitCode(2)
        }
        var host = String(text[..<colon].filter { $0 != "[" && $0 != "]" })
        if host.isEmpty || host == "0.0.0.0" { host = "127.0.0.1" }
        if host == "::" { host = "::1" }
        let status = HealthCheck.probe(host: host, port: port)
        print(status.map { "readyz: \($0)" } ?? "readyz: unreachable")
        if status != 200 { throw ExitCode(1) }
    }
}

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the database while the gateway runs (SQLite online backup).")

    @Argument(help: "The file to write.")
    var destination: String

    @Option(help: "The database (default: MAILGATE_DB or ./mailgate.db).")
    var db: String?

    func run() throws {
        let source = db ?? Environment.current["MAILGATE_DB"] ?? "./mailgate.db"
        do {
            let pages = try Store.backup(databasePath: source, to: destination)
            print("backup of \(source) written to \(destination) (\(pages) pages)")
        } catch {
            printError("mailgate: backup failed: \(error)")
            throw ExitCode(1)
        }
    }
}

struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "List every setting: environment variable, flag, default, meaning.")

    @Flag(help: "As a Markdown table (docs/OPERATIONS.md holds the same table).")
    var markdown = false

    func run() {
        if markdown {
            print("| variable | flag | default | meaning |\n|---|---|---|---|")
            for s in Settings.all {
                print("| `\(s.env)` | `\(s.flag)` | `\(s.defaultValue)` | \(s.help) |")
            }
        } else {
            for s in Settings.all {
                print(s.env + String(repeating: " ", count: max(1, 45 - s.env.count)) + s.flag)
                print("    default: \(s.defaultValue.isEmpty ? "(empty)" : s.defaultValue); \(s.help)")
            }
        }
    }
}

/// The process environment without Foundation (keeps ~10 MiB of libraries out of the process).
enum Environment {
    static var current: [String: String] {
        var result: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            p += 1
        }
        return result
    }
}

func printError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

MailgateCommand.main()
