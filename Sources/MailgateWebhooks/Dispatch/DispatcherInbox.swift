import CCurl
import Synchronization

/// What other threads tell the dispatcher thread. Posting wakes its curl_multi_poll.
final class DispatcherInbox: Sendable {
    enum Event: Sendable {
        /// A start record committed (or failed): `started` may go out; the rest of `requested` are released.
        case started(requested: [String], started: [String], failed: Bool)
        /// Attempt results committed (or failed): their slots are free.
        case recorded(ids: [String], failed: Bool)
        /// Restart recovery committed (or failed).
        case recovered(failed: Bool)
    }

    /// The multi handle; curl_multi_wakeup is the one call on it that any thread may make.
    private struct Multi: @unchecked Sendable {
        let handle: UnsafeMutableRawPointer
    }

    private struct State {
        var multi: Multi?
        var events: [Event] = []
        var wakeRequested = false
        var stopRequested = false
    }

    private let state = Mutex(State())

    /// The multi handle to wake; set while the dispatcher thread runs.
    func attach(_ multi: UnsafeMutableRawPointer) {
        let m = Multi(handle: multi)
        state.withLock { $0.multi = m; $0.stopRequested = false }
    }

    /// Detaches and returns the multi handle (after the thread ended).
    func detach() -> UnsafeMutableRawPointer? {
        state.withLock { s in defer { s.multi = nil }; return s.multi }?.handle
    }

    func post(_ event: Event) {
        state.withLock {
            $0.events.append(event)
            if let multi = $0.multi { curl_multi_wakeup(multi.handle) }
        }
    }

    /// New deliveries were committed (or something else is due): look for work now.
    func wake() {
        state.withLock {
            $0.wakeRequested = true
            if let multi = $0.multi { curl_multi_wakeup(multi.handle) }
        }
    }

    func requestStop() {
        state.withLock {
            $0.stopRequested = true
            if let multi = $0.multi { curl_multi_wakeup(multi.handle) }
        }
    }

    /// Takes everything posted so far.
    func drain() -> (events: [Event], wake: Bool, stop: Bool) {
        state.withLock { s in
            defer { s.events.removeAll(); s.wakeRequested = false }
            return (s.events, s.wakeRequested, s.stopRequested)
        }
    }
}
