import CCurl
import Glibc
import MailgateIO

/// One reusable curl easy handle and the state of the request it carries. Confined to the
/// dispatcher thread. Connections live in the multi handle's cache, so reuse survives handles.
final class CurlTransfer {
    let easy: UnsafeMutableRawPointer
    private var headers: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let maxResponseBytes: Int

    /// The response body read so far (at most maxResponseBytes).
    private(set) var response: [UInt8] = []
    /// The body went past maxResponseBytes and the transfer was cut there.
    private(set) var overflowed = false
    /// The outbound address policy of this request, and an address it refused.
    fileprivate var addressPolicy = AddressPolicy()
    fileprivate var refusedAddress: String?

    var deliveryID = ""
    var webhookID = ""
    /// Attempts of the delivery counting this one.
    var attempts = 0
    var startedAtNanoseconds: UInt64 = 0
    /// Wall-clock start of the POST (the attempt row's started_at).
    var startedAtMilliseconds: Int64 = 0

    init?(maxResponseBytes: Int) {
        guard let easy = curl_easy_init() else { return nil }
        self.easy = easy
        self.maxResponseBytes = maxResponseBytes
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(easy)
        if let headers { curl_slist_free_all(headers) }
        errorBuffer.deallocate()
    }

    /// Sets up a signed POST. Options follow WEBHOOKS.md: http/https only, no redirects, TLS
    /// verified, no signals (threads), bounded connect and total time.
    func prepare(url: String, body: [UInt8], headerLines: [String], configuration c: DispatcherConfiguration) -> Bool {
        curl_easy_reset(easy)
        if let headers { curl_slist_free_all(headers) }
        headers = nil
        for line in headerLines { headers = curl_slist_append(headers, line) }
        response.removeAll(keepingCapacity: true)
        overflowed = false
        refusedAddress = nil
        addressPolicy = c.addressPolicy
        errorBuffer[0] = 0
        let me = Unmanaged.passUnretained(self).toOpaque()
        var ok = ccurl_setopt_str(easy, CURLOPT_URL, url) == CURLE_OK
        ok = ok && ccurl_setopt_str(easy, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK
        ok = ok && ccurl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0) == CURLE_OK
        ok = ok && ccurl_setopt_long(easy, CURLOPT_NOSIGNAL, 1) == CURLE_OK
        ok = ok && ccurl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1) == CURLE_OK
        ok = ok && ccurl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2) == CURLE_OK
        ok = ok && ccurl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, c.connectTimeoutMilliseconds) == CURLE_OK
        ok = ok && ccurl_setopt_long(easy, CURLOPT_TIMEOUT_MS, c.requestTimeoutMilliseconds) == CURLE_OK
        ok = ok && ccurl_setopt_str(easy, CURLOPT_USERAGENT, c.userAgent) == CURLE_OK
        ok = ok && ccurl_setopt_long(easy, CURLOPT_POST, 1) == CURLE_OK
        ok = ok && ccurl_setopt_long(easy, CURLOPT_POSTFIELDSIZE, body.count) == CURLE_OK
        ok = ok && body.withUnsafeBytes { ccurl_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) } == CURLE_OK
        ok = ok && ccurl_setopt_ptr(easy, CURLOPT_HTTPHEADER, headers) == CURLE_OK
        ok = ok && ccurl_setopt_write(easy, curlWriteBody) == CURLE_OK
        ok = ok && ccurl_setopt_ptr(easy, CURLOPT_WRITEDATA, me) == CURLE_OK
        ok = ok && ccurl_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer) == CURLE_OK
        if !c.addressPolicy.permitsAll {
            // Through a proxy (http_proxy in the environment) the address checked would be the
            // proxy's, not the receiver's: with a policy, no proxy.
            ok = ok && ccurl_setopt_str(easy, CURLOPT_PROXY, "") == CURLE_OK
            ok = ok && ccurl_setopt_opensocket(easy, curlOpenSocket) == CURLE_OK
            ok = ok && ccurl_setopt_ptr(easy, CURLOPT_OPENSOCKETDATA, me) == CURLE_OK
        }
        return ok
    }

    /// Takes body bytes up to the cap; returning less than offered makes curl stop the transfer.
    fileprivate func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
        let room = maxResponseBytes - response.count
        if bytes.count > room {
            response.append(contentsOf: bytes.prefix(max(0, room)))
            overflowed = true
            return 0
        }
        response.append(contentsOf: bytes)
        return bytes.count
    }

    /// The outcome once curl reports the transfer done with `code`.
    func outcome(_ code: CURLcode) -> AttemptResponse {
        var status = 0
        _ = ccurl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        if status > 0, code == CURLE_OK || (code == CURLE_WRITE_ERROR && overflowed) {
            return .http(status: status, retryAfter: header("Retry-After"))
        }
        if let refused = refusedAddress {
            return .transport(code: Int32(bitPattern: code.rawValue),
                              message: "\(refused) is not permitted by the outbound address policy (MAILGATE_WEBHOOK_ALLOW / MAILGATE_WEBHOOK_DENY)")
        }
        let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        return .transport(code: Int32(bitPattern: code.rawValue), message: detail)
    }

    /// The last value of a response header (non-variadic curl_easy_header, curl >= 7.83).
    private func header(_ name: String) -> String? {
        var found: UnsafeMutablePointer<curl_header>?
        guard curl_easy_header(easy, name, 0, UInt32(CURLH_HEADER), -1, &found) == CURLHE_OK,
              let value = found?.pointee.value else { return nil }
        return String(cString: value)
    }
}

/// CURLOPT_WRITEFUNCTION: forwards body bytes to the transfer in CURLOPT_WRITEDATA.
private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                           _ user: UnsafeMutableRawPointer?) -> Int {
    guard let user else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
    return transfer.receive(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// CURLOPT_OPENSOCKETFUNCTION: the outbound address policy, on the address curl is about to
/// connect to (after DNS). A refused address gets no socket, which fails that connection;
/// curl tries the name's other addresses, if any.
private func curlOpenSocket(_ user: UnsafeMutableRawPointer?, _ purpose: curlsocktype,
                            _ address: UnsafeMutablePointer<curl_sockaddr>?) -> curl_socket_t {
    guard let user, let address else { return -1 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
    let family = address.pointee.family
    // `addr` is the start of a sockaddr_in or sockaddr_in6 (curl allocates the larger).
    let socketAddress = UnsafeMutableRawPointer(address) + MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr)!
    let peer: IPAddress
    switch family {
    case AF_INET: peer = IPAddress(v4: socketAddress.loadUnaligned(as: sockaddr_in.self).sin_addr)
    case AF_INET6: peer = IPAddress(v6: socketAddress.loadUnaligned(as: sockaddr_in6.self).sin6_addr)
    default:
        transfer.refusedAddress = "an address of family \(family)"
        return -1
    }
    guard transfer.addressPolicy.permits(peer) else {
        transfer.refusedAddress = peer.description
        return -1
    }
    return socket(family, address.pointee.socktype, address.pointee.protocol)
}
