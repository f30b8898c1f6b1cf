import Glibc
import Synchronization
@testable import MailgateIO

/// What the handlers saw, readable from the test thread.
final class Events: Sendable {
    struct State {
        var opened = 0
        var closed = 0
        var reasons: [Connection.CloseReason] = []
        var bytesRead = 0
        var maxPending = 0
        var sawBackpressure = false
        var drains = 0
        var loops: Set<Int> = []
        var connections: [Connection] = []
    }

    let state = Mutex(State())

    func update(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }
    func read<T>(_ body: (State) -> T) -> T { state.withLock { body($0) } }
    var opened: Int { read { $0.opened } }
    var closed: Int { read { $0.closed } }
}

/// Echoes every byte back; optional greeting on open.
final class EchoHandler: ConnectionHandler {
    let events: Events
    let greeting: [UInt8]
    let pauseOnOpen: Bool

    init(events: Events, greeting: String = "", pauseOnOpen: Bool = false) {
        self.events = events
        self.greeting = Array(greeting.utf8)
        self.pauseOnOpen = pauseOnOpen
    }

    func connectionDidOpen(_ connection: Connection) {
        if pauseOnOpen { connection.pauseReading() }
        events.update {  // before the greeting: a client that got it may rely on the count
            $0.opened += 1
            $0.loops.insert(connection.loop.index)
            $0.connections.append(connection)
        }
        connection.write(greeting)
    }

    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer) {
        // Counted before the echo: a client that got it back may check the count at once.
        events.update { $0.bytesRead += bytes.count }
        connection.write(bytes)
        let pending = connection.pendingWriteCount
        let paused = connection.pausedByBackpressure
        events.update {
            $0.maxPending = max($0.maxPending, pending)
            $0.sawBackpressure = $0.sawBackpressure || paused
        }
    }

    func connectionDidDrain(_ connection: Connection) {
        events.update { $0.drains += 1 }
    }

    func connectionDidClose(_ connection: Connection) {
        let reason = connection.closeReason
        events.update {
            $0.closed += 1
            $0.reasons.append(reason)
            $0.connections.removeAll { $0 === connection }
        }
    }
}

/// Writes `payload` on open, then close(): tests flushing before the FIN.
final class SendAndCloseHandler: ConnectionHandler {
    let events: Events
    let payload: [UInt8]

    init(events: Events, payload: [UInt8]) {
        self.events = events
        self.payload = payload
    }

    func connectionDidOpen(_ connection: Connection) {
        connection.write(payload)
        let pending = connection.pendingWriteCount
        connection.close()
        events.update {
            $0.opened += 1
            $0.maxPending = max($0.maxPending, pending)
        }
    }

    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer) {
        events.update { $0.bytesRead += bytes.count }
    }

    func connectionDidDrain(_ connection: Connection) {}

    func connectionDidClose(_ connection: Connection) {
        let reason = connection.closeReason
        events.update {
            $0.closed += 1
            $0.reasons.append(reason)
        }
    }
}

/// Polls `condition` until true or `seconds` pass (a hang guard, not a timing assertion).
@discardableResult
func waitUntil(seconds: Int = 10, _ condition: () -> Bool) -> Bool {
    let deadline = monotonicMilliseconds() + UInt64(seconds) * 1000
    while !condition() {
        if monotonicMilliseconds() > deadline { return false }
        usleep(1000)
    }
    return true
}

/// Runs `body` on `loop` and returns its result (nil if the loop did not run it in time).
func onLoop<T: Sendable>(_ loop: EventLoop, _ body: @escaping @Sendable () -> T) -> T? {
    let result = Mutex<T?>(nil)
    guard let done = try? WakeEvent() else { return nil }
    loop.execute {
        let value = body()
        result.withLock { $0 = value }
        done.signal()
    }
    guard done.wait(timeoutMilliseconds: 10_000) else { return nil }
    return result.withLock { $0 }
}

/// A joinable thread for client work in tests.
func spawn(_ body: @escaping @Sendable () -> Void) throws -> OSThread {
    try OSThread(name: "test-client", body)
}

/// Resident set size of this process in bytes (second field of /proc/self/statm, in pages).
func residentBytes() -> Int {
    guard let file = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 128)
    guard fgets(&line, 128, file) != nil else { return 0 }
    let fields = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        .split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * sysconf(Int32(_SC_PAGESIZE))
}
