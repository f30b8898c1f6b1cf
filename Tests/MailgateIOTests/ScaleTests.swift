import CLinux
import Glibc
import Testing
@testable import MailgateIO

extension ReactorTests {
    @Suite struct ScaleTests {
        /// Idle connections cost little: no input buffer, no output buffer, one small object.
        /// MAILGATE_IO_IDLE_CONNECTIONS=10000 reproduces the 10 000-connection figure.
        @Test func holdsThousandsOfIdleConnections() throws {
            let count = getenv("MAILGATE_IO_IDLE_CONNECTIONS").flatMap { Int(String(cString: $0)) } ?? 2_000
            var limit = rlimit()
            getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
            let needed = rlim_t(2 * count + 256)
            if limit.rlim_cur < needed {
                limit.rlim_max = max(limit.rlim_max, needed)  // allowed for root (CAP_SYS_RESOURCE)
                limit.rlim_cur = needed
                if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) != 0 {
                    getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
                    limit.rlim_cur = min(needed, limit.rlim_max)
                }
                setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
            }
            try #require(limit.rlim_cur >= needed, "RLIMIT_NOFILE hard limit too low")

            let group = try EventLoopGroup(loopCount: 2)
            defer { group.shutdown() }
            let events = Events()
            var limits = ConnectionLimits()
            limits.maxConnections = count
            let info = try group.listen(address: "127.0.0.1:0", limits: limits) { _ in IdleHandler(events: events) }
            let before = residentBytes()
            var clients: [TestClient] = []
            clients.reserveCapacity(count)
            for _ in 0..<count { clients.append(try TestClient(port: info.port)) }
            #expect(waitUntil(seconds: 30) { group.connectionCount == count })
            let after = residentBytes()
            let perConnection = (after - before) / count
            let objectSize = onLoop(group.loops[0]) { () -> Int in
                var size = 0
                group.loops[0].forEachConnection { size = malloc_usable_size(Unmanaged.passUnretained($0).toOpaque()) }
                return size
            } ?? 0
            print("MailgateIO: \(count) idle connections, RSS +\((after - before) / 1024) KiB, "
                  + "\(perConnection) bytes each; Connection object \(objectSize) bytes")
            // Generous bound (the target is 64 MiB for 10 000 with the session object).
            #expect(perConnection < 4 * 1024)

            // Still live: one of them echoes.
            clients[count / 2].send("ping")
            #expect(clients[count / 2].receiveString(count: 4) == "ping")
            clients.removeAll()
            #expect(waitUntil(seconds: 30) { group.connectionCount == 0 })
            #expect(events.closed == count)
        }
    }
}

/// Echo without bookkeeping per connection (the scale test measures the reactor's memory).
final class IdleHandler: ConnectionHandler {
    let events: Events
    init(events: Events) { self.events = events }
    func connectionDidOpen(_ connection: Connection) {}
    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer) { connection.write(bytes) }
    func connectionDidDrain(_ connection: Connection) {}
    func connectionDidClose(_ connection: Connection) { events.update { $0.closed += 1 } }
}
