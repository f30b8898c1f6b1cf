/// RFC 2047 encoded words: `=?charset?B|Q?text?=`, decoded to UTF-8.
enum EncodedWords {
    /// Decodes a header value that is already valid UTF-8 (see `Unfolding.value`). Encoded words
    /// are recognised wherever they stand (readers are tolerant in practice, RFC 2047 §6.1 only
    /// demands they be separated by whitespace); whitespace between two adjacent encoded words is
    /// dropped (§6.2); the octets of adjacent words in the same charset are joined before
    /// conversion, so a multi-byte character split across two words still decodes.
    static func decode(_ b: UnsafeBufferPointer<UInt8>) -> String {
        // Most values hold no encoded word: one copy, straight into the String.
        guard findStart(b, 0) != nil else { return String(decoding: b, as: UTF8.self) }
        return String(decoding: decodeBytes(b), as: UTF8.self)
    }

    static func decode(_ bytes: [UInt8]) -> String {
        bytes.withBytes { decode($0) }
    }

    static func decodeBytes(_ b: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let n = b.count
        // Fast path: no "=?" at all.
        guard let first = findStart(b, 0) else { return Array(b) }
        var out = [UInt8]()
        out.reserveCapacity(n)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[0..<first]))
        var pending = [UInt8]()
        var pendingCharset: Charset? = nil
        var havePending = false
        var gapStart = -1  // start of the text after the last encoded word, while only WSP
        var i = first
        while i < n {
            if b[i] == ASCII.equals, i + 1 < n, b[i + 1] == ASCII.question, let word = parse(b, at: i) {
                if havePending && pendingCharset == word.charset {
                    append(word, b, to: &pending)
                } else {
                    if havePending { CharsetDecoding.append(pending, charset: pendingCharset, to: &out) }
                    pending.removeAll(keepingCapacity: true)
                    append(word, b, to: &pending)
                    pendingCharset = word.charset
                    havePending = true
                }
                i = word.end
                gapStart = i
                continue
            }
            if gapStart >= 0 {
                if ASCII.isWSP(b[i]) { i += 1; continue }
                // Ordinary text follows: the pending words and the whitespace are emitted.
                CharsetDecoding.append(pending, charset: pendingCharset, to: &out)
                havePending = false
                pending.removeAll(keepingCapacity: true)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[gapStart..<i]))
                gapStart = -1
            }
            out.append(b[i])
            i += 1
        }
        if havePending { CharsetDecoding.append(pending, charset: pendingCharset, to: &out) }
        if gapStart >= 0 { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[gapStart..<n])) }
        return out
    }

    private static func findStart(_ b: UnsafeBufferPointer<UInt8>, _ from: Int) -> Int? {
        var i = from
        while let eq = Scan.index(of: ASCII.equals, in: b, from: i, to: b.count) {
            if eq + 1 < b.count && b[eq + 1] == ASCII.question { return eq }
            i = eq + 1
        }
        return nil
    }

    struct Word {
        var charset: Charset?
        var isBase64: Bool
        var text: Range<Int>
        var end: Int
    }

    /// Parses the encoded word at `start` ("=?"), or nil when the bytes there are not one.
    /// Neither part may hold "?" or whitespace (RFC 2047 §2), which also keeps this scan short.
    static func parse(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Word? {
        let n = b.count
        var i = start + 2
        let charsetStart = i
        while i < n, b[i] != ASCII.question, !ASCII.isSpace(b[i]), i - charsetStart < 64 { i += 1 }
        guard i < n, b[i] == ASCII.question, i > charsetStart, i + 2 < n, b[i + 2] == ASCII.question else { return nil }
        let charsetRange = charsetStart..<i
        let enc = ASCII.lower(b[i + 1])
        guard enc == UInt8(ascii: "b") || enc == UInt8(ascii: "q") else { return nil }
        let textStart = i + 3
        var j = textStart
        while j < n, b[j] != ASCII.question, !ASCII.isSpace(b[j]) { j += 1 }
        guard j + 1 < n, b[j] == ASCII.question, b[j + 1] == ASCII.equals else { return nil }
        let charset = Charset.named(UnsafeBufferPointer(rebasing: b[charsetRange]))
        return Word(charset: charset, isBase64: enc == UInt8(ascii: "b"), text: textStart..<j, end: j + 2)
    }

    /// Appends the octets an encoded word stands for: "B" is base64 (tolerant), "Q" is §4.2's
    /// quoted-printable variant where "_" is a space and a bad "=" escape is kept literally.
    private static func append(_ word: Word, _ b: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let text = UnsafeBufferPointer(rebasing: b[word.text])
        if word.isBase64 {
            out.append(contentsOf: TransferDecoding.base64(text))
            return
        }
        var i = 0
        while i < text.count {
            let c = text[i]
            if c == UInt8(ascii: "_") {
                out.append(ASCII.sp)
            } else if c == ASCII.equals, i + 2 < text.count, let hi = ASCII.hexValue(text[i + 1]), let lo = ASCII.hexValue(text[i + 2]) {
                out.append(hi << 4 | lo)
                i += 2
            } else {
                out.append(c)
            }
            i += 1
        }
    }
}

extension CharsetDecoding {
    static func append(_ bytes: [UInt8], charset: Charset?, to out: inout [UInt8]) {
        bytes.withBytes { append($0, charset: charset, to: &out) }
    }
}
