import Foundation
import Testing

/// The rule that holds Mailgate together: a 250 after the final dot means the message is
/// committed. Clients send without pause, the gateway is killed with SIGKILL mid-stream and
/// restarted on the same database, three times; every acknowledged message must be stored and
/// complete, and nothing stored may be partial. The search file, killed mid-pass as well, must
/// then index exactly the stored messages.
@Suite struct CrashTests {
    /// One client per size: small messages commit in groups, large ones span many WAL pages,
    /// so the kill lands in different phases of a commit.
    static let messageSizes = [2048, 4096, 65_536, 524_288]

    @Test func everyAcknowledgedMessageSurvivesKillNine() throws {
        let gateway = try GatewayProcess()
        var ackFiles: [String] = []
        for cycle in 1...3 {
            // smtp_client.py loop fsyncs each acknowledged id and sha256 the moment its 250 arrives.
            var senders: [BackgroundProcess] = []
            var cycleAcks: [String] = []
            for (n, size) in Self.messageSizes.enumerated() {
                let acks = gateway.path("acks-\(cycle)-\(n).jsonl")
                cycleAcks.append(acks)
                senders.append(try BackgroundProcess("python3", [
                    client("smtp_client.py"), "loop", "--port", String(gateway.smtpPort), "--out", acks,
                    "--seed", String(cycle * 100 + n), "--size", String(size), "--per-connection", "25",
                ], outputPath: gateway.path("client-\(cycle)-\(n).out")))
            }
            // Let every client get acknowledgements flowing, then keep going a little longer so
            // the kill lands while many transactions are between DATA and their 250.
            let flowing = waitUntil(timeout: 30) {
                cycleAcks.allSatisfy { ((try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) ?? 0) > 0 }
            }
            try #require(flowing, "cycle \(cycle): clients got no 250: \(senders.map(\.output))")
            Thread.sleep(forTimeInterval: 1.5)
            gateway.kill9()
            for sender in senders { sender.wait(timeout: 60) }
            ackFiles += cycleAcks

            try gateway.start()
            // All acknowledgements so far (earlier cycles too) against the restarted store, and
            // every stored message (acknowledged or not) regenerated and compared in full.
            let report = try SMTPClients.checkStore(gateway, acks: ackFiles, regenerate: true, sqlite: cycle == 3)
            #expect(report.checked > 0)
            #expect(report.stored >= report.checked)
            #expect(report.problems == [], "cycle \(cycle)")
        }
        // A search applies whatever is still queued; then the search file must hold exactly the
        // stored messages, and FTS5 must find its tables consistent.
        _ = try SMTPClients.apiJSON(gateway, "/api/v1/messages?q=anything&limit=1")
        #expect(gateway.terminate() == 0)
        let check = try run("python3", [client("search_check.py"), gateway.databasePath])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.output.utf8)) as? [String: Any],
                                  "\(check.output)")
        #expect((report["messages"] as? Int ?? 0) > 0)
        #expect(report["missing"] as? Int == 0 && report["extra"] as? Int == 0, "\(report)")
        #expect(report["integrity"] as? String == "ok", "\(report)")
        gateway.removeFiles()
    }
}
