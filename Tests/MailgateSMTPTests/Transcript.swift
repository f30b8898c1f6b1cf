import MailgateCore
@testable import MailgateSMTP

/// Postfix-style transcript tests: one string is both the client script and the expected
/// server transcript.
///
///     S: 220 localhost ESMTP Mailgate      expected reply line
///     C: EHLO client.test                  client line, CRLF appended
///     c: abc<LF>                           client bytes, nothing appended
///     -- log bare_lf                        expected log event (reason)
///     -- deliver ID1                        expected delivery (queue id)
///     -- close                              expected close
///     == start | idle | session | shutdown | force    call the session at this point
///
/// In C:/c: lines `<CR>`, `<LF>` and `<NUL>` stand for those octets. Consecutive client lines
/// form one flight, sent without waiting for replies. The transcript of a flight is: its client
/// lines, then every reply line produced, then the log/deliver events in order, then close.
/// Deliveries are completed with `outcome` when the flight has been fed, so input sent after the
/// final dot is buffered meanwhile. `start()` is called first unless the script says `== start`.
struct Transcript {
    enum Feed: CaseIterable { case whole, lines, bytes }

    static let now: Int64 = 1_764_331_200_000  // Fri, 28 Nov 2025 12:00:00 +0000
    static let date = "Fri, 28 Nov 2025 12:00:00 +0000"

    var configuration = SMTPConfiguration()
    var peer = SMTPPeer(address: "192.0.2.1", port: 40000)
    var outcome = DeliveryOutcome.stored

    struct Result {
        var transcript: String
        var messages: [ReceivedMessage]
        var session: SMTPSession
    }

    private enum Step {
        case flight(lines: [String], bytes: [UInt8])
        case call(String)
    }

    static func bytes(of line: String) -> [UInt8] {
        var s = line
        s = s.replacingAll("<CR>", "\r")
        s = s.replacingAll("<LF>", "\n")
        s = s.replacingAll("<NUL>", "\0")
        return Array(s.utf8)
    }

    private func steps(_ script: String) -> [Step] {
        var steps: [Step] = []
        var lines: [String] = []
        var bytes: [UInt8] = []
        func endFlight() {
            if !lines.isEmpty { steps.append(.flight(lines: lines, bytes: bytes)) }
            lines = []
            bytes = []
        }
        for line in script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("C:") || line.hasPrefix("c:") {
                var text = String(line.dropFirst(2))
                if text.hasPrefix(" ") { text.removeFirst() }
                lines.append(line)
                bytes += Transcript.bytes(of: text)
                if line.hasPrefix("C:") { bytes += [13, 10] }
            } else if line.hasPrefix("== ") {
                endFlight()
                steps.append(.call(String(line.dropFirst(3))))
            } else {
                endFlight()
            }
        }
        endFlight()
        return steps
    }

    func run(_ script: String, feed: Feed) -> Result {
        var counter = 0
        let session = SMTPSession(configuration: configuration, peer: peer, now: { Transcript.now },
                                  makeID: { counter += 1; return "ID\(counter)" })
        var out: [String] = []
        var messages: [ReceivedMessage] = []
        var replies: [UInt8] = []
        var events: [String] = []
        var closed = false

        func take(_ actions: [SMTPAction]) {
            for action in actions {
                switch action {
                case .send(let b): replies += b
                case .log(let e): events.append("-- log \(e.reason)")
                case .deliver(let m):
                    events.append("-- deliver \(m.id)")
                    messages.append(m)
                case .close:
                    closed = true
                }
            }
        }
        func render() {
            let text = String(decoding: replies, as: UTF8.self)
            var parts = text.components(separatedBy: "\r\n")
            if parts.last == "" { parts.removeLast() }
            out += parts.map { "S: \($0)" }
            out += events
            if closed { out.append("-- close") }
            replies = []
            events = []
            closed = false
        }

        let steps = steps(script)
        let explicitStart = steps.contains { if case .call("start") = $0 { true } else { false } }
        if !explicitStart {
            take(session.start())
            render()
        }
        for step in steps {
            switch step {
            case .call(let name):
                out.append("== \(name)")
                switch name {
                case "start": take(session.start())
                case "idle": take(session.idleTimedOut())
                case "session": take(session.sessionTimedOut())
                case "shutdown": take(session.shutdown())
                case "force": take(session.forceShutdown())
                default: fatalError("unknown call \(name)")
                }
            case .flight(let lines, let bytes):
                out += lines
                for piece in Transcript.split(bytes, feed) {
                    take(session.receive(piece))
                }
            }
            while session.isAwaitingDelivery && !session.isClosed {
                take(session.deliveryCompleted(outcome))
            }
            render()
        }
        return Result(transcript: out.joined(separator: "\n"), messages: messages, session: session)
    }

    static func split(_ bytes: [UInt8], _ feed: Feed) -> [[UInt8]] {
        switch feed {
        case .whole:
            return [bytes]
        case .bytes:
            return bytes.map { [$0] }
        case .lines:
            var pieces: [[UInt8]] = []
            var current: [UInt8] = []
            for b in bytes {
                current.append(b)
                if b == 10 {
                    pieces.append(current)
                    current = []
                }
            }
            if !current.isEmpty { pieces.append(current) }
            return pieces
        }
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        components(separatedBy: target).joined(separator: replacement)
    }

    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
