import Testing
import MailgateCore
@testable import MailgateSMTP

@Suite("Message buffer and input framing")
struct BufferTests {
    private func session(_ config: SMTPConfiguration = SMTPConfiguration()) -> SMTPSession {
        let s = SMTPSession(configuration: config, peer: SMTPPeer(address: "192.0.2.1", port: 1),
                            now: { Transcript.now }, makeID: { "Q1" })
        _ = s.start()
        return s
    }

    @Test func sizeHintReservesTheBufferWithTraceHeadersAlreadyInPlace() {
        let s = session()
        _ = s.receive(bytes("EHLO c\r\nMAIL FROM:<a@example.org> SIZE=100000\r\nRCPT TO:<b@example.com>\r\nDATA\r\n"))
        let traceLength = trace(helo: "c", id: "Q1").utf8.count
        #expect(s.message.bytes == bytes(trace(helo: "c", id: "Q1")))
        #expect(s.message.bytes.capacity >= 100_000 + traceLength)
        let base = s.message.bytes.withUnsafeBufferPointer { $0.baseAddress }
        let line = [UInt8](repeating: UInt8(ascii: "y"), count: 98) + [13, 10]
        for _ in 0..<999 { _ = s.receive(line) }
        // No regrowth: the storage never moved.
        #expect(s.message.bytes.withUnsafeBufferPointer { $0.baseAddress } == base)
        #expect(s.message.bytes.count == traceLength + 99_900)
    }

    @Test func sizeHintIsCappedAtTheLimit() {
        var config = SMTPConfiguration()
        config.maxMessageSize = 5000
        let s = session(config)
        _ = s.receive(bytes("EHLO c\r\nMAIL FROM:<a@example.org> SIZE=4999\r\nRCPT TO:<b@example.com>\r\nDATA\r\n"))
        #expect(s.message.bytes.capacity < 5000 + 1024)
    }

    @Test func heloNameControlOctetsStayOutOfTheTraceHeader() {
        let s = session()
        _ = s.receive(bytes("EHLO a\rb\r\n"))
        _ = s.receive(bytes("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n"))
        let actions = s.receive(bytes(".\r\n"))
        guard case .deliver(let m) = actions.first else {
            Issue.record("no delivery: \(actions)")
            return
        }
        #expect(m.envelope.helo == "a\rb")
        #expect(m.data == bytes(trace(helo: "a?b", id: "Q1")))
    }

    /// Any split of the input gives the transcript of the whole input.
    @Test func arbitrarySplitsGiveTheSameResult() {
        let input = bytes("EHLO client.test\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n")
        let content = bytes("Received: x\r\nSubject: s\r\n\r\n..dot\r\nline\r\n.\r\n")
            + bytes("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nBDAT 7\r\n")
            + bytes("a\r\n.\r\nbBDAT 3 LAST\r\nxyzNOOP\r\n")
        func run(_ pieces: [[UInt8]]) -> ([UInt8], [ReceivedMessage]) {
            let s = session()
            var out: [UInt8] = []
            var messages: [ReceivedMessage] = []
            func take(_ actions: [SMTPAction]) {
                for a in actions {
                    if case .send(let b) = a { out += b }
                    if case .deliver(let m) = a { messages.append(m) }
                }
            }
            take(s.receive(input))
            for p in pieces {
                take(s.receive(p))
                while s.isAwaitingDelivery { take(s.deliveryCompleted(.stored)) }
            }
            return (out, messages)
        }
        let expected = run([content])
        #expect(expected.1.count == 2)
        var seed: UInt64 = 42
        for _ in 0..<200 {
            var pieces: [[UInt8]] = []
            var i = 0
            while i < content.count {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                let n = min(content.count - i, Int(seed >> 60) + 1)
                pieces.append(Array(content[i..<i + n]))
                i += n
            }
            let got = run(pieces)
            #expect(got.0 == expected.0)
            #expect(got.1 == expected.1)
        }
    }
}
