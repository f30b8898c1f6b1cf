import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The gateway's HTTP API as the webhook tests use it (URLSession: a client nobody here wrote).
struct HookAPI {
    let base: String

    init(_ gateway: GatewayProcess) { base = "http://127.0.0.1:\(gateway.httpPort)" }
    init(base: String) { self.base = base }

    struct Response {
        let status: Int
        let body: Data
        var object: [String: Any]? { hookJSONObject(body) }
    }

    /// `pathOrURL` is a path under the API base, or an absolute URL.
    func request(_ method: String, _ pathOrURL: String, json: [String: Any]? = nil) throws -> Response {
        guard let url = URL(string: pathOrURL.hasPrefix("http") ? pathOrURL : base + pathOrURL) else {
            throw HookError("bad url \(pathOrURL)")
        }
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let box = ResponseBox()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            box.set(status: (response as? HTTPURLResponse)?.statusCode, data: data, error: error)
            done.signal()
        }.resume()
        done.wait()
        let (status, data, error) = box.get()
        guard let status else { throw HookError("\(method) \(pathOrURL): \(error.map { "\($0)" } ?? "no response")") }
        return Response(status: status, body: data ?? Data())
    }

    /// GET that must answer 200 with a JSON object.
    func object(_ path: String) throws -> [String: Any] {
        let r = try request("GET", path)
        guard r.status == 200, let o = r.object else {
            throw HookError("GET \(path): \(r.status) \(String(decoding: r.body, as: UTF8.self))")
        }
        return o
    }

    /// POST /api/v1/webhooks → the created subscriber (201).
    func createWebhook(url: String, secret: String, recipients: [String]? = nil) throws -> [String: Any] {
        var body: [String: Any] = ["url": url, "secret": secret]
        if let recipients { body["filter"] = ["recipients": recipients] }
        let r = try request("POST", "/api/v1/webhooks", json: body)
        guard r.status == 201, let o = r.object else {
            throw HookError("POST /api/v1/webhooks: \(r.status) \(String(decoding: r.body, as: UTF8.self))")
        }
        return o
    }

    /// The id of the subscriber declared by MAILGATE_WEBHOOK_URL.
    func defaultWebhookID() throws -> String {
        let items = try object("/api/v1/webhooks")["items"] as? [[String: Any]] ?? []
        guard let id = items.first(where: { $0["default"] as? Bool == true })?["id"] as? String else {
            throw HookError("no default webhook in \(items)")
        }
        return id
    }

    /// Every delivery of one subscriber (all pages).
    func deliveries(webhookID: String) throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        var cursor: String?
        repeat {
            let page = try object("/api/v1/webhooks/\(webhookID)/deliveries?limit=500"
                                  + (cursor.map { "&cursor=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""))
            out += page["items"] as? [[String: Any]] ?? []
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        return out
    }
}

private final class ResponseBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Int?, Data?, (any Error)?) = (nil, nil, nil)
    func set(status: Int?, data: Data?, error: (any Error)?) { lock.lock(); value = (status, data, error); lock.unlock() }
    func get() -> (Int?, Data?, (any Error)?) { lock.lock(); defer { lock.unlock() }; return value }
}
