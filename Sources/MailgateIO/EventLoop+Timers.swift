/// A scheduled action on an event loop. Use it only on that loop's thread.
public struct TimerHandle {
    let entry: TimerEntry
    let loop: EventLoop

    /// Drops the action (and what it captured) now; it will not run.
    public func cancel() {
        guard entry.action != nil else { return }
        entry.action = nil
        loop.timers.markStale()
    }

    /// Moves the deadline to `milliseconds` from now. Pushing it later (an idle timeout reset
    /// on every read) touches no heap; pulling it earlier adds a node.
    public func reschedule(after milliseconds: Int) {
        guard entry.action != nil else { return }
        let deadline = monotonicNanoseconds() &+ EventLoop.nanoseconds(milliseconds)
        entry.deadline = deadline
        if deadline < entry.nodeDeadline {
            loop.timers.markStale()
            loop.timers.insert(entry, at: deadline)
        }
    }

    /// True until the action has run or was cancelled.
    public var isPending: Bool { entry.action != nil }
}

extension EventLoop {
    static func nanoseconds(_ milliseconds: Int) -> UInt64 {
        UInt64(max(0, milliseconds)) &* 1_000_000
    }

    /// Runs `action` on this loop's thread after `milliseconds`. Call it on the loop thread.
    /// Timers with the same deadline run in the order they were scheduled.
    @discardableResult
    public func schedule(after milliseconds: Int, _ action: @escaping () -> Void) -> TimerHandle {
        assert(inEventLoop, "schedule(after:) must be called on the loop thread")
        let entry = TimerEntry(deadline: monotonicNanoseconds() &+ Self.nanoseconds(milliseconds), action: action)
        timers.insert(entry, at: entry.deadline)
        return TimerHandle(entry: entry, loop: self)
    }

    /// epoll_wait timeout: -1 without timers, else the milliseconds to the first one, rounded up
    /// so a timer never runs early.
    func timerTimeout(now: UInt64) -> Int32 {
        guard let first = timers.first else { return -1 }
        if first.deadline <= now { return 0 }
        let milliseconds = (first.deadline - now + 999_999) / 1_000_000
        return Int32(clamping: milliseconds)
    }

    func runDueTimers() {
        guard !timers.isEmpty else { return }
        let now = monotonicNanoseconds()
        while let top = timers.first, top.deadline <= now {
            _ = timers.removeFirst()
            guard top.isLive, let action = top.entry.action else { continue }
            let entry = top.entry
            if entry.deadline > now {
                timers.insert(entry, at: entry.deadline)  // deferred by reschedule
                continue
            }
            entry.action = nil
            action()
        }
    }

    /// Drops every pending action (breaks cycles through captured connections at shutdown).
    func cancelAllTimers() {
        while let node = timers.removeFirst() { node.entry.action = nil }
    }
}
