import Foundation
import Testing

/// SIGTERM: stop accepting, let the transaction in progress finish (its 250 comes after the
/// commit), then 421 4.3.2 to every session; exit 0 with nothing acknowledged lost.
@Suite struct SMTPShutdownTests {
    @Test func sigtermLetsTheOpenTransactionFinishThenSays421() throws {
        let gateway = try GatewayProcess()
        let midReady = gateway.path("mid.ready"), midGo = gateway.path("mid.go"), idleReady = gateway.path("idle.ready")
        let port = String(gateway.smtpPort)
        let content = "Subject: last one\\r\\n\\r\\nsent after SIGTERM\\r\\n.\\r\\n"
        // Mid-transaction: stops after DATA's 354 until the test says go.
        let mid = try BackgroundProcess("python3", [
            client("smtp_raw.py"), "--port", port, "--timeout", "30",
            "recv", "send:EHLO mid.x.test\\r\\n", "recv", "send:MAIL FROM:<a@x.test>\\r\\n", "recv",
            "send:RCPT TO:<b@y.test>\\r\\n", "recv", "send:DATA\\r\\n", "recv",
            "touch:" + midReady, "await:" + midGo, "send:" + content, "recv", "close",
        ], outputPath: gateway.path("mid.out"))
        // Idle: greeted and said EHLO, then waits.
        let idle = try BackgroundProcess("python3", [
            client("smtp_raw.py"), "--port", port, "--timeout", "30",
            "recv", "send:EHLO idle.x.test\\r\\n", "recv", "touch:" + idleReady, "close",
        ], outputPath: gateway.path("idle.out"))
        try #require(waitUntil { FileManager.default.fileExists(atPath: midReady) && FileManager.default.fileExists(atPath: idleReady) },
                     "clients did not get going: \(mid.output) \(idle.output)")

        kill(gateway.process.processIdentifier, SIGTERM)

        // The idle session is told at once; the mid-transaction one is still in DATA then.
        let idleOutput = idle.wait(timeout: 30)
        let idleTranscript = try SMTPClients.decodeLast(RawTranscript.self, from: idleOutput)
        #expect(idleTranscript.replies == ["220 mx.test ESMTP Mailgate", SMTPProtocolEdgeTests.ehloReply,
                                           "421 4.3.2 mx.test Service shutting down"])
        #expect(idleTranscript.closed == "eof")
        #expect(gateway.process.isRunning, "the gateway waits for the transaction in progress")

        // No new connections once shutting down.
        let refused = try run("python3", ["-c", "import socket; socket.create_connection(('127.0.0.1', \(port)), timeout=5)"])
        #expect(refused.status != 0)

        _ = FileManager.default.createFile(atPath: midGo, contents: nil)
        let midTranscript = try SMTPClients.decodeLast(RawTranscript.self, from: mid.wait(timeout: 30))
        #expect(midTranscript.error == nil)
        try #require(midTranscript.replies.count == 7, "\(midTranscript.replies)")
        #expect(midTranscript.replies[5].hasPrefix("250 2.0.0 Ok: queued as "))
        #expect(midTranscript.replies[6] == "421 4.3.2 mx.test Service shutting down")
        #expect(midTranscript.closed == "eof")
        let id = try #require(midTranscript.queueID(at: 5))

        gateway.process.waitUntilExit()
        #expect(gateway.process.terminationReason == .exit)
        #expect(gateway.process.terminationStatus == 0)

        // Restarted on the same database: the message acknowledged during shutdown is there.
        try gateway.start()
        let acks = gateway.path("acks.jsonl")
        let tail = try gateway.file("last.eml", Array("Subject: last one\r\n\r\nsent after SIGTERM\r\n".utf8))
        try SMTPClients.writeAck(to: acks, id: id, tailFile: tail, mailFrom: "a@x.test", rcptTo: ["b@y.test"],
                                 helo: "mid.x.test", protocol: "ESMTP")
        let report = try SMTPClients.checkStore(gateway, acks: [acks], sqlite: true)
        #expect(report.stored == 1)
        #expect(report.problems == [])
        gateway.removeFiles()
    }
}
