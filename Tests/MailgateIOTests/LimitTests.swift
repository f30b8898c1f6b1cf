import CLinux
import Glibc
import Synchronization
import Testing
@testable import MailgateIO

extension ReactorTests {
    @Suite struct LimitTests {
        static let rejection = "421 4.7.0 Error: too many connections\r\n"

        /// The refusals reported through `ConnectionLimits.onRefusal`.
        final class Refusals: Sendable {
            let seen = Mutex<[ConnectionLimits.Refusal]>([])
            var all: [ConnectionLimits.Refusal] { seen.withLock { $0 } }
        }

        @Test func rejectsBeyondTheTotalLimitWithTheConfiguredText() throws {
            let group = try EventLoopGroup(loopCount: 2)
            defer { group.shutdown() }
            let events = Events()
            var limits = ConnectionLimits()
            limits.maxConnections = 2
            let refusals = Refusals()
            limits.onRefusal = { refusal in refusals.seen.withLock { $0.append(refusal) } }
            let info = try group.listen(address: "127.0.0.1:0", limits: limits) { _ in EchoHandler(events: events, greeting: "220 ok\r\n") }
            let first = try TestClient(port: info.port)
            let second = try TestClient(port: info.port)
            #expect(first.receiveString(count: 8) == "220 ok\r\n")
            #expect(second.receiveString(count: 8) == "220 ok\r\n")

            let third = try TestClient(port: info.port)
            let (bytes, end) = third.receiveUntilEnd()
            #expect(String(decoding: bytes, as: UTF8.self) == Self.rejection)
            #expect(end == 0 || end == ECONNRESET)
            #expect(events.opened == 2)
            #expect(refusals.all == [.tooManyConnections])

            // A slot frees when a connection closes (counts are shared by both loops).
            first.close()
            #expect(waitUntil { group.connectionCount == 1 })
            let fourth = try TestClient(port: info.port)
            #expect(fourth.receiveString(count: 8) == "220 ok\r\n")
        }

        @Test func rejectsBeyondThePerIPLimitButAdmitsOtherAddresses() throws {
            let group = try EventLoopGroup(loopCount: 2)
            defer { group.shutdown() }
            let events = Events()
            var limits = ConnectionLimits()
            limits.maxConnectionsPerIP = 1
            limits.rejection = Array("busy\r\n".utf8)
            let refusals = Refusals()
            limits.onRefusal = { refusal in refusals.seen.withLock { $0.append(refusal) } }
            let info = try group.listen(address: "127.0.0.1:0", limits: limits) { _ in EchoHandler(events: events, greeting: "hi\r\n") }
            let first = try TestClient(port: info.port, source: "127.0.0.1")
            #expect(first.receiveString(count: 4) == "hi\r\n")
            let second = try TestClient(port: info.port, source: "127.0.0.1")
            #expect(String(decoding: second.receiveUntilEnd().bytes, as: UTF8.self) == "busy\r\n")
            let other = try TestClient(port: info.port, source: "127.0.0.2")
            #expect(other.receiveString(count: 4) == "hi\r\n")
            #expect(events.opened == 2)
            #expect(refusals.all == [.tooManyFromAddress])
        }

        /// With no descriptors left, accept4 fails with EMFILE. The listener must back off
        /// instead of retrying in a loop, and accept the waiting clients once fds free up.
        /// (EMFILE is injected: lowering RLIMIT_NOFILE would hit every test running in parallel.)
        @Test func backsOffOnEMFILEAndRecovers() throws {
            let group = try EventLoopGroup(loopCount: 1)
            defer { group.shutdown() }
            let loop = group.loops[0]
            let events = Events()
            let info = try group.listen(address: "127.0.0.1:0") { _ in EchoHandler(events: events, greeting: "220\r\n") }
            #expect(waitUntil { onLoop(loop) { loop.listenerSockets.count } == 1 })
            let exhausted = Flag(true)
            _ = onLoop(loop) {
                loop.listenerSockets[0].acceptCall = { fd, address, length in
                    if exhausted.value.load(ordering: .relaxed) {
                        errno = EMFILE
                        return -1
                    }
                    return clinux_accept4(fd, address, length, CLINUX_SOCK_NONBLOCK | CLINUX_SOCK_CLOEXEC)
                }
            }
            let clients = try (0..<3).map { _ in try TestClient(port: info.port) }
            usleep(300_000)  // let the listener hit EMFILE a few times
            exhausted.value.store(false, ordering: .relaxed)
            for client in clients { #expect(client.receiveString(count: 5) == "220\r\n") }
            #expect(events.opened == 3)
            let backoffs = onLoop(loop) { loop.listenerSockets.first?.backoffCount ?? 0 } ?? 0
            #expect(backoffs >= 1)
            #expect(backoffs <= 10)  // ~300 ms at one retry per 100 ms; a spinning loop does thousands
        }
    }
}

final class Flag: Sendable {
    let value: Atomic<Bool>
    init(_ initial: Bool) { value = Atomic(initial) }
}
