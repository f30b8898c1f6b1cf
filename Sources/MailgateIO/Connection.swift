import CLinux
import Glibc

/// An accepted TCP connection, owned by one event loop. Use it only on `loop`'s thread (hop
/// there with `connection.loop.execute { ... }`); the Sendable conformance exists so that hop
/// can capture it. Kept small: no input buffer (the loop's is shared) and no output buffer
/// until a write comes up short.
public final class Connection: @unchecked Sendable {
    enum State: UInt8 {
        case open       // reading and writing
        case closing    // close() called: flushing buffered output, input ignored
        case lingering  // output flushed and FIN sent: discarding input until the peer's FIN
        case closed
    }

    /// Why the connection ended, for logs.
    public enum CloseReason: Sendable, Equatable {
        case open          // not closed yet
        case closedLocally // close() completed
        case peerClosed    // the peer's FIN
        case aborted       // abort() or group shutdown
        case timedOut      // close() did not finish within closeTimeoutMilliseconds
        case error(errno: Int32)
    }

    public let loop: EventLoop
    let fd: Int32
    let registrationID: UInt32
    var state = State.open
    var interest: UInt32 = CLINUX_EPOLLIN
    var pausedByHandler = false
    var pausedByBackpressure = false
    var inputEnded = false
    public private(set) var closeReason = CloseReason.open
    let listener: Listener
    var output = WriteBuffer()
    var closeTimer: TimerHandle?
    /// The peer's address; `remote.ip` is the key of the per-IP limit.
    public let remote: SocketAddress
    /// Unique per process: loop index in the top byte, a per-loop counter below.
    public let id: UInt64
    /// Receives this connection's events. Set by the listener's `makeHandler`; cleared after
    /// `connectionDidClose` to break handler <-> connection cycles.
    public var handler: (any ConnectionHandler)?

    init(fd: Int32, loop: EventLoop, listener: Listener, remote: SocketAddress) {
        self.fd = fd
        self.loop = loop
        self.listener = listener
        self.remote = remote
        self.registrationID = loop.makeRegistrationID()
        loop.nextConnectionNumber &+= 1
        self.id = UInt64(loop.index) << 56 | loop.nextConnectionNumber
    }

    public var remoteAddress: String { remote.ip.description }
    public var remotePort: Int { remote.port }
    public var localPort: Int { Int(listener.localPort) }
    /// True until close()/abort() was called or the connection failed.
    public var isOpen: Bool { state == .open }
    /// Bytes written by the handler that the kernel has not taken yet.
    public var pendingWriteCount: Int { output.count }
    /// True while the loop is not reading this connection (paused by the handler or by backpressure).
    public var isReadingPaused: Bool { !wantsInput }

    /// Stop delivering input (e.g. while a message is being committed); the kernel buffers it
    /// and eventually the peer's sends block.
    public func pauseReading() {
        assert(loop.inEventLoop, "Connection.pauseReading must be called on its loop thread")
        pausedByHandler = true
        updateInterest()
    }

    public func resumeReading() {
        assert(loop.inEventLoop, "Connection.resumeReading must be called on its loop thread")
        pausedByHandler = false
        updateInterest()
    }

    /// True when the peer has sent bytes the loop has not read yet: a non-blocking
    /// recv(MSG_PEEK) of one byte. For SMTP pre-greeting detection (RFC 5321 §3.1, "the client
    /// waits for the greeting"): pause reading in `connectionDidOpen`, schedule the greeting
    /// after a short delay, and call this just before sending it; true means the client spoke
    /// first. Then `resumeReading()` as usual.
    public func hasPendingInput() -> Bool {
        guard state != .closed else { return false }
        var byte: UInt8 = 0
        let result = recv(fd, &byte, 1, CLINUX_MSG_PEEK | CLINUX_MSG_DONTWAIT)
        return result > 0
    }

    var wantsInput: Bool {
        switch state {
        case .open: return !pausedByHandler && !pausedByBackpressure && !inputEnded
        case .lingering: return !inputEnded
        case .closing, .closed: return false
        }
    }

    /// Re-arms epoll only when the wanted mask changed: EPOLLIN while input is wanted,
    /// EPOLLOUT only while output is buffered (Redis ae.c style).
    func updateInterest() {
        guard state != .closed else { return }
        var wanted: UInt32 = wantsInput ? CLINUX_EPOLLIN : 0
        if !output.isEmpty { wanted |= CLINUX_EPOLLOUT }
        guard wanted != interest else { return }
        do {
            try loop.modify(fd: fd, id: registrationID, mask: wanted)
            interest = wanted
        } catch {
            fail(error)
        }
    }

    /// Called by the loop for this connection's epoll events.
    func handleEvents(_ events: UInt32) {
        if events & CLINUX_EPOLLOUT != 0 { flushOutput() }
        if events & CLINUX_EPOLLIN != 0 && wantsInput {
            readInput()
        } else if events & (CLINUX_EPOLLERR | CLINUX_EPOLLHUP) != 0 && state != .closed {
            // Not reading, yet the socket failed or both directions are shut: nothing more can
            // be exchanged, and level-triggered epoll would report it again forever.
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
            finishClose(code != 0 ? .error(errno: code) : .peerClosed)
        }
    }

    /// One read per readiness event into the loop's buffer (fair to other connections;
    /// level-triggered epoll reports the rest next time).
    private func readInput() {
        let buffer = loop.readBuffer
        let result: IOResult<Int>
        do {
            result = try Syscall.nonBlocking("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
        } catch {
            fail(error)
            return
        }
        guard case .processed(let count) = result else { return }
        if count == 0 {
            peerClosedInput()
        } else if state == .open {
            handler?.connection(self, didRead: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// The peer's FIN. Output still buffered is flushed first (the peer may only have
    /// half-closed); otherwise the connection is done.
    private func peerClosedInput() {
        inputEnded = true
        if state == .open, handler?.connectionInputDidEnd(self) == true {
            // The handler still owes replies and closes later; stop asking for input.
            updateInterest()
            return
        }
        if output.isEmpty || state == .lingering {
            finishClose(state == .lingering ? .closedLocally : .peerClosed)
        } else {
            if state == .open { beginClose() }
            updateInterest()
        }
    }

    func fail(_ error: IOError) {
        finishClose(.error(errno: error.errnoCode))
    }

    /// Reports the close to the handler; called by the loop between events.
    func notifyClosed() {
        handler?.connectionDidClose(self)
        handler = nil
    }

    func recordCloseReason(_ reason: CloseReason) { closeReason = reason }
}
