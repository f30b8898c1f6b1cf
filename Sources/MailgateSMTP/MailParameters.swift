/// The ESMTP parameters of MAIL FROM (RFC 5321 §4.1.2 Mail-parameters) that we implement:
/// SIZE (RFC 1870), BODY (RFC 6152, RFC 3030) and SMTPUTF8 (RFC 6531).
struct MailParameters: Equatable {
    /// The declared size; `Int.max` when the digits overflow.
    var size: Int?
    /// "7BIT", "8BITMIME" or "BINARYMIME".
    var body: String?
    var smtpUTF8 = false

    /// Parses the parameters that follow the reverse-path.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Verdict<MailParameters> {
        var result = MailParameters()
        for param in ESMTPParameter.split(bytes) {
            guard let param else { return .reply(.badParameterSyntax) }
            if ASCII.equalsIgnoringCase(param.keyword, "size") {
                guard let value = param.value, let size = parseSize(value) else { return .reply(.badSizeSyntax) }
                result.size = size
            } else if ASCII.equalsIgnoringCase(param.keyword, "body") {
                guard let value = param.value, let body = parseBody(value) else { return .reply(.badBody) }
                result.body = body
            } else if ASCII.equalsIgnoringCase(param.keyword, "smtputf8") {
                guard param.value == nil else { return .reply(.badSMTPUTF8) }
                result.smtpUTF8 = true
            } else {
                return .reply(.unsupportedOption(ASCII.string(param.text)))
            }
        }
        return .proceed(result)
    }

    /// size-value = 1*20DIGIT (RFC 1870 §3).
    private static func parseSize(_ v: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !v.isEmpty, v.count <= 20 else { return nil }
        var n = 0
        for c in v {
            guard ASCII.isDigit(c) else { return nil }
            let (times, o1) = n.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int(c - 48))
            if o1 || o2 { n = Int.max } else { n = sum }
        }
        return n
    }

    private static func parseBody(_ v: UnsafeBufferPointer<UInt8>) -> String? {
        if ASCII.equalsIgnoringCase(v, "7bit") { return "7BIT" }
        if ASCII.equalsIgnoringCase(v, "8bitmime") { return "8BITMIME" }
        if ASCII.equalsIgnoringCase(v, "binarymime") { return "BINARYMIME" }
        return nil
    }
}

/// One `esmtp-keyword ["=" esmtp-value]` (RFC 5321 §4.1.2).
struct ESMTPParameter {
    var text: UnsafeBufferPointer<UInt8>
    var keyword: UnsafeBufferPointer<UInt8>
    var value: UnsafeBufferPointer<UInt8>?

    /// The space-separated parameters; nil elements are malformed ones.
    static func split(_ bytes: UnsafeBufferPointer<UInt8>) -> [ESMTPParameter?] {
        var out: [ESMTPParameter?] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == ASCII.space || bytes[i] == ASCII.tab { i += 1; continue }
            let start = i
            while i < bytes.count, bytes[i] != ASCII.space, bytes[i] != ASCII.tab { i += 1 }
            out.append(parse(UnsafeBufferPointer(rebasing: bytes[start..<i])))
        }
        return out
    }

    private static func parse(_ token: UnsafeBufferPointer<UInt8>) -> ESMTPParameter? {
        let eq = token.firstIndex(of: ASCII.equals) ?? token.count
        let keyword = UnsafeBufferPointer(rebasing: token[0..<eq])
        // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
        guard let first = keyword.first, ASCII.isAlpha(first) || ASCII.isDigit(first),
              keyword.allSatisfy({ ASCII.isAlpha($0) || ASCII.isDigit($0) || $0 == ASCII.hyphen })
        else { return nil }
        guard eq < token.count else { return ESMTPParameter(text: token, keyword: keyword, value: nil) }
        let value = UnsafeBufferPointer(rebasing: token[(eq + 1)...])
        // esmtp-value = 1*(%d33-60 / %d62-126), plus UTF-8 (RFC 6531 §3.3)
        guard !value.isEmpty, value.allSatisfy({ ($0 >= 33 && $0 != ASCII.equals && $0 != 127) }) else { return nil }
        return ESMTPParameter(text: token, keyword: keyword, value: value)
    }
}

/// The outcome of a command's check step: go on with a parsed value, or answer with a reply.
enum Verdict<Value> {
    case proceed(Value)
    case reply(Reply)
}
