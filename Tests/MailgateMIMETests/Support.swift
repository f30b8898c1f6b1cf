@testable import MailgateMIME

/// A message written with "\n" line ends, sent with CRLF as SMTP delivers it.
func crlf(_ s: String) -> [UInt8] {
    var out = [UInt8]()
    for c in s.utf8 {
        if c == 0x0A { out.append(0x0D) }
        out.append(c)
    }
    return out
}

func parse(_ s: String, limits: MIMELimits = .init()) -> ParsedMessage {
    MIMEParser.parse(crlf(s), limits: limits)
}

/// Concatenates ASCII text and raw octets, for messages with 8-bit bodies in other charsets.
func bytes(_ parts: Any...) -> [UInt8] {
    var out = [UInt8]()
    for p in parts {
        if let s = p as? String { out += crlf(s) } else if let b = p as? [UInt8] { out += b } else if let i = p as? [Int] { out += i.map { UInt8(truncatingIfNeeded: $0) } }
    }
    return out
}

func addr(_ name: String, _ address: String) -> MailAddress { MailAddress(name: name, address: address) }

/// Header decoding on its own: unfold + RFC 2047.
func decodeHeader(_ s: String) -> String {
    let b = Array(s.utf8)
    return b.withUnsafeBufferPointer { EncodedWords.decode(Unfolding.value($0, 0..<$0.count)) }
}

func addresses(_ s: String) -> [MailAddress] {
    let b = Array(s.utf8)
    return b.withUnsafeBufferPointer { AddressList.parse(Unfolding.value($0, 0..<$0.count)) }
}

func date(_ s: String) -> String? { DateTime.rfc3339(Array(s.utf8)) }

func decodeCharset(_ b: [UInt8], _ name: String) -> String {
    b.withUnsafeBufferPointer { CharsetDecoding.string($0, charset: Charset.named(name)) }
}
