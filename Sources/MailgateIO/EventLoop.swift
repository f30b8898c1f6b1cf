import CLinux
import Glibc
import Synchronization

/// One epoll instance driven by one thread. Connections, listener sockets and timers registered
/// here belong to this thread alone; other threads reach it only through `execute(_:)`.
public final class EventLoop: @unchecked Sendable {
    /// Position in the group (0-based).
    public let index: Int
    let epollFD: Int32
    let wake: WakeEvent

    // Shared with other threads.
    let taskQueue = Mutex(TaskQueue())
    let threadID = Atomic<UInt>(0)
    let openConnections = Atomic<Int>(0)

    // Confined to the loop thread.
    var registry: [Registration?] = []
    var nextRegistrationID: UInt32 = 0
    var timers = TimerHeap()
    var listenerSockets: [ListenerSocket] = []
    var closedConnections: [Connection] = []
    var spareTasks: [@Sendable () -> Void] = []
    var stopping = false
    var nextConnectionNumber: UInt64 = 0
    /// The one input buffer of this loop: every read lands here and is handed to the handler,
    /// so an idle connection owns no input memory.
    let readBuffer: UnsafeMutableRawBufferPointer
    let events: UnsafeMutablePointer<epoll_event>
    static let maxEvents: Int32 = 256

    init(index: Int, readBufferSize: Int) throws(IOError) {
        self.index = index
        epollFD = try Syscall.blocking("epoll_create1") { epoll_create1(Int32(CLINUX_EPOLL_CLOEXEC)) }
        do throws(IOError) {
            wake = try WakeEvent()
            let event = Self.event(CLINUX_EPOLLIN, fd: wake.fileDescriptor, id: 0)
            try Self.control(epollFD, EPOLL_CTL_ADD, wake.fileDescriptor, event)
        } catch {
            Syscall.close(epollFD)
            throw error
        }
        readBuffer = .allocate(byteCount: readBufferSize, alignment: 16)
        events = .allocate(capacity: Int(Self.maxEvents))
        setRegistration(.wake, for: wake.fileDescriptor)
    }

    deinit {
        Syscall.close(epollFD)
        readBuffer.deallocate()
        events.deallocate()
    }

    /// True on this loop's thread.
    public var inEventLoop: Bool {
        threadID.load(ordering: .relaxed) == pthread_self()
    }

    /// Connections open on this loop (readable from any thread).
    public var connectionCount: Int { openConnections.load(ordering: .relaxed) }

    /// Calls `body` for every open connection of this loop. Call it on the loop thread.
    public func forEachConnection(_ body: (Connection) -> Void) {
        assert(inEventLoop, "forEachConnection must be called on the loop thread")
        let connections: [Connection] = registry.compactMap {
            if case .connection(let connection)? = $0, connection.state != .closed { return connection }
            return nil
        }
        for connection in connections { body(connection) }
    }

    /// The thread body: wait, dispatch, run timers and tasks, until `stop()`.
    func run() {
        threadID.store(UInt(pthread_self()), ordering: .relaxed)
        while !stopping {
            let timeout = hasQueuedTasks ? 0 : timerTimeout(now: monotonicNanoseconds())
            let count = epoll_wait(epollFD, events, Self.maxEvents, timeout)
            if count > 0 {
                for i in 0..<Int(count) { dispatch(events[i]) }
                deliverCloseNotifications()
            }
            runDueTimers()
            deliverCloseNotifications()
            runQueuedTasks()
            deliverCloseNotifications()
        }
        tearDown()
    }

    /// Ends `run()` after the current iteration. Loop thread only.
    func stop() { stopping = true }

    private func tearDown() {
        for socket in listenerSockets { socket.close() }
        listenerSockets.removeAll()
        forEachConnection { $0.abort() }
        deliverCloseNotifications()
        refuseTasks()
        runQueuedTasks()
        deliverCloseNotifications()
        cancelAllTimers()
        registry.removeAll()
    }

    /// `connectionDidClose` is never called from inside a call the handler made (write, close,
    /// abort): closes are collected and reported here, between events.
    func deliverCloseNotifications() {
        while !closedConnections.isEmpty {
            let batch = closedConnections
            closedConnections.removeAll(keepingCapacity: true)
            for connection in batch { connection.notifyClosed() }
        }
    }
}
