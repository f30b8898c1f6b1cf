import Glibc

/// A dedicated OS thread (the dispatcher must not run on Swift's cooperative pool: it blocks in
/// curl_multi_poll).
enum NativeThread {
    private final class Start {
        let body: @Sendable () -> Void
        init(body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Starts `body` on a new thread; nil when the thread cannot be created. (Naming the thread
    /// needs pthread_setname_np, which Glibc hides without _GNU_SOURCE.)
    static func spawn(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        let start = Unmanaged.passRetained(Start(body: body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            let start = Unmanaged<Start>.fromOpaque(argument).takeRetainedValue()
            start.body()
            return nil
        }, start)
        guard rc == 0 else {
            Unmanaged<Start>.fromOpaque(start).release()
            return nil
        }
        return thread
    }

    static func join(_ thread: pthread_t) { _ = pthread_join(thread, nil) }
}
