/// One SMTP reply (RFC 5321 §4.2): a three-digit code, then text. Multi-line replies carry
/// their inner CRLFs in `text`; the final CRLF is added when written.
struct Reply: Sendable, Equatable {
    let text: String

    init(_ text: String) { self.text = text }

    /// 4yz and 5yz are failures (RFC 5321 §4.2.1); they count towards the error limit.
    var isFailure: Bool {
        guard let first = text.utf8.first else { return false }
        return first == UInt8(ascii: "4") || first == UInt8(ascii: "5")
    }

    func write(to out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
        out.append(ASCII.cr)
        out.append(ASCII.lf)
    }
}
