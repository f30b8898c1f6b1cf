import Glibc
import Testing
@testable import MailgateIO

extension ReactorTests {
    @Suite struct CloseTests {
        @Test func closeFlushesBufferedOutputBeforeTheFIN() throws {
            let group = try EventLoopGroup(loopCount: 1)
            defer { group.shutdown() }
            let events = Events()
            let payload = pattern(4 * 1024 * 1024)
            let info = try group.listen(address: "127.0.0.1:0") { _ in SendAndCloseHandler(events: events, payload: payload) }
            let client = try TestClient(port: info.port, bufferSize: 32 * 1024)
            #expect(waitUntil { events.opened == 1 })
            // The kernel could not take 4 MiB at once, so close() had to wait for the flush.
            #expect(events.read { $0.maxPending } > 0)
            let (bytes, end) = client.receiveUntilEnd()
            #expect(end == 0)
            #expect(sameBytes(bytes, payload))
            client.close()
            #expect(waitUntil { events.closed == 1 })
            #expect(events.read { $0.reasons } == [.closedLocally])
            #expect(waitUntil { group.connectionCount == 0 })
        }

        @Test func peerResetClosesTheConnection() throws {
            let group = try EventLoopGroup(loopCount: 1)
            defer { group.shutdown() }
            let events = Events()
            let info = try group.listen(address: "127.0.0.1:0") { _ in EchoHandler(events: events) }
            let client = try TestClient(port: info.port)
            client.send("ping")
            #expect(client.receiveString(count: 4) == "ping")
            client.reset()
            #expect(waitUntil { events.closed == 1 })
            let reasons = events.read { $0.reasons }
            #expect(reasons == [.error(errno: ECONNRESET)] || reasons == [.peerClosed])
            #expect(waitUntil { group.connectionCount == 0 })
        }

        @Test func peerResetWhileOutputIsBufferedClosesTheConnection() throws {
            let group = try EventLoopGroup(loopCount: 1)
            defer { group.shutdown() }
            let events = Events()
            let info = try group.listen(address: "127.0.0.1:0") { _ in
                EchoHandler(events: events, greeting: String(repeating: "x", count: 8 * 1024 * 1024))
            }
            let client = try TestClient(port: info.port, bufferSize: 32 * 1024)
            #expect(waitUntil { events.opened == 1 })
            let connection = try #require(events.read { $0.connections.first })
            #expect((onLoop(connection.loop) { connection.pendingWriteCount } ?? 0) > 0)
            client.reset()
            #expect(waitUntil { events.closed == 1 })
            #expect(waitUntil { group.connectionCount == 0 })
        }

        @Test func peerFINEndsTheConnection() throws {
            let group = try EventLoopGroup(loopCount: 1)
            defer { group.shutdown() }
            let events = Events()
            let info = try group.listen(address: "127.0.0.1:0") { _ in EchoHandler(events: events) }
            let client = try TestClient(port: info.port)
            client.send("bye")
            #expect(client.receiveString(count: 3) == "bye")
            client.close()
            #expect(waitUntil { events.closed == 1 })
            #expect(events.read { $0.reasons } == [.peerClosed])
        }

        @Test func shutdownClosesEverythingAndJoinsTheThreads() throws {
            let group = try EventLoopGroup(loopCount: 2)
            let events = Events()
            let info = try group.listen(address: "127.0.0.1:0") { _ in EchoHandler(events: events, greeting: "220 hi\r\n") }
            let clients = try (0..<3).map { _ in try TestClient(port: info.port) }
            for client in clients { #expect(client.receiveString(count: 8) == "220 hi\r\n") }
            group.shutdown()  // returns after joining both loop threads
            #expect(events.closed == 3)
            #expect(events.read { $0.reasons } == [.aborted, .aborted, .aborted])
            #expect(group.connectionCount == 0)
            for client in clients {
                let end = client.receiveUntilEnd().end
                #expect(end == 0 || end == ECONNRESET)
            }
            #expect(throws: TestClient.Failure.self) { try TestClient(port: info.port) }
            group.shutdown()  // idempotent
            #expect(group.loops[0].execute {} == false)
            group.closeListeners()  // returns at once: no loop left to wait for
        }

        @Test func closeListenersStopsAcceptingButKeepsConnections() throws {
            let group = try EventLoopGroup(loopCount: 2)
            defer { group.shutdown() }
            let events = Events()
            let info = try group.listen(address: "127.0.0.1:0") { _ in EchoHandler(events: events) }
            let client = try TestClient(port: info.port)
            #expect(waitUntil { events.opened == 1 })
            group.closeListeners()
            do {
                _ = try TestClient(port: info.port)
                Issue.record("connect succeeded after closeListeners()")
            } catch let failure as TestClient.Failure {
                #expect(failure.code == ECONNREFUSED)
            }
            client.send("still here")
            #expect(client.receiveString(count: 10) == "still here")
            // The graceful-stop pattern: close every connection from its own loop.
            for loop in group.loops { loop.execute { loop.forEachConnection { $0.close() } } }
            #expect(client.receiveUntilEnd().end == 0)
            client.close()
            #expect(waitUntil { group.connectionCount == 0 })
            #expect(events.read { $0.reasons } == [.closedLocally])
        }

        @Test func abortDropsBufferedOutputAndResets() throws {
            let group = try EventLoopGroup(loopCount: 1)
            defer { group.shutdown() }
            let events = Events()
            let info = try group.listen(address: "127.0.0.1:0") { _ in
                EchoHandler(events: events, greeting: String(repeating: "y", count: 4 * 1024 * 1024))
            }
            let client = try TestClient(port: info.port, bufferSize: 32 * 1024)
            #expect(waitUntil { events.opened == 1 })
            let connection = try #require(events.read { $0.connections.first })
            _ = onLoop(connection.loop) {
                connection.abort()
                connection.write([1, 2, 3])  // ignored after abort
                return connection.isOpen
            }
            let (bytes, end) = client.receiveUntilEnd()
            #expect(end == ECONNRESET)
            #expect(bytes.count < 4 * 1024 * 1024)
            #expect(waitUntil { events.closed == 1 })
            #expect(events.read { $0.reasons } == [.aborted])
        }
    }
}
