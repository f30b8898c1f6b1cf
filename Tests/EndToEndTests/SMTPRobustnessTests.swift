import Foundation
import Testing

/// The glue between the reactor and the session under clients that do not behave: floods of
/// pipelined input, disconnects at the worst moment, too many connections, a shutdown that
/// runs out of grace.
@Suite struct SMTPRobustnessTests {
    /// 300 BDAT transactions pipelined in one write (~700 KiB): far more than the session may
    /// hold while a commit is outstanding, so reading pauses and resumes around each commit.
    /// Every reply arrives, in order, and every message is stored complete.
    @Test func pipelinedBdatFloodIsAnsweredInOrderAndStored() throws {
        let gateway = try GatewayProcess()
        let count = 300, size = 2048
        let stream = gateway.path("stream.smtp")
        let made = try run("python3", [client("bdat_stream.py"), "--count", String(count), "--size", String(size),
                                       "--seed", "7", "--out", stream])
        let shas = made.output.split(separator: "\n").map(String.init)
        try #require(made.status == 0 && shas.count == count, "\(made.output)")

        let t = try SMTPClients.raw(gateway, ["recv", "send:EHLO flood.x.test\\r\\n", "recv", "sendfile:" + stream]
                                    + Array(repeating: "recv", count: 3 * count + 1) + ["close"], timeout: 60)
        #expect(t.error == nil)
        try #require(t.replies.count == 2 + 3 * count + 1, "\(t.replies.count) replies, last: \(t.replies.suffix(3))")
        let acks = gateway.path("acks.jsonl")
        for i in 0..<count {
            let base = 2 + 3 * i
            #expect(t.replies[base] == "250 2.1.0 Ok")
            #expect(t.replies[base + 1] == "250 2.1.5 Ok")
            let id = try #require(t.queueID(at: base + 2), "message \(i): \(t.replies[base + 2])")
            try SMTPClients.writeAck(to: acks, id: id, sha256: shas[i], mailFrom: "a@x.test", rcptTo: ["b@y.test"],
                                     helo: "flood.x.test", protocol: "ESMTP")
        }
        #expect(t.replies.last == "221 2.0.0 Bye")
        #expect(t.closed == "eof")
        let report = try SMTPClients.checkStore(gateway, acks: [acks], regenerate: true)
        #expect(report.checked == count)
        #expect(report.stored == count)
        #expect(report.problems == [])
        gateway.removeFiles()
    }

    /// Content sent before the 354 (DATA is the end of a pipelining group, RFC 2920 §3.1):
    /// 554 5.5.0 and close; nothing stored.
    @Test func contentBeforeThe354IsASynchronizationError() throws {
        let gateway = try GatewayProcess()
        let t = try SMTPClients.raw(gateway, [
            "recv", "send:EHLO c.x.test\\r\\n", "recv",
            "send:MAIL FROM:<a@x.test>\\r\\nRCPT TO:<b@y.test>\\r\\nDATA\\r\\nSubject: x\\r\\n\\r\\nbody\\r\\n.\\r\\n", "close",
        ])
        #expect(t.error == nil)
        #expect(Array(t.replies.dropFirst(2)) == ["250 2.1.0 Ok", "250 2.1.5 Ok", "554 5.5.0 Error: SMTP protocol synchronization"])
        #expect(t.closed != nil)
        #expect(try SMTPClients.storedCount(gateway) == 0)
        gateway.removeFiles()
    }

    /// The same violation with 2 MiB of content behind it: the gateway closes gracefully (FIN,
    /// then discards the rest of the input) so the 554 is not wiped out by a reset.
    @Test func synchronizationErrorReplyArrivesDespiteUnreadInput() throws {
        let gateway = try GatewayProcess()
        let line = Array((String(repeating: "z", count: 998) + "\r\n").utf8)
        let stream = try gateway.file("stream.smtp", Array("MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n".utf8)
                                      + Array(repeating: line, count: 2048).flatMap { $0 } + Array(".\r\n".utf8))
        let t = try SMTPClients.raw(gateway, ["recv", "send:EHLO c.x.test\\r\\n", "recv", "sendfile:" + stream, "close"])
        #expect(t.error == nil)
        #expect(Array(t.replies.dropFirst(2)) == ["250 2.1.0 Ok", "250 2.1.5 Ok", "554 5.5.0 Error: SMTP protocol synchronization"])
        #expect(t.closed == "eof")
        #expect(try SMTPClients.storedCount(gateway) == 0)
        gateway.removeFiles()
    }

    /// A client that drops the connection in the middle of DATA: nothing of its message is
    /// stored, and the gateway carries on.
    @Test func connectionDroppedMidDataStoresNothing() throws {
        let gateway = try GatewayProcess()
        for _ in 0..<10 {
            let t = try SMTPClients.raw(gateway, SMTPProtocolEdgeTests.envelope + ["send:Subject: cut\\r\\n\\r\\nhalf a mess"])
            #expect(t.replies == SMTPProtocolEdgeTests.envelopeReplies)
        }
        let after = try SMTPClients.raw(gateway, ["recv", "send:QUIT\\r\\n", "recv", "close"])
        #expect(after.replies == ["220 mx.test ESMTP Mailgate", "221 2.0.0 Bye"])
        #expect(try SMTPClients.storedCount(gateway) == 0)
        gateway.removeFiles()
    }

    /// Clients that send the final dot and hang up without waiting for the 250: the commit
    /// completes on a closed connection. The gateway keeps serving, and whatever it stored of
    /// these messages is complete.
    @Test func clientsGoneBeforeTheirReplyLeaveNoPartialMessage() throws {
        let gateway = try GatewayProcess()
        let content = "Subject: impatient\\r\\n\\r\\nno time to wait\\r\\n.\\r\\nQUIT\\r\\n"
        for _ in 0..<20 {
            let t = try SMTPClients.raw(gateway, SMTPProtocolEdgeTests.envelope + ["send:" + content])
            #expect(t.replies == SMTPProtocolEdgeTests.envelopeReplies)
        }
        let after = try SMTPClients.raw(gateway, SMTPProtocolEdgeTests.envelope + ["send:" + content, "recv", "recv", "close"])
        try #require(after.replies.count == 7, "\(after.replies)")
        #expect(after.replies[5].hasPrefix("250 2.0.0 Ok: queued as "))
        #expect(after.replies[6] == "221 2.0.0 Bye")
        let list = try SMTPClients.apiJSON(gateway, "/api/v1/messages?limit=500")
        let ids = try #require(list["items"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(ids.count >= 1 && ids.count <= 21)
        let expectedTail = Data("Subject: impatient\r\n\r\nno time to wait\r\n".utf8)
        for id in ids {
            let raw = try SMTPClients.apiBytes(gateway, "/api/v1/messages/\(id)/raw")
            #expect(raw.starts(with: Data("Return-Path: <a@x.test>\r\n".utf8)))
            #expect(raw.suffix(expectedTail.count) == expectedTail, "\(id)")
        }
        #expect(gateway.process.isRunning)
        gateway.removeFiles()
    }

    /// A client that half-closes (FIN) right after its final dot and QUIT, as `printf ... | nc -N`
    /// does, is still reading: RFC 5321 §4.1.1.10 lets only the QUIT reply end the session, so
    /// it gets the 250 that comes after the commit, then the 221.
    @Test func halfClosedClientStillGetsItsReplies() throws {
        let gateway = try GatewayProcess()
        let t = try SMTPClients.raw(gateway, SMTPProtocolEdgeTests.envelope + [
            "send:Subject: half\\r\\n\\r\\nthen FIN\\r\\n.\\r\\nQUIT\\r\\n", "shutdown", "close",
        ])
        #expect(t.error == nil)
        try #require(t.replies.count == 7, "\(t.replies)")
        #expect(t.replies[5].hasPrefix("250 2.0.0 Ok: queued as "))
        #expect(t.replies[6] == "221 2.0.0 Bye")
        #expect(t.closed == "eof")

        // The same with BDAT: the whole session in one write, then FIN.
        let bdat = try SMTPClients.raw(gateway, [
            "recv", "send:EHLO c.x.test\\r\\nMAIL FROM:<a@x.test>\\r\\nRCPT TO:<b@y.test>\\r\\nBDAT 12 LAST\\r\\nSubject: b\\r\\nQUIT\\r\\n",
            "shutdown", "close",
        ])
        #expect(bdat.error == nil)
        try #require(bdat.replies.count == 6, "\(bdat.replies)")
        #expect(bdat.replies[4].hasPrefix("250 2.0.0 Ok: queued as "))
        #expect(bdat.replies[5] == "221 2.0.0 Bye")
        #expect(try SMTPClients.storedCount(gateway) == 2)
        gateway.removeFiles()
    }

    /// MAILGATE_MAX_CONNECTIONS_PER_IP: the connection over the limit gets 421 4.7.0 instead of
    /// the greeting and is closed; the ones within the limit are unaffected.
    @Test func connectionsOverThePerIPLimitAreTurnedAway() throws {
        let gateway = try GatewayProcess(["MAILGATE_MAX_CONNECTIONS_PER_IP": "2"])
        let held = (0..<2).map { gateway.path("held-\($0)") }
        let release = gateway.path("release")
        let holders = try held.enumerated().map { n, ready in
            try BackgroundProcess("python3", [client("smtp_raw.py"), "--port", String(gateway.smtpPort), "--timeout", "30",
                                              "recv", "touch:" + ready, "await:" + release, "send:QUIT\\r\\n", "recv", "close"],
                                  outputPath: gateway.path("holder-\(n).out"))
        }
        try #require(waitUntil { held.allSatisfy { FileManager.default.fileExists(atPath: $0) } })
        let third = try SMTPClients.raw(gateway, ["close"])
        #expect(third.replies == ["421 4.7.0 mx.test Error: too many connections"])
        #expect(third.closed != nil)
        let metrics = String(decoding: try SMTPClients.apiBytes(gateway, "/metrics"), as: UTF8.self)
        #expect(metrics.contains("mailgate_smtp_rejections_total{reason=\"too_many_connections_per_ip\"} 1\n"))
        _ = FileManager.default.createFile(atPath: release, contents: nil)
        for holder in holders {
            let t = try SMTPClients.decodeLast(RawTranscript.self, from: holder.wait(timeout: 30))
            #expect(t.replies == ["220 mx.test ESMTP Mailgate", "221 2.0.0 Bye"])
        }
        // Their slots are free again once they have gone.
        var greeted: RawTranscript?
        #expect(waitUntil {
            greeted = try? SMTPClients.raw(gateway, ["recv", "send:QUIT\\r\\n", "recv", "close"], timeout: 5)
            return greeted?.replies == ["220 mx.test ESMTP Mailgate", "221 2.0.0 Bye"]
        }, "\(String(describing: greeted))")
        gateway.removeFiles()
    }

    /// SIGTERM with a client stuck in DATA past MAILGATE_SHUTDOWN_GRACE: it gets 421 4.3.2,
    /// its half message is not stored, and the process still exits 0.
    @Test func shutdownGraceRunsOutForAStuckTransaction() throws {
        let gateway = try GatewayProcess(["MAILGATE_SHUTDOWN_GRACE": "1s"])
        let ready = gateway.path("ready")
        let stuck = try BackgroundProcess("python3", [
            client("smtp_raw.py"), "--port", String(gateway.smtpPort), "--timeout", "30",
        ] + SMTPProtocolEdgeTests.envelope + ["send:Subject: never finished\\r\\n\\r\\npart", "touch:" + ready, "close"],
            outputPath: gateway.path("stuck.out"))
        try #require(waitUntil { FileManager.default.fileExists(atPath: ready) }, "\(stuck.output)")
        #expect(gateway.terminate() == 0)
        let t = try SMTPClients.decodeLast(RawTranscript.self, from: stuck.wait(timeout: 30))
        #expect(t.replies == SMTPProtocolEdgeTests.envelopeReplies + ["421 4.3.2 mx.test Service shutting down"])
        #expect(t.closed == "eof")
        #expect(gateway.log.contains("grace period over"))
        try gateway.start()
        #expect(try SMTPClients.storedCount(gateway) == 0)
        gateway.removeFiles()
    }
}
