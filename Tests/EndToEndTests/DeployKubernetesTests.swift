import Foundation
import Mailgate
import Testing

/// deploy/kubernetes/: the manifests read with PyYAML and checked against each other, against
/// the Dockerfile (ports, volume, user) and against the gateway's own settings table.
@Suite("Kubernetes manifests (deploy/kubernetes/)")
struct DeployKubernetesTests {
    static let directory = "deploy/kubernetes"

    static func documents(_ file: String) throws -> [JSONValue] { try Deploy.yaml("\(directory)/\(file)") }

    static func one(_ kind: String, in file: String) throws -> JSONValue {
        let matches = try documents(file).filter { $0["kind"]?.string == kind }
        #expect(matches.count == 1, "\(file): \(matches.count) \(kind)")
        return try #require(matches.first)
    }

    static func statefulSet() throws -> JSONValue { try one("StatefulSet", in: "statefulset.yaml") }

    static func container() throws -> JSONValue {
        let containers = try statefulSet()["spec"]?["template"]?["spec"]?["containers"]?.array ?? []
        #expect(containers.count == 1)
        return try #require(containers.first)
    }

    /// The container's env: literal values, and secret references as "secret:<name>/<key>".
    static func environment() throws -> [String: String] {
        var env: [String: String] = [:]
        for item in try container()["env"]?.array ?? [] {
            guard let name = item["name"]?.string else { continue }
            if let ref = item["valueFrom"]?["secretKeyRef"] {
                env[name] = "secret:\(ref["name"]?.string ?? "")/\(ref["key"]?.string ?? "")"
            } else {
                env[name] = item["value"]?.string ?? ""
            }
        }
        return env
    }

    /// The env with secret references replaced by the Secret's example values.
    static func resolvedEnvironment() throws -> [String: String] {
        let secret = try one("Secret", in: "secret.yaml")
        return try environment().mapValues { value in
            guard value.hasPrefix("secret:") else { return value }
            let key = String(value.split(separator: "/").last ?? "")
            return secret["stringData"]?[key]?.string ?? ""
        }
    }

    @Test("kustomization lists files that exist, the Secret, the Services and the StatefulSet")
    func kustomization() throws {
        let kustomization = try #require(try Self.documents("kustomization.yaml").first)
        let resources = kustomization["resources"]?.array.compactMap(\.string) ?? []
        #expect(resources == ["secret.yaml", "services.yaml", "statefulset.yaml"])
        for file in resources + ["service-smtp-external.yaml", "README.md"] {
            #expect(FileManager.default.fileExists(atPath: Deploy.path("\(Self.directory)/\(file)")), "\(file)")
        }
    }

    @Test("one replica with a volume claim for /data")
    func statefulSetStorage() throws {
        let set = try Self.statefulSet()
        let spec = try #require(set["spec"])
        #expect(spec["replicas"]?.int == 1)
        let labels = try #require(spec["template"]?["metadata"]?["labels"])
        #expect(spec["selector"]?["matchLabels"] == labels)
        let claims = spec["volumeClaimTemplates"]?.array ?? []
        #expect(claims.count == 1)
        let claim = try #require(claims.first)
        #expect(claim["spec"]?["accessModes"] == .array([.string("ReadWriteOnce")]))
        #expect(claim["spec"]?["resources"]?["requests"]?["storage"]?.string != nil)
        let mounts = try Self.container()["volumeMounts"]?.array ?? []
        let data = try #require(mounts.first { $0["mountPath"]?.string == "/data" })
        #expect(data["name"] == claim["metadata"]?["name"])
        #expect(try DockerfileFacts.load().runtime?.volume == ["/data"])
        #expect(try Self.environment()["MAILGATE_DB"] == "/data/mailgate.db")
        // A headless Service names the pod.
        let serviceName = try #require(spec["serviceName"]?.string)
        let headless = try Self.documents("services.yaml").first { $0["metadata"]?["name"]?.string == serviceName }
        #expect(headless?["spec"]?["clusterIP"]?.string == "None")
    }

    @Test("probes on /livez and /readyz, grace period above MAILGATE_SHUTDOWN_GRACE")
    func probesAndGrace() throws {
        let container = try Self.container()
        let ports = Dictionary(uniqueKeysWithValues: (container["ports"]?.array ?? []).compactMap { port -> (String, Int)? in
            guard let name = port["name"]?.string, let number = port["containerPort"]?.int else { return nil }
            return (name, number)
        })
        #expect(ports == ["smtp": 2525, "http": 8025])
        #expect(Array(ports.values).sorted() == (try DockerfileFacts.load().runtime?.expose ?? []))
        #expect(container["livenessProbe"]?["httpGet"]?["path"]?.string == "/livez")
        #expect(container["livenessProbe"]?["httpGet"]?["port"]?.string == "http")
        #expect(container["readinessProbe"]?["httpGet"]?["path"]?.string == "/readyz")
        #expect(container["readinessProbe"]?["httpGet"]?["port"]?.string == "http")
        #expect(container["startupProbe"]?["httpGet"]?["path"]?.string == "/livez")

        let configuration = try Configuration.resolve(arguments: [], environment: try Self.resolvedEnvironment())
        let grace = try #require(try Self.statefulSet()["spec"]?["template"]?["spec"]?["terminationGracePeriodSeconds"]?.int)
        #expect(grace == 40)
        #expect(Int64(grace) * 1000 > configuration.shutdownGraceMilliseconds)
        #expect(configuration.shutdownGraceMilliseconds == 30_000)
        #expect(configuration.smtpPort == ports["smtp"] && configuration.httpPort == ports["http"])
    }

    @Test("the API token and webhook secret come from the Secret; every variable is a setting")
    func secretAndSettings() throws {
        let env = try Self.environment()
        for key in env.keys where key.hasPrefix("MAILGATE_") {
            #expect(Settings.named(key) != nil, "\(key) is not a setting")
        }
        #expect(env["MAILGATE_API_TOKEN"] == "secret:mailgate/api-token")
        #expect(env["MAILGATE_WEBHOOK_SECRET"] == "secret:mailgate/webhook-secret")
        let secret = try Self.one("Secret", in: "secret.yaml")
        #expect(secret["metadata"]?["name"]?.string == "mailgate")
        #expect(secret["stringData"]?.keys == ["api-token", "webhook-secret"])
        // The example values form a valid configuration (the secret is a whsec_ key of 24-64 bytes).
        let configuration = try Configuration.resolve(arguments: [], environment: try Self.resolvedEnvironment())
        #expect(configuration.apiToken != nil)
        #expect(configuration.threads == 2)
    }

    @Test("non-root, read-only root file system, resources, threads matching the CPU limit")
    func securityAndResources() throws {
        let pod = try #require(try Self.statefulSet()["spec"]?["template"]?["spec"])
        let container = try Self.container()
        #expect(pod["securityContext"]?["runAsNonRoot"]?.bool == true)
        let user = try #require(try DockerfileFacts.load().runtime?.user?.split(separator: ":").first.flatMap { Int($0) })
        #expect(pod["securityContext"]?["runAsUser"]?.int == user)
        #expect(pod["securityContext"]?["fsGroup"]?.int == user)
        #expect(container["securityContext"]?["readOnlyRootFilesystem"]?.bool == true)
        #expect(container["securityContext"]?["allowPrivilegeEscalation"]?.bool == false)
        #expect(container["securityContext"]?["capabilities"]?["drop"] == .array([.string("ALL")]))
        // With a read-only root, SQLite's temporary files need a writable /tmp.
        let tmp = (container["volumeMounts"]?.array ?? []).first { $0["mountPath"]?.string == "/tmp" }
        let tmpVolume = (pod["volumes"]?.array ?? []).first { $0["name"] == tmp?["name"] }
        #expect(tmpVolume?["emptyDir"] != nil)
        for kind in ["requests", "limits"] {
            #expect(container["resources"]?[kind]?.keys == ["cpu", "memory"], "\(kind)")
        }
        #expect(container["resources"]?["limits"]?["cpu"]?.string == (try Self.environment()["MAILGATE_THREADS"]))
    }

    @Test("Services: SMTP and HTTP ports, selectors matching the pod, a Local external load balancer")
    func services() throws {
        let podLabels = try #require(try Self.statefulSet()["spec"]?["template"]?["metadata"]?["labels"])
        let services = try Self.documents("services.yaml") + Self.documents("service-smtp-external.yaml")
        #expect(services.allSatisfy { $0["kind"]?.string == "Service" })
        func ports(_ name: String) -> [String] {
            let service = services.first { $0["metadata"]?["name"]?.string == name }
            return (service?["spec"]?["ports"]?.array ?? []).map { "\($0["port"]?.int ?? 0)->\($0["targetPort"]?.string ?? "")" }
        }
        for service in services {
            #expect(service["spec"]?["selector"] == podLabels, "\(service["metadata"]?["name"]?.string ?? "")")
        }
        #expect(ports("mailgate") == ["2525->smtp", "8025->http"])
        #expect(ports("mailgate-smtp") == ["2525->smtp"])
        #expect(ports("mailgate-http") == ["8025->http"])
        #expect(ports("mailgate-smtp-external") == ["25->smtp"])
        let external = try #require(services.first { $0["metadata"]?["name"]?.string == "mailgate-smtp-external" })
        #expect(external["spec"]?["type"]?.string == "LoadBalancer")
        #expect(external["spec"]?["externalTrafficPolicy"]?.string == "Local")
    }
}
