import Glibc
import Synchronization
import Testing
@testable import MailgateIO

final class Log: Sendable {
    let entries = Mutex<[Int]>([])
    func append(_ value: Int) { entries.withLock { $0.append(value) } }
    var values: [Int] { entries.withLock { $0 } }
}

extension ReactorTests {
    @Suite struct EventLoopTests {
        @Test func executeRunsTasksOnTheLoopThreadInSubmissionOrder() throws {
            let group = try EventLoopGroup(loopCount: 2)
            defer { group.shutdown() }
            let loop = group.loops[1]
            #expect(!loop.inEventLoop)
            let perThread = 500
            let log = Log()
            let offLoop = Atomic<Int>(0)
            let done = try WakeEvent()
            var threads: [OSThread] = []
            for producer in 0..<2 {
                threads.append(try spawn {
                    for i in 0..<perThread {
                        loop.execute {
                            if !loop.inEventLoop || group.loops[0].inEventLoop { offLoop.add(1, ordering: .relaxed) }
                            log.append(producer * perThread + i)
                            if log.values.count == 2 * perThread { done.signal() }
                        }
                    }
                })
            }
            for thread in threads { thread.join() }
            #expect(done.wait(timeoutMilliseconds: 10_000))
            let values = log.values
            #expect(values.count == 2 * perThread)
            #expect(values.filter { $0 < perThread } == Array(0..<perThread))
            #expect(values.filter { $0 >= perThread } == Array(perThread..<2 * perThread))
            #expect(offLoop.load(ordering: .relaxed) == 0)
        }

        @Test func timersFireInDeadlineOrderAndCancelWorks() throws {
            let group = try EventLoopGroup(loopCount: 1)
            defer { group.shutdown() }
            let loop = group.loops[0]
            let log = Log()
            let done = try WakeEvent()
            loop.execute {
                loop.schedule(after: 30) { log.append(30) }
                loop.schedule(after: 10) { log.append(10) }
                let cancelled = loop.schedule(after: 15) { log.append(15) }
                loop.schedule(after: 20) { log.append(20) }
                loop.schedule(after: 20) { log.append(21) }
                cancelled.cancel()
                let later = loop.schedule(after: 5) { log.append(40) }
                later.reschedule(after: 40)  // pushed back: must not fire at 5 ms
                let earlier = loop.schedule(after: 1_000) { log.append(1) }
                earlier.reschedule(after: 1)  // pulled forward
                loop.schedule(after: 80) { done.signal() }
            }
            #expect(done.wait(timeoutMilliseconds: 10_000))
            #expect(log.values == [1, 10, 20, 21, 30, 40])
        }

        @Test func tenThousandTimersFireInOrderAndCancelledOnesDoNot() throws {
            let group = try EventLoopGroup(loopCount: 1)
            defer { group.shutdown() }
            let loop = group.loops[0]
            let log = Log()
            let deadlines = Mutex<[UInt64]>([])
            let done = try WakeEvent()
            let count = 10_000
            loop.execute {
                var handles: [TimerHandle] = []
                for i in 0..<count {
                    let delay = (i * 7919) % 50  // scrambled 0..49 ms
                    handles.append(loop.schedule(after: delay) { log.append(i) })
                }
                for (i, handle) in handles.enumerated() where i % 2 == 1 { handle.cancel() }
                deadlines.withLock { $0 = handles.map { $0.entry.deadline } }
                loop.schedule(after: 100) { done.signal() }
            }
            #expect(done.wait(timeoutMilliseconds: 10_000))
            let due = deadlines.withLock { $0 }
            // Ties on the deadline run in scheduling order.
            let expected = stride(from: 0, to: count, by: 2).sorted { (due[$0], $0) < (due[$1], $1) }
            let fired = log.values
            #expect(fired.count == count / 2)
            #expect(fired == expected)
        }

        @Test func heapRebuildDropsCancelledNodes() {
            var heap = TimerHeap()
            var entries: [TimerEntry] = []
            for i in 0..<5_000 {
                let entry = TimerEntry(deadline: UInt64(i), action: {})
                heap.insert(entry, at: entry.deadline)
                entries.append(entry)
            }
            for entry in entries.prefix(4_000) {
                entry.action = nil
                heap.markStale()
            }
            // Rebuilt at 2 501 stale of 5 000, then at 1 250 stale of 2 499: 249 stale remain.
            #expect(heap.count == 1_249)
            var order: [UInt64] = []
            while let node = heap.removeFirst() { if node.isLive { order.append(node.deadline) } }
            #expect(order == Array(4_000..<5_000).map(UInt64.init))
        }

        @Test func wakeEventWakesAnotherThread() throws {
            let wake = try WakeEvent()
            #expect(!wake.wait(timeoutMilliseconds: 10))
            let thread = try spawn { wake.signal() }
            #expect(wake.wait(timeoutMilliseconds: 10_000))
            thread.join()
            #expect(!wake.consume())
        }

        @Test func signalWaiterReturnsABlockedSignal() throws {
            // A thread-directed signal, so no other thread of the test process can take it.
            let waiter = SignalWaiter(signals: [SIGUSR2])
            #expect(waiter.wait(timeoutMilliseconds: 10) == nil)
            pthread_kill(pthread_self(), SIGUSR2)
            #expect(waiter.wait(timeoutMilliseconds: 10_000) == SIGUSR2)
        }
    }
}
