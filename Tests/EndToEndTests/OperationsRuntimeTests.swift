import Foundation
import Mailgate
import Testing

/// What docs/OPERATIONS.md promises about the running process: JSON logs, online backups,
/// a clean SIGTERM under load, one-line errors for bad settings.
@Suite("Operations: logs, backup, shutdown, bad settings")
struct OperationsRuntimeTests {
    /// The debug binary's settings for a test: its database in `directory`, free ports.
    static func baseEnvironment(_ directory: URL, _ extra: [String: String] = [:]) -> [String: String] {
        isolatedEnvironment([
            "MAILGATE_DB": directory.appendingPathComponent("mailgate.db").path,
            "MAILGATE_SMTP_ADDR": "127.0.0.1:0",
            "MAILGATE_HTTP_ADDR": "127.0.0.1:0",
            "MAILGATE_HOSTNAME": "mx.test",
            "MAILGATE_THREADS": "2",
        ].merging(extra) { $1 })
    }

    static func storeContents(_ path: String) throws -> (integrity: [String], ids: Set<String>) {
        struct Contents: Decodable { let integrity: [String]; let ids: [String] }
        let contents = try Deploy.inspect(Contents.self, "sqlite", [path])
        return (contents.integrity, Set(contents.ids))
    }

    static func lineCount(_ path: String) -> Int {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    /// Starts a program in the background (a load generator); stdout and stderr to `log`.
    static func background(_ arguments: [String], log: String) throws -> Process {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        return p
    }

    @Test("MAILGATE_LOG_FORMAT=json: every stderr line is a JSON object with time, level and msg")
    func jsonLogs() throws {
        let directory = try Deploy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let gateway = try LaunchedGateway(
            executable: GatewayProcess.binary, arguments: ["serve"],
            environment: Self.baseEnvironment(directory, ["MAILGATE_LOG_FORMAT": "json", "MAILGATE_LOG_LEVEL": "debug",
                                                          "MAILGATE_ACCEPT": "y.test"]),
            directory: directory)
        let acks = directory.appendingPathComponent("acks.jsonl").path
        let sent = try run("python3", [client("smtp_client.py"), "send", "--port", String(gateway.smtpPort), "--count", "2", "--out", acks])
        #expect(sent.status == 0, "\(sent.output)")
        // A refused recipient makes an event with fields ("smtp recipient_rejected").
        let refused = try run("python3", [client("smtp_client.py"), "send", "--port", String(gateway.smtpPort), "--count", "1",
                                          "--rcpt", "someone@elsewhere.test", "--out", acks])
        #expect(refused.status == 1)
        #expect(try Deploy.get(gateway.httpPort, "/api/v1/nothing-here").status == 404)
        #expect(gateway.terminate() == 0)

        let lines = gateway.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count >= 4)
        var messages: [String] = []
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            let time = try #require(object["time"] as? String, "\(line)")
            #expect(time.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil, "\(time)")
            #expect(["debug", "info", "warn", "error"].contains(object["level"] as? String ?? ""), "\(line)")
            let msg = try #require(object["msg"] as? String, "\(line)")
            #expect(object.values.allSatisfy { $0 is String }, "\(line)")
            #expect(line.hasPrefix("{\"time\":"), "time comes first: \(line)")
            messages.append(msg)
        }
        #expect(messages.first == "listening")
        #expect(messages.contains("smtp recipient_rejected"))
        #expect(Array(messages.suffix(2)) == ["shutting down", "stopped"])
    }

    @Test("`mailgate backup` while mail arrives: a consistent copy with every message acknowledged before")
    func backupUnderLoad() throws {
        let directory = try Deploy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let gateway = try GatewayProcess([:], directory: directory)
        let acks = directory.appendingPathComponent("acks.jsonl").path
        let sender = try Self.background(["python3", client("smtp_client.py"), "loop", "--port", String(gateway.smtpPort),
                                          "--per-connection", "20", "--size", "3000", "--out", acks],
                                         log: directory.appendingPathComponent("sender.log").path)
        defer { if sender.isRunning { kill(sender.processIdentifier, SIGKILL); sender.waitUntilExit() } }
        #expect(Deploy.wait(seconds: 120) { Self.lineCount(acks) >= 50 })

        // Everything acknowledged up to now must be in the copy.
        let before = Set(Deploy.jsonLines(acks).compactMap { $0["id"] as? String })
        let copy = directory.appendingPathComponent("backup.db").path
        let backup = try run(GatewayProcess.binary, ["backup", copy, "--db", gateway.databasePath])
        #expect(backup.status == 0, "\(backup.output)")
        #expect(backup.output.hasPrefix("backup of \(gateway.databasePath) written to \(copy) ("))
        // Mail kept arriving during and after the backup.
        #expect(sender.isRunning)
        #expect(Deploy.wait(seconds: 60) { Self.lineCount(acks) > before.count + 20 })
        kill(sender.processIdentifier, SIGKILL)
        sender.waitUntilExit()
        #expect(gateway.terminate() == 0)

        let contents = try Self.storeContents(copy)
        #expect(contents.integrity == ["ok"])
        #expect(before.subtracting(contents.ids).isEmpty, "missing from the backup: \(before.subtracting(contents.ids).count)")
        #expect(contents.ids.count >= before.count)

        // Restored (the copy as the database of a new gateway) it serves those messages.
        let restored = try Deploy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: restored) }
        try FileManager.default.copyItem(atPath: copy, toPath: restored.appendingPathComponent("mailgate.db").path)
        let second = try GatewayProcess([:], directory: restored)
        let one = try #require(before.sorted().first)
        #expect(try Deploy.get(second.httpPort, "/api/v1/messages/\(one)").status == 200)
        #expect(second.terminate() == 0)
    }

    struct LoadReport: Decodable {
        struct Session: Decodable { let greeted: Bool; let end: String?; let last: String; let kind: String; let queued: String? }
        let acked: [String]
        let sessions: [Session]
    }

    /// Runs deploy_load.py against a gateway with the given grace period, sends SIGTERM once
    /// `fastAcks` messages are acknowledged and the slow/stalled clients are inside DATA, and
    /// returns the load report, the gateway's exit and its log.
    static func shutdownUnderLoad(grace: Int, fast: Int, slow: Int, stall: Int, fastAcks: Int,
                                  directory: URL) throws -> (report: LoadReport, gateway: GatewayProcess, exited: Bool) {
        let gateway = try GatewayProcess(["MAILGATE_SHUTDOWN_GRACE": "\(grace)s"], directory: directory)
        let progress = directory.appendingPathComponent("progress.txt").path
        let started = directory.appendingPathComponent("started.txt").path
        let report = directory.appendingPathComponent("report.json").path
        let load = try background(["python3", client("deploy_load.py"), "--port", String(gateway.smtpPort),
                                   "--clients", String(fast), "--per-connection", "5", "--size", "6000",
                                   "--slow-clients", String(slow), "--stall-clients", String(stall), "--slow-seconds", "3",
                                   "--started", started, "--progress", progress, "--out", report],
                                  log: directory.appendingPathComponent("load.log").path)
        defer { if load.isRunning { kill(load.processIdentifier, SIGKILL); load.waitUntilExit() } }
        #expect(Deploy.wait(seconds: 120) { lineCount(progress) >= fastAcks && lineCount(started) == slow + stall })

        kill(gateway.process.processIdentifier, SIGTERM)
        // The gateway's own bound is the grace period plus one second to flush the 421s; the
        // rest is slack for a loaded machine. Past it the gateway is killed and the test fails.
        let exited = Deploy.wait(seconds: Double(grace) + 20) { !gateway.process.isRunning }
        if !exited { gateway.kill9() }
        gateway.process.waitUntilExit()
        #expect(Deploy.wait(seconds: 60) { !load.isRunning })
        let result = try JSONDecoder().decode(LoadReport.self, from: Data(contentsOf: URL(fileURLWithPath: report)))
        return (result, gateway, exited)
    }

    @Test("SIGTERM under SMTP load: exit 0 within the grace period, every 250 stored, every session answered")
    func sigtermUnderLoad() throws {
        let directory = try Deploy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (report, gateway, exited) = try Self.shutdownUnderLoad(grace: 15, fast: 8, slow: 2, stall: 0, fastAcks: 40, directory: directory)
        #expect(exited, "still running after SIGTERM")
        #expect(gateway.process.terminationReason == .exit)
        #expect(gateway.process.terminationStatus == 0)
        #expect(!gateway.log.contains("grace period over"), "sessions were cut: \(gateway.log)")
        #expect(report.acked.count >= 40)
        #expect(!report.acked.contains("?"))

        // Sessions that had their greeting ended cleanly: QUIT, or a 421 4.3.2 and a close.
        let greeted = report.sessions.filter(\.greeted)
        for session in greeted {
            #expect(session.end == "quit" || session.end == "421", "\(session.kind) \(session.end ?? "nil"): \(session.last)")
            if session.end == "421" { #expect(session.last.hasPrefix("421 4.3.2 "), "\(session.last)") }
        }
        #expect(greeted.contains { $0.kind == "fast" && $0.end == "421" }, "no fast session was open at SIGTERM")
        // The transactions in progress at SIGTERM (bodies still arriving) finished with their
        // 250, and only then got the 421.
        let slow = report.sessions.filter { $0.kind == "slow" }
        #expect(slow.count == 2)
        for session in slow {
            #expect(session.queued?.count == 26, "\(session.last)")
            #expect(session.end == "421")
        }
        // Connections tried after the listener closed were refused, not half-served.
        for session in report.sessions where !session.greeted {
            #expect(["refused", "reset", "eof_after_reply", "421"].contains(session.end ?? ""), "\(session.end ?? "nil")")
        }

        let store = try Self.storeContents(gateway.databasePath)
        #expect(store.integrity == ["ok"])
        #expect(store.ids == Set(report.acked), "acknowledged but not stored: \(Set(report.acked).subtracting(store.ids).sorted())")
    }

    @Test("a transaction that outlives the grace period gets 421 4.3.2 and is not stored")
    func graceExpires() throws {
        let directory = try Deploy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (report, gateway, exited) = try Self.shutdownUnderLoad(grace: 2, fast: 2, slow: 0, stall: 1, fastAcks: 10, directory: directory)
        #expect(exited)
        #expect(gateway.process.terminationStatus == 0)
        #expect(gateway.log.contains("grace period over; closing SMTP sessions still in progress sessions=1"), "\(gateway.log)")
        let stalled = try #require(report.sessions.first { $0.kind == "stall" })
        #expect(stalled.end == "421")
        #expect(stalled.last.hasPrefix("421 4.3.2 "))
        for session in report.sessions where session.greeted {
            #expect(session.end == "quit" || session.end == "421", "\(session.kind) \(session.end ?? "nil"): \(session.last)")
        }
        let store = try Self.storeContents(gateway.databasePath)
        #expect(store.integrity == ["ok"])
        #expect(store.ids == Set(report.acked))
    }

    /// Runs the binary with exactly `environment`; returns status, stdout and stderr.
    static func runGateway(_ arguments: [String], _ environment: [String: String], directory: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: GatewayProcess.binary)
        p.arguments = arguments
        p.environment = environment
        let out = directory.appendingPathComponent("out-\(UUID().uuidString.prefix(8))").path
        let err = directory.appendingPathComponent("err-\(UUID().uuidString.prefix(8))").path
        for path in [out, err] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try p.run()
        if !Deploy.wait(seconds: 30, { !p.isRunning }) { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        return (p.terminationStatus, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    static let badSettings: [(String, String)] = [
        ("MAILGATE_SMTP_ADDR", "nonsense"),
        ("MAILGATE_HTTP_ADDR", "127.0.0.1:99999"),
        ("MAILGATE_LOG_FORMAT", "xml"),
        ("MAILGATE_SHUTDOWN_GRACE", "soon"),
        ("MAILGATE_MAX_MESSAGE_SIZE", "10"),
        ("MAILGATE_HOSTNAME", "mx test"),
        ("MAILGATE_WEBHOOK_URL", "http://"),
        ("MAILGATE_WEBHOOK_SECRET", "whsec_c2hvcnQ="),
        ("MAILGATE_WEBHOOK_RETRY_SCHEDULE", "5s,banana"),
        ("MAILGATE_PUBLIC_URL", "http://x y"),
    ]

    @Test("a bad setting exits 2 with one line naming it", arguments: badSettings)
    func badSetting(_ setting: String, _ value: String) throws {
        let directory = try Deploy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var env = Self.baseEnvironment(directory)
        env[setting] = value
        if setting == "MAILGATE_WEBHOOK_SECRET" { env["MAILGATE_WEBHOOK_URL"] = "http://127.0.0.1:9/hook" }
        let result = try Self.runGateway(["serve"], env, directory: directory)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("mailgate: invalid \(setting)=\"\(value)\": "), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        // Nothing was created: the check comes before the database is opened.
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("mailgate.db").path))
    }

    @Test("an unknown flag exits 2 naming it")
    func unknownFlag() throws {
        let directory = try Deploy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Self.runGateway(["serve", "--smtp-adress", "127.0.0.1:0"], Self.baseEnvironment(directory), directory: directory)
        #expect(result.status == 2)
        #expect(result.stderr == "mailgate: invalid --smtp-adress=\"127.0.0.1:0\": unknown option (see mailgate settings)\n")
    }

    @Test("start-up failures exit 1 with one log line naming the setting: port taken, database unusable")
    func startupFailures() throws {
        let directory = try Deploy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try GatewayProcess([:], directory: directory)
        defer { first.terminate() }
        // The SMTP port of a running gateway is taken.
        let taken = "127.0.0.1:\(first.smtpPort)"
        let busy = try Self.runGateway(["serve"], Self.baseEnvironment(directory, [
            "MAILGATE_SMTP_ADDR": taken, "MAILGATE_DB": directory.appendingPathComponent("other.db").path]), directory: directory)
        #expect(busy.status == 1)
        #expect(busy.stderr.split(separator: "\n").count == 1, "\(busy.stderr)")
        #expect(busy.stderr.contains("ERROR cannot listen for SMTP MAILGATE_SMTP_ADDR=\(taken) "), "\(busy.stderr)")
        // A database path that cannot be created.
        let nowhere = directory.appendingPathComponent("missing/dir/mailgate.db").path
        let unusable = try Self.runGateway(["serve"], Self.baseEnvironment(directory, ["MAILGATE_DB": nowhere]), directory: directory)
        #expect(unusable.status == 1)
        #expect(unusable.stderr.split(separator: "\n").count == 1, "\(unusable.stderr)")
        #expect(unusable.stderr.contains("ERROR cannot open the database MAILGATE_DB=\"\(nowhere)\" "), "\(unusable.stderr)")
    }
}
