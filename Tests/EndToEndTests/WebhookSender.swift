import Foundation
import Testing

/// A message acknowledged by the gateway, as Clients/hook_send.py reports it.
struct HookSent {
    let id: String
    let rcptTo: [String]
    /// sha256 (Python's hashlib) of the PDF attachment, when the message has one.
    let attachmentSHA256: String?
}

/// Sends `count` messages over one SMTP session with smtplib; every one must get its 250.
func hookSend(_ gateway: GatewayProcess, count: Int = 1, rcpt: [String] = [], attach: Bool = false,
              tag: String = "t") throws -> [HookSent] {
    let out = gateway.directory.appendingPathComponent("sent-\(UUID().uuidString.prefix(8)).jsonl").path
    var arguments = [client("hook_send.py"), "--port", String(gateway.smtpPort), "--out", out,
                     "--count", String(count), "--tag", tag]
    for r in rcpt { arguments += ["--rcpt", r] }
    if attach { arguments.append("--attach") }
    let result = try run("python3", arguments)
    guard result.status == 0 else { throw HookError("hook_send.py failed: \(result.output)") }
    let data = FileManager.default.contents(atPath: out) ?? Data()
    let sent = data.split(separator: UInt8(ascii: "\n")).compactMap { line -> HookSent? in
        guard let o = hookJSONObject(Data(line)), let id = o["id"] as? String else { return nil }
        return HookSent(id: id, rcptTo: o["rcpt_to"] as? [String] ?? [], attachmentSHA256: o["attachment_sha256"] as? String)
    }
    guard sent.count == count else { throw HookError("\(sent.count) of \(count) acknowledged: \(result.output)") }
    return sent
}

/// The environment of a gateway whose default subscriber (MAILGATE_WEBHOOK_URL) is `url`, with
/// retries one second apart so tests see them quickly.
func hookEnvironment(url: String?, secret: String?, _ extra: [String: String] = [:]) -> [String: String] {
    var env = ["MAILGATE_WEBHOOK_RETRY_SCHEDULE": "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s"]
    if let url { env["MAILGATE_WEBHOOK_URL"] = url }
    if let secret { env["MAILGATE_WEBHOOK_SECRET"] = secret }
    for (k, v) in extra { env[k] = v }
    return env
}
