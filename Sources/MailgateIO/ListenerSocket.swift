import CLinux
import Glibc

/// One loop's listening socket. Every loop has its own socket bound to the same port with
/// SO_REUSEPORT, so the kernel spreads accepts evenly over the loops (hash of the 4-tuple),
/// no accepted fd crosses threads, and no loop is woken for a connection another takes.
/// (EPOLLEXCLUSIVE on one shared socket wakes waiters LIFO and piles load onto one loop.)
final class ListenerSocket {
    let fd: Int32
    let listener: Listener
    unowned let loop: EventLoop
    let registrationID: UInt32
    private var isOpen = true
    private var backingOff = false
    /// Times the listener paused for lack of descriptors or memory (tests, metrics).
    private(set) var backoffCount = 0
    /// accept4(2). Replaceable so tests can inject EMFILE without lowering the fd limit of the
    /// whole test process.
    var acceptCall: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32 = {
        clinux_accept4($0, $1, $2, CLINUX_SOCK_NONBLOCK | CLINUX_SOCK_CLOEXEC)
    }

    /// Accepts per readiness event before yielding to other connections (level-triggered:
    /// the rest are picked up in the next iteration).
    static let acceptBatch = 64
    /// Pause after EMFILE/ENFILE/ENOBUFS/ENOMEM: retrying at once would spin on the same error.
    static let backoffMilliseconds = 100

    init(fd: Int32, listener: Listener, loop: EventLoop) {
        self.fd = fd
        self.listener = listener
        self.loop = loop
        self.registrationID = loop.makeRegistrationID()
    }

    func start() throws(IOError) {
        try loop.register(.listener(self), fd: fd, id: registrationID, mask: CLINUX_EPOLLIN)
    }

    func close() {
        guard isOpen else { return }
        isOpen = false
        loop.deregister(fd: fd)
        Syscall.close(fd)
    }

    func acceptConnections() {
        for _ in 0..<Self.acceptBatch {
            guard isOpen, !backingOff else { return }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let result: IOResult<Int32>
            do {
                result = try Syscall.nonBlocking("accept4") {
                    withUnsafeMutablePointer(to: &storage) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { acceptCall(fd, $0, &length) }
                    }
                }
            } catch {
                switch error.errnoCode {
                case EMFILE, ENFILE, ENOBUFS, ENOMEM: backOff()
                case EBADF, EINVAL, ENOTSOCK: close()
                default: continue  // ECONNABORTED, EPROTO, EPERM...: that client is gone, carry on
                }
                return
            }
            guard case .processed(let connectionFD) = result else { return }
            open(connectionFD, peer: SocketAddress(storage: storage))
        }
    }

    private func open(_ connectionFD: Int32, peer: SocketAddress) {
        if let refusal = listener.limiter.acquire(peer.ip) {
            listener.limits.onRefusal?(refusal)
            reject(connectionFD)
            return
        }
        Socket.setNoDelay(connectionFD)
        let connection = Connection(fd: connectionFD, loop: loop, listener: listener, remote: peer)
        do {
            try loop.register(.connection(connection), fd: connectionFD, id: connection.registrationID,
                              mask: CLINUX_EPOLLIN)
        } catch {
            listener.limiter.release(peer.ip)
            Syscall.close(connectionFD)
            return
        }
        loop.openConnections.add(1, ordering: .relaxed)
        connection.handler = listener.makeHandler(connection)
        connection.handler?.connectionDidOpen(connection)
    }

    /// Over a limit: best-effort rejection text, then close. The socket is fresh, so the
    /// text fits its send buffer; if not, the client just sees the close.
    private func reject(_ connectionFD: Int32) {
        let text = listener.limits.rejection
        if !text.isEmpty {
            _ = text.withUnsafeBytes {
                send(connectionFD, $0.baseAddress, $0.count, CLINUX_MSG_NOSIGNAL | CLINUX_MSG_DONTWAIT)
            }
        }
        Syscall.close(connectionFD)
    }

    private func backOff() {
        backingOff = true
        backoffCount += 1
        try? loop.modify(fd: fd, id: registrationID, mask: 0)
        loop.schedule(after: Self.backoffMilliseconds) { [self] in
            backingOff = false
            guard isOpen else { return }
            try? loop.modify(fd: fd, id: registrationID, mask: CLINUX_EPOLLIN)
        }
    }
}
