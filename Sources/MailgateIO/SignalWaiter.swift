import CLinux
import Glibc

/// Turns SIGTERM/SIGINT into something the main thread waits for, instead of handlers.
///
/// Create it on the main thread BEFORE starting any other thread (EventLoopGroup, store writer,
/// dispatcher): it blocks the signals in the calling thread and new threads inherit that mask,
/// so the signals stay pending until `wait()` takes them with sigwaitinfo(2). SIGPIPE is also
/// set to SIG_IGN: writes to a reset peer must fail with EPIPE, not kill the process.
public struct SignalWaiter: Sendable {
    public let signals: [Int32]

    public init(signals: [Int32] = [SIGTERM, SIGINT]) {
        self.signals = signals
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
        var set = Self.makeSet(signals + [SIGPIPE])
        _ = pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    private static func makeSet(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        return set
    }

    /// Blocks until one of `signals` arrives and returns its number.
    public func wait() -> Int32 {
        var set = Self.makeSet(signals)
        while true {
            let received = sigwaitinfo(&set, nil)
            if received > 0 { return received }
        }
    }

    /// Like `wait()` but gives up after the timeout and returns nil.
    public func wait(timeoutMilliseconds: Int) -> Int32? {
        var set = Self.makeSet(signals)
        var timeout = timespec(tv_sec: timeoutMilliseconds / 1000, tv_nsec: (timeoutMilliseconds % 1000) * 1_000_000)
        while true {
            let received = sigtimedwait(&set, nil, &timeout)
            if received > 0 { return received }
            if errno != EINTR { return nil }
        }
    }
}
