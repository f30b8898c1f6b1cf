import CLinux
import Glibc
@testable import MailgateIO

/// A plain blocking POSIX client with receive/send timeouts, so no test can hang.
final class TestClient {
    private(set) var fd: Int32

    struct Failure: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        var description: String { "\(call): errno \(code)" }
    }

    /// - Parameters:
    ///   - source: local IP to bind before connecting (e.g. 127.0.0.2 for the per-IP limit).
    ///   - bufferSize: SO_RCVBUF/SO_SNDBUF, set before connect, to make backpressure reachable.
    init(port: Int, host: String = "127.0.0.1", source: String? = nil,
         timeoutSeconds: Int = 10, bufferSize: Int32? = nil) throws {
        let address = try SocketAddress(parsing: host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
        fd = socket(address.ip.family == .v4 ? AF_INET : AF_INET6, CLINUX_SOCK_STREAM | CLINUX_SOCK_CLOEXEC, 0)
        guard fd >= 0 else { throw Failure(call: "socket", code: errno) }
        setTimeouts(receiveSeconds: timeoutSeconds, sendSeconds: timeoutSeconds)
        if let bufferSize {
            var size = bufferSize
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, 4)
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, 4)
        }
        if let source {
            let local = try SocketAddress(parsing: "\(source):0")
            guard local.withSockAddr({ bind(fd, $0, $1) }) == 0 else {
                let code = errno
                Glibc.close(fd)
                throw Failure(call: "bind", code: code)
            }
        }
        guard address.withSockAddr({ connect(fd, $0, $1) }) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Failure(call: "connect", code: code)
        }
    }

    deinit { close() }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    func setTimeouts(receiveSeconds: Int, sendSeconds: Int) {
        var receive = timeval(tv_sec: receiveSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &receive, socklen_t(MemoryLayout<timeval>.size))
        var send = timeval(tv_sec: sendSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends until done or the send timeout passes; returns the bytes sent.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Int {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, CLINUX_MSG_NOSIGNAL)
            }
            if n > 0 { sent += n } else if n < 0 && errno == EINTR { continue } else { break }
        }
        return sent
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    /// Reads until `count` bytes, EOF, an error or the receive timeout.
    func receive(count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while result.count < count {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, count - result.count), 0) }
            if n > 0 { result.append(contentsOf: chunk[0..<n]) } else if n < 0 && errno == EINTR { continue } else { break }
        }
        return result
    }

    func receiveString(count: Int) -> String {
        String(decoding: receive(count: count), as: UTF8.self)
    }

    /// How the peer ended the stream after `bytes`: 0 for EOF, else the errno (ECONNRESET),
    /// or EAGAIN if the receive timeout passed with the connection still open.
    func receiveUntilEnd() -> (bytes: [UInt8], end: Int32) {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { result.append(contentsOf: chunk[0..<n]); continue }
            if n == 0 { return (result, 0) }
            if errno == EINTR { continue }
            return (result, errno)
        }
    }

    /// Closes with RST (SO_LINGER 0).
    func reset() {
        var value = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size))
        close()
    }
}

/// Repeating byte pattern (period 251) so reordering or loss shows up in comparisons.
/// Built by copying whole periods: per-byte loops are slow in debug builds.
func pattern(_ count: Int, offset: Int = 0) -> [UInt8] {
    let period = (0..<251).map { UInt8($0) }
    let cycle = period + period
    var result: [UInt8] = []
    result.reserveCapacity(count + 251)
    let start = offset % 251
    result.append(contentsOf: cycle[start..<start + 251])
    while result.count < count { result.append(contentsOf: result[0..<min(result.count, count - result.count)]) }
    result.removeLast(result.count - count)
    return result
}

/// memcmp equality: Array == compares element by element through generics in debug builds.
func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    if a.isEmpty { return true }
    return a.withUnsafeBytes { x in b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 } }
}
