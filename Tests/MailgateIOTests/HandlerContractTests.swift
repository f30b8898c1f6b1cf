import Glibc
import Synchronization
import Testing
@testable import MailgateIO

extension ReactorTests {
    @Suite struct HandlerContractTests {
        /// Pre-greeting detection: reading paused in connectionDidOpen, the client's early bytes
        /// are visible to hasPendingInput() without being consumed, and arrive after resume.
        @Test func hasPendingInputSeesEarlyTalkersWithoutConsuming() throws {
            let group = try EventLoopGroup(loopCount: 1)
            defer { group.shutdown() }
            let events = Events()
            let info = try group.listen(address: "127.0.0.1:0") { _ in EchoHandler(events: events, pauseOnOpen: true) }
            let client = try TestClient(port: info.port)
            #expect(waitUntil { events.opened == 1 })
            let connection = try #require(events.read { $0.connections.first })
            #expect(onLoop(connection.loop) { connection.hasPendingInput() } == false)
            #expect(onLoop(connection.loop) { connection.isReadingPaused } == true)
            client.send("EHLO early\r\n")
            #expect(waitUntil { onLoop(connection.loop) { connection.hasPendingInput() } == true })
            #expect(events.read { $0.bytesRead } == 0)
            _ = onLoop(connection.loop) { connection.resumeReading() }
            #expect(client.receiveString(count: 12) == "EHLO early\r\n")
            #expect(onLoop(connection.loop) { connection.hasPendingInput() } == false)
        }

        /// close() inside didRead: connectionDidClose comes later, from the loop, exactly once,
        /// and the handler reference is dropped afterwards.
        @Test func didCloseIsDeliveredOnceAndNotReentrantly() throws {
            let group = try EventLoopGroup(loopCount: 1)
            defer { group.shutdown() }
            let record = Lines()
            let info = try group.listen(address: "127.0.0.1:0") { _ in QuitHandler(record: record) }
            let client = try TestClient(port: info.port)
            client.send("QUIT\r\n")
            let (bytes, end) = client.receiveUntilEnd()
            #expect(String(decoding: bytes, as: UTF8.self) == "221 bye\r\n")
            #expect(end == 0)
            client.close()
            #expect(waitUntil { record.values.count == 4 })
            #expect(record.values == ["read", "closing", "returned", "closed handler=true"])
            #expect(waitUntil { group.connectionCount == 0 })
        }

        @Test func writesFromAnotherThreadHopThroughExecute() throws {
            let group = try EventLoopGroup(loopCount: 2)
            defer { group.shutdown() }
            let events = Events()
            let info = try group.listen(address: "127.0.0.1:0") { _ in EchoHandler(events: events) }
            let client = try TestClient(port: info.port)
            #expect(waitUntil { events.opened == 1 })
            let connection = try #require(events.read { $0.connections.first })
            // What the store writer does with a completion: hop to the connection's loop.
            let thread = try spawn {
                connection.loop.execute { connection.write(Array("250 2.0.0 Ok: queued\r\n".utf8)) }
            }
            thread.join()
            #expect(client.receiveString(count: 22) == "250 2.0.0 Ok: queued\r\n")
        }
    }
}

final class Lines: Sendable {
    let entries = Mutex<[String]>([])
    func append(_ line: String) { entries.withLock { $0.append(line) } }
    var values: [String] { entries.withLock { $0 } }
}

/// Replies to anything with 221 and closes from inside didRead.
final class QuitHandler: ConnectionHandler {
    let record: Lines
    init(record: Lines) { self.record = record }

    func connectionDidOpen(_ connection: Connection) {}

    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer) {
        record.append("read")
        connection.write(Array("221 bye\r\n".utf8))
        record.append("closing")
        connection.close()
        record.append("returned")
    }

    func connectionDidDrain(_ connection: Connection) {}

    func connectionDidClose(_ connection: Connection) {
        record.append("closed handler=\(connection.handler === self)")
    }
}
