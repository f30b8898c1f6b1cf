import CLinux
import Glibc

/// A wake-up signal between threads on an eventfd: `signal()` from any thread, `wait()` blocks
/// until at least one signal arrived and consumes all of them. The event loops use one each to
/// be woken from epoll_wait; other threads (store writer, shutdown) can reuse it, and its
/// `fileDescriptor` can be polled alongside other descriptors.
public final class WakeEvent: Sendable {
    public let fileDescriptor: Int32

    public init() throws(IOError) {
        fileDescriptor = try Syscall.blocking("eventfd") {
            eventfd(0, Int32(CLINUX_EFD_CLOEXEC | CLINUX_EFD_NONBLOCK))
        }
    }

    deinit { Syscall.close(fileDescriptor) }

    /// Wakes a waiter. Never blocks (the counter cannot realistically overflow).
    public func signal() {
        var one: UInt64 = 1
        _ = try? Syscall.nonBlocking("write(eventfd)") { Glibc.write(fileDescriptor, &one, 8) }
    }

    /// Consumes pending signals without waiting; true when there was at least one.
    @discardableResult
    public func consume() -> Bool {
        var value: UInt64 = 0
        let result = try? Syscall.nonBlocking("read(eventfd)") { Glibc.read(fileDescriptor, &value, 8) }
        if case .processed = result { return true }
        return false
    }

    /// Blocks until signalled.
    public func wait() {
        while !wait(timeoutMilliseconds: -1) {}
    }

    /// Blocks until signalled or the timeout passes (negative: no timeout); true when signalled.
    public func wait(timeoutMilliseconds: Int) -> Bool {
        let deadline = timeoutMilliseconds < 0 ? UInt64.max
            : monotonicMilliseconds() + UInt64(timeoutMilliseconds)
        while true {
            if consume() { return true }
            var timeout: Int32 = -1
            if deadline != .max {
                let now = monotonicMilliseconds()
                if now >= deadline { return false }
                timeout = Int32(clamping: deadline - now)
            }
            var pfd = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
            _ = poll(&pfd, 1, timeout)
        }
    }
}

func monotonicMilliseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec) / 1_000_000
}

func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
