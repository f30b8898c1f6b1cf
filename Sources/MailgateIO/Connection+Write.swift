import CLinux
import Glibc

extension Connection {
    /// Writes at once (Redis style); only what the kernel does not take is buffered, and
    /// EPOLLOUT is armed only while bytes remain. Ignored once `close()`/`abort()` was called.
    /// A partially written array is kept without copying.
    public func write(_ bytes: [UInt8]) {
        assert(loop.inEventLoop, "Connection.write must be called on its loop thread")
        guard state == .open, !bytes.isEmpty else { return }
        if output.isEmpty {
            guard let written = bytes.withUnsafeBytes({ sendNow($0) }) else { return }
            if written == bytes.count { return }
            output.adopt(bytes, from: written)
        } else {
            output.append(bytes)
        }
        didBuffer()
    }

    /// Same as `write(_: [UInt8])`; the unwritten tail is copied, so `buffer` need not outlive the call.
    public func write(_ buffer: UnsafeRawBufferPointer) {
        assert(loop.inEventLoop, "Connection.write must be called on its loop thread")
        guard state == .open, buffer.count > 0 else { return }
        if output.isEmpty {
            guard let written = sendNow(buffer) else { return }
            if written == buffer.count { return }
            output.append(UnsafeRawBufferPointer(rebasing: buffer[written...]))
        } else {
            output.append(buffer)
        }
        didBuffer()
    }

    /// One send(2); the written count, or nil when the connection failed (it is then closed).
    private func sendNow(_ buffer: UnsafeRawBufferPointer) -> Int? {
        do {
            let result = try Syscall.nonBlocking("send") {
                send(fd, buffer.baseAddress, buffer.count, CLINUX_MSG_NOSIGNAL)
            }
            if case .processed(let written) = result { return written }
            return 0
        } catch {
            fail(error)
            return nil
        }
    }

    /// Backpressure: past the high-water mark stop reading, so a peer that does not read our
    /// replies cannot make us buffer without bound.
    private func didBuffer() {
        if output.count > listener.limits.writeHighWaterMark { pausedByBackpressure = true }
        updateInterest()
    }

    /// EPOLLOUT: send what is buffered.
    func flushOutput() {
        guard !output.isEmpty, state == .open || state == .closing else { return }
        let result: IOResult<Int>
        do {
            result = try Syscall.nonBlocking("send") {
                output.withReadableBytes { send(fd, $0.baseAddress, $0.count, CLINUX_MSG_NOSIGNAL) }
            }
        } catch {
            fail(error)
            return
        }
        guard case .processed(let written) = result else { return }
        output.consume(written)
        if pausedByBackpressure && output.count <= listener.limits.writeLowWaterMark {
            pausedByBackpressure = false
        }
        updateInterest()
        guard output.isEmpty else { return }
        if state == .closing {
            shutDownOutput()
        } else if state == .open {
            handler?.connectionDidDrain(self)
        }
    }
}
