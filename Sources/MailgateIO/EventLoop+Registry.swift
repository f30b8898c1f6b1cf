import CLinux
import Glibc

/// What an epoll event points at. The event's 64-bit data holds the fd (low half) and a
/// registration id (high half), so an event for a closed fd that was reused by a newer
/// connection in the same batch is recognised as stale and dropped.
enum Registration {
    case connection(Connection)
    case listener(ListenerSocket)
    case wake
}

extension EventLoop {
    static func event(_ mask: UInt32, fd: Int32, id: UInt32) -> epoll_event {
        var event = epoll_event()
        event.events = mask
        event.data.u64 = UInt64(UInt32(bitPattern: fd)) | UInt64(id) << 32
        return event
    }

    static func control(_ epollFD: Int32, _ operation: Int32, _ fd: Int32, _ event: epoll_event) throws(IOError) {
        var event = event
        _ = try Syscall.blocking("epoll_ctl") { epoll_ctl(epollFD, operation, fd, &event) }
    }

    func makeRegistrationID() -> UInt32 {
        nextRegistrationID &+= 1
        if nextRegistrationID == 0 { nextRegistrationID = 1 }
        return nextRegistrationID
    }

    func setRegistration(_ registration: Registration?, for fd: Int32) {
        let slot = Int(fd)
        if slot >= registry.count {
            guard registration != nil else { return }
            registry.append(contentsOf: repeatElement(nil, count: max(slot + 1, registry.count * 2) - registry.count))
        }
        registry[slot] = registration
    }

    /// Adds `fd` to epoll with `mask` and records what it is.
    func register(_ registration: Registration, fd: Int32, id: UInt32, mask: UInt32) throws(IOError) {
        try Self.control(epollFD, EPOLL_CTL_ADD, fd, Self.event(mask, fd: fd, id: id))
        setRegistration(registration, for: fd)
    }

    func modify(fd: Int32, id: UInt32, mask: UInt32) throws(IOError) {
        try Self.control(epollFD, EPOLL_CTL_MOD, fd, Self.event(mask, fd: fd, id: id))
    }

    /// Forgets `fd`; the caller closes it (close(2) also removes it from epoll).
    func deregister(fd: Int32) {
        setRegistration(nil, for: fd)
    }

    @inline(__always)
    func dispatch(_ event: epoll_event) {
        let data = event.data.u64
        let slot = Int(UInt32(truncatingIfNeeded: data))
        let id = UInt32(truncatingIfNeeded: data >> 32)
        guard slot < registry.count, let registration = registry[slot] else { return }
        switch registration {
        case .connection(let connection):
            if connection.registrationID == id { connection.handleEvents(event.events) }
        case .listener(let socket):
            if socket.registrationID == id { socket.acceptConnections() }
        case .wake:
            wake.consume()
        }
    }
}
