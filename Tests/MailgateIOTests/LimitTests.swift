import CLinux
import Glibc
import Testing
@testable import MailgateIO

extension ReactorTests {
    @Suite struct LimitTests {
        static let rejection = "421 4.7.0 Error: too many connections\r\n"

        @Test func rejectsBeyondTheTotalLimitWithTheConfiguredText() throws {
            let group = try EventLoopGroup(loopCount: 2)
            defer { group.shutdown() }
            let events = Events()
            var limits = ConnectionLimits()
            limits.maxConnections = 2
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
            let info = try group.listen(address: "127.0.0.1:0", limits: limits) { _ in EchoHandler(events: events, greeting: "hi\r\n") }
            let first = try TestClient(port: info.port, source: "127.0.0.1")
            #expect(first.receiveString(count: 4) == "hi\r\n")
            let second = try TestClient(port: info.port, source: "127.0.0.1")
            #expect(String(decoding: second.receiveUntilEnd().bytes, as: UTF8.self) == "busy\r\n")
            let other = try TestClient(port: info.port, source: "127.0.0.2")
            #expect(other.receiveString(count: 4) == "hi\r\n")
            #expect(events.opened == 2)
        }

        /// With no descriptors left, accept4 fails with EMFILE. The listener must back off
        /// instead of retrying in a loop, and accept the waiting clients once fds free up.
        @Test func backsOffOnEMFILEAndRecovers() throws {
            let group = try EventLoopGroup(loopCount: 1)
            defer { group.shutdown() }
            let events = Events()
            let info = try group.listen(address: "127.0.0.1:0") { _ in EchoHandler(events: events, greeting: "220\r\n") }
            #expect(waitUntil { onLoop(group.loops[0]) { group.loops[0].listenerSockets.count } == 1 })
            let sockets = (0..<3).map { _ in socket(AF_INET, CLINUX_SOCK_STREAM | CLINUX_SOCK_CLOEXEC, 0) }
            defer { for fd in sockets { close(fd) } }
            var saved = rlimit()
            getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &saved)
            // Every fd below the lowest free one is in use: a limit there leaves none to allocate.
            let lowestFree = dup(0)
            close(lowestFree)
            var tight = saved
            tight.rlim_cur = rlim_t(lowestFree)
            setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &tight)
            let address = try SocketAddress(parsing: "127.0.0.1:\(info.port)")
            for fd in sockets { _ = address.withSockAddr { connect(fd, $0, $1) } }
            usleep(300_000)  // let the listener hit EMFILE a few times
            setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &saved)
            #expect(waitUntil { events.opened == 3 })
            let backoffs = onLoop(group.loops[0]) { group.loops[0].listenerSockets.first?.backoffCount ?? 0 } ?? 0

            #expect(backoffs >= 1)
            #expect(backoffs <= 10)  // ~300 ms at one retry per 100 ms; a spinning loop does thousands
            for fd in sockets {
                var timeout = timeval(tv_sec: 10, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var buffer = [UInt8](repeating: 0, count: 5)
                #expect(recv(fd, &buffer, 5, Int32(MSG_WAITALL)) == 5)
                #expect(buffer == Array("220\r\n".utf8))
            }
        }
    }
}
