import Glibc

/// `mailgate health`: asks a running gateway's `/readyz` over plain HTTP/1.1, so the container
/// image needs no curl for its HEALTHCHECK. Returns the status code, or nil when unreachable.
public enum HealthCheck {
    public static func probe(host: String, port: Int, path: String = "/readyz", timeoutSeconds: Int = 5) -> Int? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else { return nil }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return nil }
        var response = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1024)
        while response.count < 4096 {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response.append(contentsOf: chunk[0..<n])
            if response.count >= 12 { break }
        }
        // "HTTP/1.1 200 ..." -> the three digits after the first space.
        guard response.count >= 12, response.starts(with: Array("HTTP/1.".utf8)) else { return nil }
        return Int(String(decoding: response[9..<12], as: UTF8.self))
    }
}
