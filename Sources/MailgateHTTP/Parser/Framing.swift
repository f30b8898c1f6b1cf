/// What the header fields say about message framing and the connection: Content-Length,
/// Transfer-Encoding, Connection, Expect and Host, checked as each field line arrives.
struct Framing: Sendable {
    var sawContentLength = false
    var contentLength = 0
    var sawTransferEncoding = false
    var transferCodingCount = 0
    /// The last transfer coding seen so far is `chunked`.
    var chunkedIsLast = false
    /// `chunked` appeared before another coding (or twice).
    var chunkedNotFinal = false
    var isChunked = false
    var connectionClose = false
    var connectionKeepAlive = false
    var expectContinue = false
    var hostCount = 0

    /// Records one field; returns a message for a field that makes the request invalid (→ 400).
    mutating func inspect(_ buffer: UnsafeRawBufferPointer, _ field: FieldLine) -> String? {
        let name = UnsafeRawBufferPointer(rebasing: buffer[field.name])
        switch name.count {
        case 14 where HTTPSyntax.equalsLowercase(name, "content-length"):
            return addContentLength(buffer, field.value)
        case 17 where HTTPSyntax.equalsLowercase(name, "transfer-encoding"):
            return addTransferCodings(buffer, field.value)
        case 10 where HTTPSyntax.equalsLowercase(name, "connection"):
            _ = HTTPSyntax.forEachListElement(buffer, field.value) { option in
                let token = UnsafeRawBufferPointer(rebasing: buffer[option])
                if HTTPSyntax.equalsLowercase(token, "close") { connectionClose = true }
                if HTTPSyntax.equalsLowercase(token, "keep-alive") { connectionKeepAlive = true }
                return true
            }
        case 6 where HTTPSyntax.equalsLowercase(name, "expect"):
            // Other expectations are ignored (RFC 9110 §10.1.1 makes 417 a MAY).
            if HTTPSyntax.equalsLowercase(UnsafeRawBufferPointer(rebasing: buffer[field.value]), "100-continue") {
                expectContinue = true
            }
        case 4 where HTTPSyntax.equalsLowercase(name, "host"):
            hostCount += 1
        default:
            break
        }
        return nil
    }

    /// Content-Length = 1*DIGIT (RFC 9110 §8.6). A list or repeated field of identical values
    /// counts as one; differing values are an attack or a bug (RFC 9112 §6.3 item 5) → 400.
    private mutating func addContentLength(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> String? {
        var problem: String?
        var sawElement = false
        let ok = HTTPSyntax.forEachListElement(buffer, range) { element in
            sawElement = true
            var value = 0
            for i in element {
                let c = buffer[i]
                guard c >= 0x30, c <= 0x39 else { problem = "invalid Content-Length"; return false }
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int(c - 0x30))
                guard !o1, !o2 else { problem = "Content-Length overflows"; return false }
                value = sum
            }
            if sawContentLength, value != contentLength {
                problem = "conflicting Content-Length values"
                return false
            }
            sawContentLength = true
            contentLength = value
            return true
        }
        if !ok { return problem }
        return sawElement ? nil : "empty Content-Length"
    }

    /// Transfer-Encoding is a list of codings, possibly over several field lines (RFC 9112 §6.1).
    private mutating func addTransferCodings(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> String? {
        sawTransferEncoding = true
        var problem: String?
        _ = HTTPSyntax.forEachListElement(buffer, range) { element in
            // A coding is a token, optionally with parameters after ';'.
            var end = element.lowerBound
            while end < element.upperBound, HTTPSyntax.isTokenChar(buffer[end]) { end += 1 }
            guard end > element.lowerBound else { problem = "malformed Transfer-Encoding"; return false }
            let isChunked = HTTPSyntax.equalsLowercase(UnsafeRawBufferPointer(rebasing: buffer[element.lowerBound..<end]), "chunked")
            if chunkedIsLast { chunkedNotFinal = true }
            chunkedIsLast = isChunked
            transferCodingCount += 1
            return true
        }
        return problem
    }

    /// The body-length decision of RFC 9112 §6.3, made when the header section ends.
    /// Returns the status and message for a request that must be refused.
    mutating func validate(version: HTTPVersion, maxBody: Int) -> (Int, String)? {
        if version == .http1_1, hostCount == 0 { return (400, "missing Host header") }
        if hostCount > 1 { return (400, "more than one Host header") }
        // An HTTP/1.0 client does not wait for 100 (RFC 9110 §10.1.1: MUST ignore it).
        if version == .http1_0 { expectContinue = false }
        if sawTransferEncoding {
            // Both framings at once is the classic request-smuggling vector (§6.3 item 3).
            if sawContentLength { return (400, "both Transfer-Encoding and Content-Length") }
            // An HTTP/1.0 recipient must treat Transfer-Encoding as faulty framing (§6.1).
            if version == .http1_0 { return (400, "Transfer-Encoding in an HTTP/1.0 request") }
            // chunked not final: the length cannot be determined → 400 (§6.3 item 4).
            if !chunkedIsLast || chunkedNotFinal { return (400, "chunked must be the final transfer coding") }
            // chunked is final but other codings precede it: not understood → 501 (§6.1).
            if transferCodingCount > 1 { return (501, "only the chunked transfer coding is supported") }
            isChunked = true
            return nil
        }
        if sawContentLength, contentLength > maxBody {
            return (413, "request body larger than \(maxBody) bytes")
        }
        return nil
    }

    /// Persistence (RFC 9112 §9.3): HTTP/1.1 stays open unless `close`; HTTP/1.0 only with
    /// `keep-alive` (RFC 9112 Appendix C.2.2).
    func keepAlive(_ version: HTTPVersion) -> Bool {
        if connectionClose { return false }
        return version == .http1_1 || connectionKeepAlive
    }
}
