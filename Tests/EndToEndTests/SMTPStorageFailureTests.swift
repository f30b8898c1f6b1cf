import Foundation
import Testing

/// A store that cannot commit: the client gets a 4yz after the dot (RFC 5321 §4.2.5: it keeps
/// the message and retries), nothing half-stored remains, and the retry succeeds once the
/// store can write again.
@Suite struct SMTPStorageFailureTests {
    static let message = "Subject: retry me\\r\\n\\r\\nstill here\\r\\n.\\r\\n"
    static let messageTail = Array("Subject: retry me\r\n\r\nstill here\r\n".utf8)
    static let transaction = ["send:MAIL FROM:<a@x.test>\\r\\n", "recv", "send:RCPT TO:<b@y.test>\\r\\n", "recv",
                              "send:DATA\\r\\n", "recv", "send:" + message, "recv"]

    /// Another process holds the database's write lock (an operator's sqlite3 shell): the
    /// writer's BEGIN fails after its busy timeout → 451 4.3.0. The same session retries the
    /// same message after the lock is gone → 250, stored once.
    @Test func lockedDatabaseAnswers451AndTheRetrySucceeds() throws {
        let gateway = try GatewayProcess()
        let ready = gateway.path("lock.ready"), release = gateway.path("lock.release")
        let locker = try BackgroundProcess("python3", [client("sqlite_lock.py"), gateway.databasePath, ready, release],
                                           outputPath: gateway.path("lock.out"))
        try #require(waitUntil { FileManager.default.fileExists(atPath: ready) }, "\(locker.output)")

        let resumed = gateway.path("resume")
        let session = try BackgroundProcess("python3", [
            client("smtp_raw.py"), "--port", String(gateway.smtpPort), "--timeout", "30",
            "recv", "send:EHLO c.x.test\\r\\n", "recv",
        ] + Self.transaction + ["touch:" + gateway.path("refused"), "await:" + resumed] + Self.transaction + [
            "send:QUIT\\r\\n", "recv", "close",
        ], outputPath: gateway.path("session.out"))
        try #require(waitUntil(timeout: 40) { FileManager.default.fileExists(atPath: gateway.path("refused")) }, "\(session.output)")
        // Refused and not stored (the API reads while the lock is held: WAL readers do not block).
        #expect(try SMTPClients.storedCount(gateway) == 0)

        _ = FileManager.default.createFile(atPath: release, contents: nil)
        #expect(locker.wait(timeout: 30).contains("released"))
        _ = FileManager.default.createFile(atPath: resumed, contents: nil)
        let t = try SMTPClients.decodeLast(RawTranscript.self, from: session.wait(timeout: 40))
        #expect(t.error == nil)
        try #require(t.replies.count == 11, "\(t.replies)")
        #expect(Array(t.replies[2...5]) == ["250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>",
                                            "451 4.3.0 Error: queue file write error"])
        #expect(Array(t.replies[6...8]) == ["250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>"])
        #expect(t.replies[9].hasPrefix("250 2.0.0 Ok: queued as "))
        #expect(t.replies[10] == "221 2.0.0 Bye")

        let acks = gateway.path("acks.jsonl")
        try SMTPClients.writeAck(to: acks, id: try #require(t.queueID(at: 9)), tailFile: try gateway.file("tail.eml", Self.messageTail),
                                 mailFrom: "a@x.test", rcptTo: ["b@y.test"], helo: "c.x.test", protocol: "ESMTP")
        let report = try SMTPClients.checkStore(gateway, acks: [acks], sqlite: true)
        #expect(report.stored == 1)
        #expect(report.problems == [])
        gateway.removeFiles()
    }

    /// A client waiting for a slow commit is not idle: with a 2 s idle timeout and a 5 s wait
    /// for the database lock, the client still gets the 451 (not 421 4.4.2), and only the
    /// silence after it times out.
    @Test func waitingForTheStoreIsNotIdling() throws {
        let gateway = try GatewayProcess(["MAILGATE_SMTP_IDLE_TIMEOUT": "2s"])
        let ready = gateway.path("lock.ready"), release = gateway.path("lock.release")
        let locker = try BackgroundProcess("python3", [client("sqlite_lock.py"), gateway.databasePath, ready, release],
                                           outputPath: gateway.path("lock.out"))
        try #require(waitUntil { FileManager.default.fileExists(atPath: ready) }, "\(locker.output)")
        let t = try SMTPClients.raw(gateway, ["recv", "send:EHLO c.x.test\\r\\n", "recv"] + Self.transaction + ["close"], timeout: 30)
        _ = FileManager.default.createFile(atPath: release, contents: nil)
        locker.wait(timeout: 30)
        #expect(t.error == nil)
        #expect(Array(t.replies.dropFirst(2)) == ["250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>",
                                                  "451 4.3.0 Error: queue file write error",
                                                  "421 4.4.2 mx.test Error: timeout exceeded"])
        #expect(t.closed == "eof")
        gateway.removeFiles()
    }

    /// The database on a tiny tmpfs that fills up: SQLITE_FULL → 452 4.3.1; the messages
    /// acknowledged before are intact, the refused ones are absent, and once space is freed the
    /// refused message is stored.
    @Test(.enabled(if: TinyDisk.canMount, "needs root and mount(2) for a small tmpfs"))
    func fullDiskAnswers452AndTheRetrySucceeds() throws {
        let directory = try FileManager.default.url(for: .itemReplacementDirectory, in: .userDomainMask,
                                                    appropriateFor: URL(fileURLWithPath: "/tmp"), create: true)
        let disk = try TinyDisk(at: directory.appendingPathComponent("disk").path, megabytes: 4)
        defer { disk.unmount() }
        let gateway = try GatewayProcess(["MAILGATE_DB": disk.path + "/mailgate.db"], directory: directory)
        // Leave about 1.5 MiB free: a few 256 KiB messages fit, then the disk is full.
        try disk.fill(leavingBytes: 1_536 << 10)

        // Twenty 256 KiB messages in one session; each file is the content then the final dot.
        let line = Array((String(repeating: "x", count: 1022) + "\r\n").utf8)
        var steps = ["recv", "send:EHLO c.x.test\\r\\n", "recv"]
        var tails: [String] = []
        for i in 0..<20 {
            let tail = Array("Subject: \(i)\r\n\r\n".utf8) + Array(repeating: line, count: 256).flatMap { $0 }
            tails.append(try gateway.file("tail-\(i).eml", tail))
            let content = try gateway.file("content-\(i).eml", tail + Array(".\r\n".utf8))
            steps += ["send:MAIL FROM:<a@x.test>\\r\\n", "recv", "send:RCPT TO:<b@y.test>\\r\\n", "recv", "send:DATA\\r\\n", "recv",
                      "sendfile:" + content, "recv"]
        }
        let fill = try SMTPClients.raw(gateway, steps + ["send:QUIT\\r\\n", "recv", "close"], timeout: 30)
        #expect(fill.error == nil)
        try #require(fill.replies.count == 3 + 20 * 4, "\(fill.replies)")
        // The reply after each message's dot: 5, 9, 13, ...
        let finals = (0..<20).map { fill.replies[5 + 4 * $0] }
        let refusals = finals.filter { !$0.hasPrefix("250 2.0.0 Ok: queued as ") }
        try #require(!refusals.isEmpty, "the disk never filled")
        #expect(Set(refusals) == ["452 4.3.1 Insufficient system storage"], "\(refusals)")
        let acks = directory.appendingPathComponent("acks.jsonl").path
        var acked = 0
        for i in 0..<20 where finals[i].hasPrefix("250 2.0.0 Ok: queued as ") {
            try SMTPClients.writeAck(to: acks, id: try #require(fill.queueID(at: 5 + 4 * i)), tailFile: tails[i], mailFrom: "a@x.test",
                                     rcptTo: ["b@y.test"], helo: "c.x.test", protocol: "ESMTP")
            acked += 1
        }
        let before = try SMTPClients.checkStore(gateway, acks: [acks])
        #expect(before.stored == acked, "refused messages must not be stored")
        #expect(before.problems == [])

        // Space again: a refused message sent again is stored.
        disk.removeBallast()
        let refused = try #require(finals.firstIndex { !$0.hasPrefix("250 ") })
        let retry = try SMTPClients.raw(gateway, [
            "recv", "send:EHLO c.x.test\\r\\n", "recv", "send:MAIL FROM:<a@x.test>\\r\\n", "recv",
            "send:RCPT TO:<b@y.test>\\r\\n", "recv", "send:DATA\\r\\n", "recv", "sendfile:" + gateway.path("content-\(refused).eml"),
            "recv", "send:QUIT\\r\\n", "recv", "close",
        ])
        try #require(retry.replies.count == 7, "\(retry.replies)")
        #expect(retry.replies[5].hasPrefix("250 2.0.0 Ok: queued as "), "\(retry.replies)")
        try SMTPClients.writeAck(to: acks, id: try #require(retry.queueID(at: 5)), tailFile: tails[refused],
                                 mailFrom: "a@x.test", rcptTo: ["b@y.test"], helo: "c.x.test", protocol: "ESMTP")
        let after = try SMTPClients.checkStore(gateway, acks: [acks], sqlite: true)
        #expect(after.stored == acked + 1)
        #expect(after.problems == [])
        #expect(gateway.terminate() == 0)
        disk.unmount()
        gateway.removeFiles()
    }
}

/// A small tmpfs mounted for one test (root only), so the database's disk really fills up.
struct TinyDisk {
    let path: String
    var ballast: String { path + "/ballast" }

    /// Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN; not in most sandboxes).
    static let canMount: Bool = {
        guard geteuid() == 0,
              let probe = try? FileManager.default.url(for: .itemReplacementDirectory, in: .userDomainMask,
                                                       appropriateFor: URL(fileURLWithPath: "/tmp"), create: true)
        else { return false }
        defer { try? FileManager.default.removeItem(at: probe) }
        guard (try? run("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.path]).status) == 0 else { return false }
        _ = try? run("umount", [probe.path])
        return true
    }()

    init(at path: String, megabytes: Int) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mounted = try run("mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
        try #require(mounted.status == 0, "mount failed: \(mounted.output)")
    }

    /// Writes the ballast file so that only about `leavingBytes` stay free.
    func fill(leavingBytes: Int) throws {
        var info = statvfs()
        try #require(statvfs(path, &info) == 0)
        let free = Int(info.f_bavail) * Int(info.f_frsize)
        try #require(free > leavingBytes, "only \(free) octets free")
        try Data(count: free - leavingBytes).write(to: URL(fileURLWithPath: ballast))
    }

    func removeBallast() {
        try? FileManager.default.removeItem(atPath: ballast)
    }

    func unmount() {
        _ = try? run("umount", ["-l", path])
    }
}
