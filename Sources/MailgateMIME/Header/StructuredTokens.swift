/// The lexical tokens of structured header fields (RFC 5322 §3.2): atoms (dots and 8-bit
/// UTF-8 octets included, which covers obs-phrase and RFC 6532), quoted strings, domain
/// literals, comments (nesting allowed) and single special characters.
struct StructuredToken {
    enum Kind: Equatable {
        case atom
        case quoted
        case domainLiteral
        case comment
        case special(UInt8)
    }

    var kind: Kind
    /// The content: for quoted strings and comments, what lies inside the delimiters (escapes not
    /// yet removed); for domain literals, the brackets included.
    var range: Range<Int>
    /// Whether whitespace or a comment came before this token.
    var spaceBefore: Bool
}

enum StructuredTokens {
    static func isSpecial(_ c: UInt8) -> Bool {
        switch c {
        case ASCII.lparen, ASCII.rparen, ASCII.lt, ASCII.gt, UInt8(ascii: "["), UInt8(ascii: "]"),
             ASCII.colon, ASCII.semicolon, ASCII.at, ASCII.backslash, ASCII.comma, ASCII.quote:
            return true
        default:
            return false
        }
    }

    /// Tokenizes `b`; unterminated quoted strings, comments and literals run to the end.
    static func tokenize(_ b: UnsafeBufferPointer<UInt8>, limit: Int = 100_000) -> [StructuredToken] {
        var tokens = [StructuredToken]()
        let n = b.count
        var i = 0
        var space = false
        while i < n && tokens.count < limit {
            let c = b[i]
            if ASCII.isSpace(c) { space = true; i += 1; continue }
            switch c {
            case ASCII.quote:
                let end = closing(b, from: i + 1, close: ASCII.quote, open: nil)
                tokens.append(StructuredToken(kind: .quoted, range: i + 1..<min(end, n), spaceBefore: space))
                i = end + 1
            case ASCII.lparen:
                let end = closing(b, from: i + 1, close: ASCII.rparen, open: ASCII.lparen)
                tokens.append(StructuredToken(kind: .comment, range: i + 1..<min(end, n), spaceBefore: space))
                i = end + 1
                space = true
                continue
            case UInt8(ascii: "["):
                let end = closing(b, from: i + 1, close: UInt8(ascii: "]"), open: nil)
                tokens.append(StructuredToken(kind: .domainLiteral, range: i..<min(end + 1, n), spaceBefore: space))
                i = end + 1
            case _ where isSpecial(c):
                tokens.append(StructuredToken(kind: .special(c), range: i..<i + 1, spaceBefore: space))
                i += 1
            default:
                let start = i
                while i < n, !ASCII.isSpace(b[i]), !isSpecial(b[i]) { i += 1 }
                tokens.append(StructuredToken(kind: .atom, range: start..<i, spaceBefore: space))
            }
            space = false
        }
        return tokens
    }

    /// The index of the delimiter that closes a quoted string, comment or literal opened before
    /// `from`, honouring quoted-pairs (and nesting when `open` is given); `b.count` if none.
    private static func closing(_ b: UnsafeBufferPointer<UInt8>, from: Int, close: UInt8, open: UInt8?) -> Int {
        var depth = 0
        var i = from
        while i < b.count {
            let c = b[i]
            if c == ASCII.backslash { i += 2; continue }
            if let open, c == open { depth += 1 } else if c == close {
                if depth == 0 { return i }
                depth -= 1
            }
            i += 1
        }
        return b.count
    }

    /// The content of a quoted string or comment with quoted-pairs (§3.2.1) resolved.
    static func unescaped(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: inout [UInt8]) {
        var i = range.lowerBound
        while i < range.upperBound {
            if b[i] == ASCII.backslash, i + 1 < range.upperBound { i += 1 }
            out.append(b[i])
            i += 1
        }
    }
}
