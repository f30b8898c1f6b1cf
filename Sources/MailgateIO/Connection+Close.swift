import CLinux
import Glibc

extension Connection {
    /// Graceful close: flush buffered output, send FIN (shutdown SHUT_WR), discard input until
    /// the peer's FIN, then close the fd. Closing without waiting for the peer's FIN would send
    /// RST if unread input arrived, and the peer's stack may then drop our last reply. The whole
    /// sequence is bounded by `closeTimeoutMilliseconds`, after which the connection is aborted.
    public func close() {
        assert(loop.inEventLoop, "Connection.close must be called on its loop thread")
        guard state == .open else { return }
        beginClose()
    }

    /// Immediate close with RST; buffered output is dropped.
    public func abort() {
        assert(loop.inEventLoop, "Connection.abort must be called on its loop thread")
        guard state != .closed else { return }
        Socket.setResetOnClose(fd)
        finishClose(.aborted)
    }

    func beginClose() {
        state = .closing
        closeTimer = loop.schedule(after: listener.limits.closeTimeoutMilliseconds) { [self] in
            closeTimer = nil
            guard state != .closed else { return }
            Socket.setResetOnClose(fd)
            finishClose(.timedOut)
        }
        if output.isEmpty { shutDownOutput() } else { updateInterest() }
    }

    /// All output is out: send FIN, then wait for the peer's.
    func shutDownOutput() {
        if inputEnded || shutdown(fd, CLINUX_SHUT_WR) != 0 {
            finishClose(inputEnded ? .peerClosed : .closedLocally)
            return
        }
        state = .lingering
        updateInterest()
    }

    /// Releases everything at once and queues `connectionDidClose` for the loop to deliver.
    func finishClose(_ reason: CloseReason) {
        guard state != .closed else { return }
        state = .closed
        recordCloseReason(reason)
        closeTimer?.cancel()
        closeTimer = nil
        output = WriteBuffer()
        loop.deregister(fd: fd)
        Syscall.close(fd)
        listener.limiter.release(remote.ip)
        loop.openConnections.subtract(1, ordering: .relaxed)
        loop.closedConnections.append(self)
    }
}
