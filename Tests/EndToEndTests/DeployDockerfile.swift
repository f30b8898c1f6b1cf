import Foundation

/// deploy/Dockerfile as deploy_inspect.py reads it: its stages and their instructions.
struct DockerfileFacts: Decodable {
    struct Stage: Decodable {
        let from: String
        let name: String?
        let env: [String: String]
        let run: [String]
        let apt_packages: [String]
        let copy: [String]
        let expose: [Int]
        let volume: [String]
        let user: String?
        let workdir: String?
        let entrypoint: [String]?
        let cmd: [String]?
        let healthcheck: [String]?
        let healthcheck_options: [String: String]
        let stopsignal: String?
    }
    let stages: [Stage]

    static func load() throws -> DockerfileFacts {
        try Deploy.inspect(DockerfileFacts.self, "dockerfile", [Deploy.path("deploy/Dockerfile")])
    }

    /// The stage the image is made of: the last one.
    var runtime: Stage? { stages.last }
    var builder: Stage? { stages.first }

    /// The argv the container runs: ENTRYPOINT followed by CMD.
    var command: [String] { (runtime?.entrypoint ?? []) + (runtime?.cmd ?? []) }
}

/// The release binary the builder stage makes, built here the same way into its own scratch
/// path (.build-deploytest, ignored by git), once per test run. MAILGATE_DEPLOY_BINARY names
/// an already built one instead.
enum ReleaseBinary {
    static let scratchPath = Deploy.path(".build-deploytest")

    static let built: Result<String, DeployError> = {
        if let given = ProcessInfo.processInfo.environment["MAILGATE_DEPLOY_BINARY"] { return .success(given) }
        do {
            let result = try run("swift", ["build", "-c", "release", "--static-swift-stdlib", "--product", "mailgate",
                                           "--package-path", Deploy.root.path, "--scratch-path", scratchPath],
                                 timeout: 3600)
            let binary = scratchPath + "/release/mailgate"
            guard result.status == 0, FileManager.default.isExecutableFile(atPath: binary) else {
                return .failure(.failed("release build failed:\n" + result.output.suffix(4000)))
            }
            return .success(binary)
        } catch {
            return .failure(.failed("release build did not run: \(error)"))
        }
    }()

    static func path() throws -> String { try built.get() }
}
