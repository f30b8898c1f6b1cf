import CLinux
import Glibc

/// A named, joinable OS thread, for the long-lived blocking loops (event loops, the store
/// writer, checkpointer and retention, the webhook dispatcher): they block in epoll, fsync or
/// curl, so they do not belong on Swift's cooperative pool. The name (15 bytes at most) shows
/// in `top -H`, `/proc/PID/task/*/comm` and perf.
public struct OSThread: Sendable {
    /// pthread_create failed with errno `code`.
    public struct StartError: Error, Sendable, CustomStringConvertible {
        public let name: String
        public let code: Int32
        public var description: String { "cannot start thread \(name): errno \(code)" }
    }

    private let thread: pthread_t

    public init(name: String, _ body: @escaping @Sendable () -> Void) throws(StartError) {
        final class Start {
            let name: String
            let body: @Sendable () -> Void
            init(_ name: String, _ body: @escaping @Sendable () -> Void) { self.name = name; self.body = body }
        }
        let context = Unmanaged.passRetained(Start(name, body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let start = Unmanaged<Start>.fromOpaque(raw).takeRetainedValue()
            clinux_set_thread_name(start.name)
            start.body()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<Start>.fromOpaque(context).release()
            throw StartError(name: name, code: rc)
        }
        self.thread = thread
    }

    /// Runs the calling thread only when a CPU would otherwise be idle (SCHED_IDLE; nice 19
    /// where that is refused), for background work that must yield to the threads a client is
    /// waiting on. Not nice: on a busy 2-core machine even a nice-19 thread takes its share
    /// from them (docs/PERFORMANCE.md). Best effort: an error is ignored. One-way: an
    /// unprivileged thread cannot leave SCHED_IDLE.
    public static func runCurrentOnlyWhenIdle() {
        _ = clinux_set_thread_idle_policy()
    }

    /// The calling thread's kernel id (its /proc/self/task entry).
    public static var currentID: Int32 { clinux_thread_id() }

    /// Waits for the thread to end; from the thread itself (a completion that stops the owner)
    /// it detaches instead, since a thread cannot join itself.
    public func join() {
        if pthread_equal(pthread_self(), thread) != 0 {
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }
}
