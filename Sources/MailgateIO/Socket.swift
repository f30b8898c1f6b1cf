import CLinux
import Glibc

/// Socket set-up calls shared by listeners and tests of the reactor.
enum Socket {
    /// A non-blocking listening socket. `reusePort` lets one socket per loop share the port
    /// (SO_REUSEPORT: the kernel spreads new connections over them by hashing the 4-tuple).
    static func listen(on address: SocketAddress, reusePort: Bool, backlog: Int32) throws(IOError) -> Int32 {
        let family = address.ip.family == .v4 ? AF_INET : AF_INET6
        let fd = try Syscall.blocking("socket") {
            socket(family, CLINUX_SOCK_STREAM | CLINUX_SOCK_NONBLOCK | CLINUX_SOCK_CLOEXEC, 0)
        }
        do throws(IOError) {
            try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt(SO_REUSEADDR)")
            if reusePort { try setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1, "setsockopt(SO_REUSEPORT)") }
            _ = try Syscall.blocking("bind") { address.withSockAddr { bind(fd, $0, $1) } }
            _ = try Syscall.blocking("listen") { Glibc.listen(fd, backlog) }
            return fd
        } catch {
            Syscall.close(fd)
            throw error
        }
    }

    /// SO_REUSEPORT would let a second copy of the server bind the same port and silently take
    /// half its connections. A plain bind (no SO_REUSEPORT) fails with EADDRINUSE while anyone
    /// listens there, so probe with one first and let the real sockets follow.
    static func checkPortIsFree(_ address: SocketAddress) throws(IOError) {
        let family = address.ip.family == .v4 ? AF_INET : AF_INET6
        let fd = try Syscall.blocking("socket") { socket(family, CLINUX_SOCK_STREAM | CLINUX_SOCK_CLOEXEC, 0) }
        defer { Syscall.close(fd) }
        try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt(SO_REUSEADDR)")
        _ = try Syscall.blocking("bind") { address.withSockAddr { bind(fd, $0, $1) } }
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32,
                          _ function: StaticString) throws(IOError) {
        var v = value
        _ = try Syscall.blocking(function) {
            setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Nagle off: replies are small and written whole, waiting for ACKs only adds latency.
    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        _ = setsockopt(fd, CLINUX_IPPROTO_TCP, TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// SO_LINGER {on, 0}: close(2) then sends RST and drops unsent data (used by `abort()`).
    static func setResetOnClose(_ fd: Int32) {
        var value = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size))
    }

    static func localAddress(_ fd: Int32) throws(IOError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try Syscall.blocking("getsockname") {
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
        }
        return SocketAddress(storage: storage)
    }
}
