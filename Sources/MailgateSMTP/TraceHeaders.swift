/// The trace fields prepended to every stored message (RFC 5321 §4.4, RFC 5322 §3.6.7),
/// folded the way Postfix folds its Received line.
///
///     Return-Path: <sender@example.org>
///     Received: from client.example.org ([192.0.2.1])
///     	by mx.example.com (Mailgate) with ESMTP id 01J...
///     	for <rcpt@example.com>; Sat, 28 Nov 2026 12:00:00 +0000
struct TraceHeaders {
    var mailFrom: String
    var helo: String
    var peerAddress: String
    var hostname: String
    /// "SMTP", "ESMTP" (RFC 3848) or "UTF8SMTP" (RFC 6531 §4.3).
    var transport: String
    var id: String
    /// The one recipient for the FOR clause; nil with several (it would disclose the others).
    var singleRecipient: String?
    var date: String

    /// An upper bound of the octets `write` appends.
    var capacity: Int {
        96 + mailFrom.utf8.count + helo.utf8.count + peerAddress.utf8.count + hostname.utf8.count
            + transport.utf8.count + id.utf8.count + (singleRecipient?.utf8.count ?? 0) + date.utf8.count
    }

    func write(to out: inout [UInt8]) {
        out.append(contentsOf: "Return-Path: <".utf8)
        out.append(contentsOf: mailFrom.utf8)
        out.append(contentsOf: ">\r\nReceived: from ".utf8)
        // The HELO name is the client's text: keep control octets out of the header.
        for c in helo.utf8 { out.append(c < 0x20 || c == 0x7F ? UInt8(ascii: "?") : c) }
        out.append(contentsOf: " ([".utf8)
        out.append(contentsOf: peerAddress.utf8)
        out.append(contentsOf: "])\r\n\tby ".utf8)
        out.append(contentsOf: hostname.utf8)
        out.append(contentsOf: " (Mailgate) with ".utf8)
        out.append(contentsOf: transport.utf8)
        out.append(contentsOf: " id ".utf8)
        out.append(contentsOf: id.utf8)
        if let rcpt = singleRecipient {
            out.append(contentsOf: "\r\n\tfor <".utf8)
            out.append(contentsOf: rcpt.utf8)
            out.append(contentsOf: ">; ".utf8)
        } else {
            out.append(contentsOf: ";\r\n\t".utf8)
        }
        out.append(contentsOf: date.utf8)
        out.append(ASCII.cr)
        out.append(ASCII.lf)
    }
}
