import Testing
import MailgateCore
@testable import MailgateSMTP

@Suite("Robustness")
struct RobustnessTests {
    /// Random sequences of SMTP fragments and stray octets never trap, and the session's
    /// buffers stay within the configured bounds.
    @Test func randomInputNeverCrashes() {
        let fragments: [[UInt8]] = [
            "EHLO c\r\n", "HELO c\r\n", "MAIL FROM:<a@example.org>\r\n", "MAIL FROM:<> SIZE=", "RCPT TO:<b@x.y>\r\n",
            "RCPT TO:<Postmaster>\r\n", "DATA\r\n", "BDAT ", "BDAT 3\r\n", "BDAT 2 LAST\r\n", "9223372036854775807",
            " LAST\r\n", ".\r\n", "\r\n", "\n", "\r", ".", "\0", "RSET\r\n", "NOOP\r\n", "Received: x\r\n",
            "<@a,@b:c@[1.2.3.4]>", "\"q\\\"\"@d", "GET / HTTP/1.1\r\n", "é", "=", " ", "QUIT\r\n",
        ].map { Array($0.utf8) }
        var seed: UInt64 = 7
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 33) % bound
        }
        var config = SMTPConfiguration()
        config.maxMessageSize = 200
        config.maxCommandLine = 64
        config.maxTextLine = 50
        for round in 0..<1500 {
            let s = SMTPSession(configuration: config, peer: SMTPPeer(address: "192.0.2.1", port: 1),
                                now: { Transcript.now }, makeID: { "Q\(round)" })
            _ = s.start()
            for _ in 0..<(next(40) + 1) {
                var piece: [UInt8] = []
                for _ in 0..<(next(4) + 1) { piece += fragments[next(fragments.count)] }
                _ = s.receive(piece)
                if next(3) == 0, s.isAwaitingDelivery {
                    _ = s.deliveryCompleted([.stored, .temporaryFailure, .diskFull][next(3)])
                }
                #expect(s.message.bytes.count <= 200 + 200)
                #expect(s.partialLine.count <= 64)
                if s.isClosed { break }
            }
            if next(2) == 0 { _ = s.shutdown() }
            _ = s.forceShutdown()
            #expect(s.isClosed)
        }
    }
}
