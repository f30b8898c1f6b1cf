import Glibc
import Testing
@testable import MailgateIO

extension ReactorTests {
    @Suite struct BackpressureTests {
        /// A client that sends without reading: the echo output piles up on the server until the
        /// high-water mark, the server stops reading, and the client's sends stall. When the
        /// client drains its replies the server resumes and every byte comes back in order.
        @Test func pausesReadingAboveHighWaterAndResumesAfterDrain() throws {
            let group = try EventLoopGroup(loopCount: 1)
            defer { group.shutdown() }
            let events = Events()
            var limits = ConnectionLimits()
            limits.writeHighWaterMark = 256 * 1024
            limits.writeLowWaterMark = 64 * 1024
            let info = try group.listen(address: "127.0.0.1:0", limits: limits) { _ in EchoHandler(events: events) }

            let client = try TestClient(port: info.port, bufferSize: 32 * 1024)
            client.setTimeouts(receiveSeconds: 10, sendSeconds: 1)
            let chunk = 64 * 1024
            var sent = 0
            // Send until a send stalls for a second; the cap only guards a broken implementation.
            while sent < 256 * 1024 * 1024 {
                let n = client.send(pattern(chunk, offset: sent))
                sent += n
                if n < chunk { break }
            }
            #expect(sent < 256 * 1024 * 1024, "sent \(sent)")
            #expect(waitUntil { events.read { $0.sawBackpressure } })
            let connection = try #require(events.read { $0.connections.first })
            #expect(onLoop(connection.loop) { connection.isReadingPaused } == true)
            // Bounded: at most the mark plus one read's worth of echo.
            #expect(events.read { $0.maxPending } <= limits.writeHighWaterMark + 64 * 1024)

            let received = client.receive(count: sent)
            #expect(received.count == sent)
            #expect(sameBytes(received, pattern(sent)))
            #expect(events.read { $0.bytesRead } == sent)
            #expect(onLoop(connection.loop) { connection.isReadingPaused } == false)
            #expect(events.read { $0.drains } >= 1)
        }
    }
}
