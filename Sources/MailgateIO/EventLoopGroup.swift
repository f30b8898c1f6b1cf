import Glibc
import Synchronization

/// N event loops, one pthread each (default: one per online CPU). Create it after
/// `SignalWaiter` so the loop threads inherit the blocked signal mask, and call `shutdown()`
/// before dropping it.
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]
    private let threads: Mutex<[OSThread]>
    private let roundRobin = Atomic<Int>(0)

    /// - Parameters:
    ///   - loopCount: threads; nil means sysconf(_SC_NPROCESSORS_ONLN).
    ///   - readBufferSize: each loop's shared read buffer.
    public init(loopCount: Int? = nil, readBufferSize: Int = 64 * 1024) throws(IOError) {
        let count = max(1, loopCount ?? Self.coreCount)
        var loops: [EventLoop] = []
        for index in 0..<count { loops.append(try EventLoop(index: index, readBufferSize: readBufferSize)) }
        self.loops = loops
        var started: [OSThread] = []
        for loop in loops {
            do {
                started.append(try OSThread(name: "mailgate-io-\(loop.index)") { loop.run() })
            } catch {
                for (index, thread) in started.enumerated() {
                    let loop = loops[index]
                    loop.execute { loop.stop() }
                    thread.join()
                }
                throw IOError(errnoCode: error.code, function: "pthread_create")
            }
        }
        threads = Mutex(started)
    }

    public static var coreCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// Loops in turn, for work that is not tied to a connection.
    public func next() -> EventLoop {
        loops[roundRobin.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// Open connections on all loops.
    public var connectionCount: Int { loops.reduce(0) { $0 + $1.connectionCount } }

    /// True on any of the group's loop threads.
    public var inAnyEventLoop: Bool { loops.contains { $0.inEventLoop } }

    /// Stops every loop (listeners closed, connections aborted with `connectionDidClose`
    /// delivered, pending timers dropped) and joins the threads. Idempotent. Call it from a
    /// thread that is not one of the loops (from a loop it only asks them to stop).
    public func shutdown() {
        let toJoin = threads.withLock { threads -> [OSThread] in
            let all = threads
            threads.removeAll()
            return all
        }
        guard !toJoin.isEmpty else { return }
        for loop in loops { loop.execute { loop.stop() } }
        guard !inAnyEventLoop else { return }
        for thread in toJoin { thread.join() }
    }

    /// Runs `body` on every loop and waits until all have run it (or `timeoutMilliseconds`
    /// passed). From a loop thread it does not wait (that would deadlock).
    public func onEveryLoop(timeoutMilliseconds: Int = 5_000,
                            _ body: @escaping @Sendable (EventLoop) -> Void) {
        guard let done = try? WakeEvent() else { return }
        let shared = SharedCounter(done: done, count: loops.count)
        var accepted = 0
        for loop in loops {
            let queued = loop.execute {
                body(loop)
                shared.arrive()
            }
            if queued { accepted += 1 }
        }
        for _ in accepted..<loops.count { shared.arrive() }  // shut-down loops: nothing to wait for
        guard !inAnyEventLoop else { return }
        _ = done.wait(timeoutMilliseconds: timeoutMilliseconds)
    }
}

/// Signals `done` when the last of `count` arrivals happens.
final class SharedCounter: Sendable {
    let done: WakeEvent
    let remaining: Atomic<Int>

    init(done: WakeEvent, count: Int) {
        self.done = done
        self.remaining = Atomic(count)
    }

    func arrive() {
        if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { done.signal() }
    }
}
