import Glibc

extension EventLoopGroup {
    /// Listens on `address` (`127.0.0.1:2525`, `[::1]:0`, `*:25`; port 0 picks a free port)
    /// with one SO_REUSEPORT socket per loop. `makeHandler` runs on the accepting loop for
    /// each new connection, before `connectionDidOpen`. Returns the bound address.
    /// Safe to call from any thread; accepting starts as soon as each loop picks its socket up.
    @discardableResult
    public func listen(address: String, limits: ConnectionLimits = ConnectionLimits(),
                       makeHandler: @escaping @Sendable (Connection) -> any ConnectionHandler) throws -> ListenerInfo {
        let requested = try SocketAddress(parsing: address)
        if requested.port != 0 { try Socket.checkPortIsFree(requested) }
        var fds: [Int32] = []
        do {
            let first = try Socket.listen(on: requested, reusePort: true, backlog: limits.backlog)
            fds.append(first)
            let bound = try Socket.localAddress(first)
            let shared = SocketAddress(ip: requested.ip, port: bound.port)
            while fds.count < loops.count {
                fds.append(try Socket.listen(on: shared, reusePort: true, backlog: limits.backlog))
            }
            let listener = Listener(limits: limits, localPort: bound.port, makeHandler: makeHandler)
            for (loop, fd) in zip(loops, fds) {
                loop.execute { loop.addListenerSocket(fd: fd, listener: listener) }
            }
            return ListenerInfo(address: shared)
        } catch {
            for fd in fds { Syscall.close(fd) }
            throw error
        }
    }

    /// Stops accepting on every listener (open connections stay) and waits until every loop
    /// has closed its sockets, so a connect after this returns is refused.
    public func closeListeners() {
        onEveryLoop { $0.closeListenerSockets() }
    }
}

extension EventLoop {
    func addListenerSocket(fd: Int32, listener: Listener) {
        let socket = ListenerSocket(fd: fd, listener: listener, loop: self)
        do {
            try socket.start()
            listenerSockets.append(socket)
        } catch {
            Syscall.close(fd)
        }
    }

    func closeListenerSockets() {
        for socket in listenerSockets { socket.close() }
        listenerSockets.removeAll()
    }
}
