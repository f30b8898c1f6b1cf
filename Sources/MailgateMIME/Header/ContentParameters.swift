/// A Content-Type or Content-Disposition value (RFC 2045 §5.1, RFC 2183 §2): the lower-cased
/// leading token ("text/plain", "attachment") and its parameters, with RFC 2231 continuations,
/// charsets and percent-encoding resolved.
struct ContentHeader {
    /// The token before the first ";", lower-cased, comments and whitespace removed.
    var value: String
    fileprivate var params: [Parameter] = []

    struct Parameter {
        var name: String  // lower-cased attribute without the RFC 2231 suffixes
        var section: Int?
        var extended: Bool
        var raw: [UInt8]
    }

    static let maxParameters = 64

    init(_ bytes: [UInt8]) {
        let (value, params) = bytes.withBytes { ContentHeader.split($0) }
        self.value = value
        self.params = params
    }

    init() { value = "" }

    /// The parameter's value as text, or nil. RFC 2231 forms win over a plain one of the same
    /// name; plain values are RFC 2047 decoded too, as mailers put encoded words in filenames.
    func parameter(_ name: String) -> String? {
        var pieces = params.filter { $0.name == name && ($0.section != nil || $0.extended) }
        if pieces.isEmpty {
            guard let plain = params.first(where: { $0.name == name }) else { return nil }
            return EncodedWords.decode(plain.raw)
        }
        // RFC 2231 §3: sections in numeric order; §4: only an extended first section names a charset.
        pieces.sort { ($0.section ?? 0) < ($1.section ?? 0) }
        var octets = [UInt8]()
        var charset: Charset? = nil
        for (k, p) in pieces.enumerated() {
            guard p.extended else { octets.append(contentsOf: p.raw); continue }
            var raw = p.raw[...]
            if k == 0 {
                // charset'language'value: both quotes must be there for a charset to be named.
                if let q1 = raw.firstIndex(of: UInt8(ascii: "'")), let q2 = raw[(q1 + 1)...].firstIndex(of: UInt8(ascii: "'")) {
                    charset = Array(raw[raw.startIndex..<q1]).withBytes { Charset.named($0) }
                    raw = raw[(q2 + 1)...]
                }
            }
            Self.percentDecode(raw, into: &octets)
        }
        return octets.withBytes { CharsetDecoding.string($0, charset: charset) }
    }

    /// "%XX" → octet; a "%" without two hex digits is kept.
    static func percentDecode(_ s: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == UInt8(ascii: "%"), i + 2 < s.endIndex, let hi = ASCII.hexValue(s[i + 1]), let lo = ASCII.hexValue(s[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(s[i])
                i += 1
            }
        }
    }

    private static func split(_ b: UnsafeBufferPointer<UInt8>) -> (String, [Parameter]) {
        let n = b.count
        var i = 0
        var value = [UInt8]()
        var depth = 0
        while i < n, depth > 0 || b[i] != ASCII.semicolon {
            let c = b[i]
            if c == ASCII.lparen { depth += 1 } else if c == ASCII.rparen { depth = max(0, depth - 1) } else if depth == 0, !ASCII.isSpace(c) {
                value.append(ASCII.lower(c))
            }
            i += 1
        }
        var params = [Parameter]()
        while i < n, params.count < maxParameters {
            while i < n, b[i] == ASCII.semicolon || ASCII.isSpace(b[i]) { i += 1 }
            let nameStart = i
            while i < n, b[i] != ASCII.equals, b[i] != ASCII.semicolon { i += 1 }
            let nameRange = ASCII.trimmed(b, nameStart..<i)
            guard i < n, b[i] == ASCII.equals else { continue }  // no "=": not a parameter
            i += 1
            while i < n, ASCII.isWSP(b[i]) { i += 1 }
            var raw = [UInt8]()
            if i < n, b[i] == ASCII.quote {
                i += 1
                while i < n, b[i] != ASCII.quote {
                    if b[i] == ASCII.backslash, i + 1 < n { i += 1 }
                    raw.append(b[i])
                    i += 1
                }
                i += 1
                while i < n, b[i] != ASCII.semicolon { i += 1 }  // junk after the quoted string
            } else {
                // A token; tolerate unquoted spaces by taking everything up to ";".
                let start = i
                while i < n, b[i] != ASCII.semicolon { i += 1 }
                raw.append(contentsOf: UnsafeBufferPointer(rebasing: b[ASCII.trimmed(b, start..<i)]))
            }
            if let p = parameter(b, nameRange, raw) { params.append(p) }
        }
        return (String(decoding: value, as: UTF8.self), params)
    }

    /// Splits "name", "name*", "name*2" and "name*2*" (RFC 2231 §3-4).
    private static func parameter(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ raw: [UInt8]) -> Parameter? {
        guard !r.isEmpty else { return nil }
        var end = r.upperBound
        var extended = false
        var section: Int? = nil
        if b[end - 1] == UInt8(ascii: "*") { extended = true; end -= 1 }
        if let star = Scan.index(of: UInt8(ascii: "*"), in: b, from: r.lowerBound, to: end) {
            var v = 0
            var digits = 0
            for k in (star + 1)..<end {
                guard let d = ASCII.hexValue(b[k]), b[k] <= 0x39, digits < 4 else { return nil }
                v = v * 10 + Int(d)
                digits += 1
            }
            guard digits > 0 else { return nil }
            section = v
            end = star
        }
        guard end > r.lowerBound else { return nil }
        return Parameter(name: ASCII.lowerString(UnsafeBufferPointer(rebasing: b[r.lowerBound..<end])),
                         section: section, extended: extended, raw: raw)
    }
}

extension ContentHeader {
    /// The parameter's octets as written (quotes removed, no decoding): for boundary and charset.
    func rawParameter(_ name: String) -> [UInt8]? {
        params.first { $0.name == name && $0.section == nil && !$0.extended }?.raw
            ?? params.first { $0.name == name && ($0.section ?? 0) == 0 }?.raw
    }
}
