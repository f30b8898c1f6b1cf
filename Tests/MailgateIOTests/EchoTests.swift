import Glibc
import Synchronization
import Testing
@testable import MailgateIO

extension ReactorTests {
    @Suite struct EchoTests {
        @Test func echoesSmallPayloadAndReportsBoundPort() throws {
            let group = try EventLoopGroup(loopCount: 2)
            defer { group.shutdown() }
            let events = Events()
            let info = try group.listen(address: "127.0.0.1:0") { _ in EchoHandler(events: events) }
            #expect(info.port > 0)
            #expect(info.address.description == "127.0.0.1:\(info.port)")

            let client = try TestClient(port: info.port)
            client.send("hello\r\n")
            #expect(client.receiveString(count: 7) == "hello\r\n")
            #expect(waitUntil { events.opened == 1 })
            let remote = try #require(events.read { $0.connections.first })
            #expect(onLoop(remote.loop) { remote.remoteAddress } == "127.0.0.1")
            #expect(onLoop(remote.loop) { remote.localPort } == info.port)
            #expect(group.connectionCount == 1)
        }

        @Test func portZeroPicksDistinctFreePorts() throws {
            let group = try EventLoopGroup(loopCount: 2)
            defer { group.shutdown() }
            let events = Events()
            let first = try group.listen(address: "127.0.0.1:0") { _ in EchoHandler(events: events) }
            let second = try group.listen(address: "127.0.0.1:0") { _ in EchoHandler(events: events) }
            #expect(first.port != second.port)
            // SO_REUSEPORT must not let a second server share a port that is already served.
            #expect(throws: IOError(errnoCode: EADDRINUSE, function: "bind")) {
                try group.listen(address: "127.0.0.1:\(first.port)") { _ in EchoHandler(events: events) }
            }
            // An address this host does not have: the bind error names the call and errno.
            #expect(throws: IOError(errnoCode: EADDRNOTAVAIL, function: "bind")) {
                try group.listen(address: "192.0.2.1:0") { _ in EchoHandler(events: events) }
            }
            #expect(throws: AddressError(text: "nonsense")) {
                try group.listen(address: "nonsense") { _ in EchoHandler(events: events) }
            }
        }

        @Test func echoesOverIPv6Loopback() throws {
            let group = try EventLoopGroup(loopCount: 1)
            defer { group.shutdown() }
            let events = Events()
            let info: ListenerInfo
            do {
                info = try group.listen(address: "[::1]:0") { _ in EchoHandler(events: events) }
            } catch let error as IOError where error.errnoCode == EADDRNOTAVAIL || error.errnoCode == EAFNOSUPPORT {
                return  // no IPv6 loopback in this container
            }
            #expect(info.address.description == "[::1]:\(info.port)")
            let client = try TestClient(port: info.port, host: "::1")
            client.send("v6")
            #expect(client.receiveString(count: 2) == "v6")
        }

        @Test func echoesTenMebibytesToConcurrentClientsAcrossLoops() throws {
            let group = try EventLoopGroup(loopCount: 2)
            defer { group.shutdown() }
            let events = Events()
            let info = try group.listen(address: "127.0.0.1:0") { _ in EchoHandler(events: events) }
            let size = 10 * 1024 * 1024
            let clientCount = 4
            let results = Mutex<[Bool]>([])
            var threads: [OSThread] = []
            for index in 0..<clientCount {
                threads.append(try spawn {
                    let payload = pattern(size, offset: index)
                    guard let client = try? TestClient(port: info.port) else {
                        results.withLock { $0.append(false) }
                        return
                    }
                    let fd = client.fd
                    // Send from a second thread while this one reads, or both sides' buffers fill.
                    let sender = try? spawn {
                        var sent = 0
                        while sent < payload.count {
                            let n = payload.withUnsafeBytes {
                                send(fd, $0.baseAddress! + sent, min(256 * 1024, payload.count - sent), 0)
                            }
                            if n <= 0 { break }
                            sent += n
                        }
                    }
                    let received = client.receive(count: size)
                    if let sender { sender.join() }
                    results.withLock { $0.append(sameBytes(received, payload)) }
                })
            }
            for thread in threads { thread.join() }
            #expect(results.withLock { $0 } == Array(repeating: true, count: clientCount))
            #expect(events.read { $0.bytesRead } == size * clientCount)
        }

        @Test func spreadsConnectionsOverLoops() throws {
            let group = try EventLoopGroup(loopCount: 2)
            defer { group.shutdown() }
            let events = Events()
            let info = try group.listen(address: "127.0.0.1:0") { _ in EchoHandler(events: events, greeting: "hi") }
            // SO_REUSEPORT hashes the 4-tuple: 24 clients all landing on one loop has p = 2^-23.
            let clients = try (0..<24).map { _ in try TestClient(port: info.port) }
            for client in clients { #expect(client.receiveString(count: 2) == "hi") }
            #expect(events.read { $0.loops } == [0, 1])
            let perLoop = group.loops.compactMap { loop in onLoop(loop) { () -> Int in
                var count = 0
                loop.forEachConnection { _ in count += 1 }
                return count
            } }
            #expect(perLoop.reduce(0, +) == 24)
            #expect(perLoop.allSatisfy { $0 > 0 })
        }
    }
}
