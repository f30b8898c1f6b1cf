import CLinux
import Glibc

/// Plain pthreads for the loop threads: no Foundation, no Swift Concurrency executor.
enum PThread {
    private final class Box {
        let name: String
        let body: () -> Void
        init(name: String, body: @escaping () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// Starts a thread; the name is truncated to the 15 bytes Linux keeps.
    static func spawn(name: String, _ body: @escaping @Sendable () -> Void) throws(IOError) -> pthread_t {
        let box = Unmanaged.passRetained(Box(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            let box = Unmanaged<Box>.fromOpaque(argument).takeRetainedValue()
            clinux_set_thread_name(box.name)
            box.body()
            return nil
        }, box)
        if result != 0 {
            Unmanaged<Box>.fromOpaque(box).release()
            throw IOError(errnoCode: result, function: "pthread_create")
        }
        return thread
    }

    static func join(_ thread: pthread_t) {
        _ = pthread_join(thread, nil)
    }
}
