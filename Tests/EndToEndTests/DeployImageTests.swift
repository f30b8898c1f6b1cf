import Foundation
import Mailgate
import Testing

/// deploy/Dockerfile, proven without a Docker engine: its stages are read instruction by
/// instruction, the release binary is built the way the builder stage builds it, its shared
/// libraries are matched with the runtime stage's packages, and it is started the way the
/// image starts it (ENV, ENTRYPOINT + CMD), health-checked with the image's HEALTHCHECK and used.
@Suite("Container image (deploy/Dockerfile)")
struct DeployImageTests {
    /// What debian:bookworm-slim already holds that a program may link against.
    static let basePackages: Set<String> = ["libc6", "libgcc-s1", "libstdc++6"]

    @Test("the builder stage builds the static-stdlib release binary on Swift 6.3 / bookworm")
    func builderStage() throws {
        let file = try DockerfileFacts.load()
        #expect(file.stages.count == 2)
        let builder = try #require(file.builder)
        #expect(builder.from == "swift:6.3-bookworm")
        #expect(Set(["libsqlite3-dev", "libcurl4-openssl-dev", "libssl-dev"]).isSubset(of: builder.apt_packages))
        #expect(builder.run.contains { $0.contains("swift build -c release --static-swift-stdlib --product mailgate") })
        let runtime = try #require(file.runtime)
        #expect(runtime.from == "debian:bookworm-slim")
        let stageName = try #require(builder.name)
        #expect(runtime.copy.contains { $0.hasPrefix("--from=\(stageName) ") && $0.hasSuffix(" /usr/local/bin/mailgate") })
        // Every folder the builder copies exists (SwiftPM wants every target's folder).
        for copy in builder.copy {
            let source = try #require(copy.split(separator: " ").first)
            #expect(FileManager.default.fileExists(atPath: Deploy.path(String(source))), "COPY \(copy)")
        }
    }

    @Test("the runtime stage: non-root, /data volume, ports, health check, stop signal, command")
    func runtimeStage() throws {
        let runtime = try #require(try DockerfileFacts.load().runtime)
        let user = try #require(runtime.user)
        let uid = String(user.split(separator: ":")[0])
        #expect(uid != "0" && uid != "root")
        #expect(runtime.volume == ["/data"])
        #expect(runtime.workdir == "/data")
        #expect(runtime.expose == [2525, 8025])
        #expect(runtime.stopsignal == "SIGTERM")
        #expect(runtime.healthcheck == ["mailgate", "health"])
        #expect(try DockerfileFacts.load().command == ["mailgate", "serve"])
        // No HTTP client in the image: the health check is the binary itself.
        #expect(!runtime.apt_packages.contains { $0 == "curl" || $0 == "wget" })

        // Every ENV variable is a real setting, and together they form a valid configuration
        // that puts the database on the volume and listens on the exposed ports.
        for key in runtime.env.keys where key.hasPrefix("MAILGATE_") {
            #expect(Settings.named(key) != nil, "ENV \(key) is not a setting")
        }
        let configuration = try Configuration.resolve(arguments: [], environment: runtime.env)
        #expect(configuration.databasePath == "/data/mailgate.db")
        #expect([configuration.smtpPort, configuration.httpPort] == runtime.expose)
        #expect(configuration.smtpHost == "0.0.0.0" && configuration.httpHost == "0.0.0.0")
        #expect(configuration.logFormat == .json)
    }

    @Test(".dockerignore keeps build output, git and databases out of the build context")
    func dockerignore() throws {
        let text = try String(contentsOfFile: Deploy.path(".dockerignore"), encoding: .utf8)
        let patterns = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") })
        #expect(Set([".build", ".build-*", ".git", "*.db", "*.db-wal", "*.db-shm"]).isSubset(of: patterns))
        // What the builder copies must not be ignored.
        for needed in ["Package.swift", "Sources", "Tests"] {
            #expect(!patterns.contains(needed) && !patterns.contains(needed + "/"))
        }
    }

    @Test("the runtime stage installs every shared library the release binary needs, and no more")
    func runtimeStageProvidesEveryLibrary() throws {
        let binary = try ReleaseBinary.path()
        let runtime = try #require(try DockerfileFacts.load().runtime)
        struct Libraries: Decodable {
            struct Library: Decodable { let soname: String; let path: String?; let package: String? }
            let libraries: [Library]
            let needed: [String]
        }
        let facts = try Deploy.inspect(Libraries.self, "libraries", [binary])
        #expect(facts.libraries.allSatisfy { $0.path != nil }, "ldd: library not found")
        // The Swift runtime and Foundation are linked in (--static-swift-stdlib): the image has none.
        let swiftLibraries = facts.libraries.filter {
            ["libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime", "libicu"].contains(where: $0.soname.hasPrefix)
        }
        #expect(swiftLibraries.isEmpty, "\(swiftLibraries.map(\.soname))")

        let installed = Set(runtime.apt_packages).union(Self.basePackages)
        // Each library the binary names itself comes from a package the stage installs by name...
        let direct = Set(facts.libraries.filter { facts.needed.contains($0.soname) }.compactMap(\.package))
        #expect(direct.isSubset(of: installed), "not installed: \(direct.subtracting(installed).sorted())")
        #expect(direct == ["libc6", "libgcc-s1", "libstdc++6", "libssl3", "libsqlite3-0", "libcurl4"])
        // ...and every library they load in turn comes with those packages' dependencies.
        let closure = Set(try Deploy.inspect([String].self, "closure", installed.sorted()))
        let all = Set(facts.libraries.compactMap(\.package))
        #expect(facts.libraries.allSatisfy { $0.package != nil }, "a library no package owns")
        #expect(all.isSubset(of: closure), "not installed: \(all.subtracting(closure).sorted())")
        // Nothing is installed that the binary does not load (ca-certificates: for https webhooks).
        #expect(Set(runtime.apt_packages).subtracting(["ca-certificates"]).isSubset(of: direct))
    }

    @Test("started as the image starts it, the binary is healthy, takes mail and serves it")
    func imageCommandServesAndIsHealthy() throws {
        let binary = try ReleaseBinary.path()
        let binaryDirectory = URL(fileURLWithPath: binary).deletingLastPathComponent().path
        let file = try DockerfileFacts.load()
        let runtime = try #require(file.runtime)
        let volume = try Deploy.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: volume) }

        // The image's ENV with its /data volume mapped to a temporary directory and port 0.
        var env = runtime.env
        for (key, value) in env {
            if value.hasPrefix("/data/") { env[key] = volume.path + value.dropFirst("/data".count) }
        }
        let smtpHost = try #require(env["MAILGATE_SMTP_ADDR"]?.split(separator: ":").first)
        let httpHost = try #require(env["MAILGATE_HTTP_ADDR"]?.split(separator: ":").first)
        env["MAILGATE_SMTP_ADDR"] = "\(smtpHost):0"
        env["MAILGATE_HTTP_ADDR"] = "\(httpHost):0"
        let command = file.command
        #expect(command.first == "mailgate")
        let gateway = try LaunchedGateway(executable: binary, arguments: Array(command.dropFirst()),
                                          environment: isolatedEnvironment(env, binaryDirectory: binaryDirectory),
                                          directory: volume)
        #expect(FileManager.default.fileExists(atPath: volume.appendingPathComponent("mailgate.db").path))

        // The HEALTHCHECK, run in the container's environment (its HTTP address, real port).
        var healthEnv = env
        healthEnv["MAILGATE_HTTP_ADDR"] = "\(httpHost):\(gateway.httpPort)"
        let healthcheck = try #require(runtime.healthcheck)
        let health = try run(healthcheck[0], Array(healthcheck.dropFirst()),
                             environment: isolatedEnvironment(healthEnv, binaryDirectory: binaryDirectory))
        #expect(health.status == 0)
        #expect(health.output == "readyz: 200\n")

        // A message end to end: smtplib in, the API out.
        let acks = volume.appendingPathComponent("acks.jsonl").path
        let sent = try run("python3", [client("smtp_client.py"), "send", "--port", String(gateway.smtpPort),
                                       "--count", "2", "--out", acks])
        #expect(sent.status == 0, "\(sent.output)")
        let records = Deploy.jsonLines(acks)
        #expect(records.count == 2)
        for record in records {
            let id = try #require(record["id"] as? String)
            let message = try Deploy.get(gateway.httpPort, "/api/v1/messages/\(id)")
            #expect(message.status == 200)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(message.body.utf8)) as? [String: Any])
            #expect(object["id"] as? String == id)
            let raw = try Deploy.get(gateway.httpPort, "/api/v1/messages/\(id)/raw")
            #expect(raw.status == 200)
            #expect(raw.body.contains("Subject: message "))
        }
        // The image logs JSON: every line of stderr is one object with time, level and msg.
        for line in gateway.stderr.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["time"] is String && object?["level"] is String && object?["msg"] is String, "\(line)")
        }

        #expect(gateway.terminate() == 0)
        // Once it is gone the same HEALTHCHECK fails, so Docker would mark it unhealthy.
        let after = try run(healthcheck[0], Array(healthcheck.dropFirst()),
                            environment: isolatedEnvironment(healthEnv, binaryDirectory: binaryDirectory))
        #expect(after.status == 1)
        #expect(after.output == "readyz: unreachable\n")
    }
}
