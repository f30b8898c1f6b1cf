import Glibc

/// The result of a non-blocking call: done, or the kernel would have had to wait.
enum IOResult<T> {
    case processed(T)
    case wouldBlock
}

/// The one place that turns `-1 + errno` into values: EINTR is retried, EAGAIN/EWOULDBLOCK
/// becomes `.wouldBlock`, anything else an `IOError` naming the call.
enum Syscall {
    @inline(__always)
    static func nonBlocking<T: FixedWidthInteger & SignedInteger>(
        _ function: StaticString, _ body: () -> T
    ) throws(IOError) -> IOResult<T> {
        while true {
            let result = body()
            if result != -1 { return .processed(result) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            throw IOError(errnoCode: code, function: function)
        }
    }

    /// For calls where EAGAIN is a real failure (socket, bind, listen, epoll_ctl, ...).
    @inline(__always)
    static func blocking<T: FixedWidthInteger & SignedInteger>(
        _ function: StaticString, _ body: () -> T
    ) throws(IOError) -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            throw IOError(errnoCode: code, function: function)
        }
    }

    /// close(2) is never retried: on Linux the descriptor is released even when EINTR is reported.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }
}
