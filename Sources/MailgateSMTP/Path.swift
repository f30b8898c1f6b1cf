/// A reverse-path or forward-path of MAIL FROM / RCPT TO (RFC 5321 §4.1.2), with the
/// UTF-8 extensions of RFC 6531 §3.3.
enum Path: Equatable {
    /// `<>`, the null reverse-path of bounces (RFC 5321 §4.5.5).
    case null
    /// `local@domain` as the client wrote it; a source route (`@a,@b:`) is dropped (§C).
    case mailbox(String, nonASCII: Bool)
    /// `<Postmaster>` without a domain, which every server must accept (§4.1.1.3).
    case postmaster(String)
}

/// Parses a path at the start of an argument. Accepts what RFC 5321 accepts, plus what Postfix
/// tolerates by default: no angle brackets around the mailbox, `_` in domain labels and
/// dots anywhere in an unquoted local part.
struct PathParser {
    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0
    private var nonASCII = false

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { b = bytes }

    /// The path and the index just after it, or nil when it is not a valid path.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (path: Path, end: Int)? {
        var parser = PathParser(bytes)
        return parser.path()
    }

    private func peek() -> UInt8? { i < b.count ? b[i] : nil }

    /// A path is followed by the end of the argument or by a space before parameters.
    private func endsHere() -> Bool { i == b.count || b[i] == ASCII.space || b[i] == ASCII.tab }

    private mutating func path() -> (Path, Int)? {
        guard let first = peek() else { return nil }
        if first != ASCII.lessThan {
            // Tolerated form without brackets: the mailbox runs to the next space.
            guard let box = mailbox(), endsHere() else { return nil }
            return (box, i)
        }
        i += 1
        if peek() == ASCII.greaterThan {
            i += 1
            return endsHere() ? (.null, i) : nil
        }
        if postmasterAhead() {
            let text = ASCII.string(UnsafeBufferPointer(rebasing: b[i..<i + 10]))
            i += 11
            return endsHere() ? (.postmaster(text), i) : nil
        }
        if peek() == ASCII.at {
            guard sourceRoute() else { return nil }
        }
        guard let box = mailbox(), peek() == ASCII.greaterThan else { return nil }
        i += 1
        return endsHere() ? (box, i) : nil
    }

    /// `Postmaster>` (any case) right at the cursor.
    private func postmasterAhead() -> Bool {
        guard b.count - i >= 11, b[i + 10] == ASCII.greaterThan else { return false }
        return ASCII.equalsIgnoringCase(UnsafeBufferPointer(rebasing: b[i..<i + 10]), "postmaster")
    }

    /// A-d-l ":" (RFC 5321 §4.1.2): source routes are parsed and ignored (§C, §3.6.1).
    private mutating func sourceRoute() -> Bool {
        while true {
            guard peek() == ASCII.at else { return false }
            i += 1
            guard domain() else { return false }
            if peek() == ASCII.comma { i += 1; continue }
            guard peek() == ASCII.colon else { return false }
            i += 1
            return true
        }
    }

    /// Mailbox = Local-part "@" ( Domain / address-literal ).
    private mutating func mailbox() -> Path? {
        let start = i
        guard localPart(), peek() == ASCII.at else { return nil }
        i += 1
        if peek() == ASCII.openBracket {
            guard addressLiteral() else { return nil }
        } else {
            guard domain() else { return nil }
        }
        let bytes = UnsafeBufferPointer(rebasing: b[start..<i])
        if nonASCII {
            // RFC 6531 §3.3: the extension allows UTF-8, not arbitrary octets.
            guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
            return .mailbox(text, nonASCII: true)
        }
        return .mailbox(ASCII.string(bytes), nonASCII: false)
    }

    private mutating func localPart() -> Bool {
        if peek() == ASCII.quote { return quotedString() }
        let start = i
        while let c = peek(), c == ASCII.dot || isAtext(c) {
            if c >= 0x80 { nonASCII = true }
            i += 1
        }
        return i > start
    }

    /// Quoted-string = DQUOTE *QcontentSMTP DQUOTE; qtextSMTP is %d32-33 / %d35-91 / %d93-126.
    private mutating func quotedString() -> Bool {
        i += 1
        while let c = peek() {
            i += 1
            switch c {
            case ASCII.quote:
                return true
            case ASCII.backslash:
                // quoted-pairSMTP = %d92 %d32-126
                guard let q = peek(), q >= 32, q <= 126 else { return false }
                i += 1
            case 32...126:
                break
            case 0x80...:
                nonASCII = true
            default:
                return false
            }
        }
        return false
    }

    /// Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str].
    private mutating func domain() -> Bool {
        while true {
            let start = i
            while let c = peek(), isLabelOctet(c) {
                if c >= 0x80 { nonASCII = true }
                i += 1
            }
            guard i > start, b[start] != ASCII.hyphen, b[i - 1] != ASCII.hyphen else { return false }
            guard peek() == ASCII.dot else { return true }
            i += 1
        }
    }

    /// address-literal = "[" ( IPv4 / "IPv6:" IPv6 / tag ":" dcontent ) "]" (§4.1.3).
    private mutating func addressLiteral() -> Bool {
        i += 1
        let start = i
        while let c = peek(), c != ASCII.closeBracket {
            // dcontent = %d33-90 / %d94-126
            guard c >= 33, c <= 126, c != ASCII.openBracket, c != ASCII.backslash else { return false }
            i += 1
        }
        guard peek() == ASCII.closeBracket else { return false }
        let content = UnsafeBufferPointer(rebasing: b[start..<i])
        i += 1
        return AddressLiteral.isValid(content)
    }

    /// atext of RFC 5322 §3.2.3 plus UTF8-non-ascii (RFC 6531 §3.3).
    private func isAtext(_ c: UInt8) -> Bool {
        if ASCII.isAlpha(c) || ASCII.isDigit(c) || c >= 0x80 { return true }
        switch c {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"),
             UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
             UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private func isLabelOctet(_ c: UInt8) -> Bool {
        ASCII.isAlpha(c) || ASCII.isDigit(c) || c == ASCII.hyphen || c == ASCII.underscore || c >= 0x80
    }
}

/// The inside of an address literal (RFC 5321 §4.1.3).
enum AddressLiteral {
    static func isValid(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = s.first else { return false }
        if ASCII.isDigit(first) { return isIPv4(s) }
        guard let colon = s.firstIndex(of: ASCII.colon), colon > 0, colon + 1 < s.count else { return false }
        let tag = UnsafeBufferPointer(rebasing: s[0..<colon])
        let value = UnsafeBufferPointer(rebasing: s[(colon + 1)...])
        if ASCII.equalsIgnoringCase(tag, "ipv6") { return isIPv6(value) }
        // General-address-literal: Standardized-tag is an Ldh-str.
        return tag.allSatisfy { ASCII.isAlpha($0) || ASCII.isDigit($0) || $0 == ASCII.hyphen }
    }

    /// IPv4-address-literal = Snum 3("." Snum), Snum 0-255.
    static func isIPv4(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var parts = 0
        var value = 0
        var digits = 0
        for c in s {
            if ASCII.isDigit(c) {
                value = value * 10 + Int(c - 48)
                digits += 1
                if digits > 3 || value > 255 { return false }
            } else if c == ASCII.dot, digits > 0 {
                parts += 1
                value = 0
                digits = 0
            } else {
                return false
            }
        }
        return parts == 3 && digits > 0
    }

    /// IPv6 forms of §4.1.3, checked loosely: hex groups, colons, an optional IPv4 tail.
    static func isIPv6(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var colons = 0
        for c in s {
            if c == ASCII.colon { colons += 1; continue }
            guard ASCII.isHexDigit(c) || c == ASCII.dot else { return false }
        }
        return colons >= 2 && colons <= 7
    }
}
