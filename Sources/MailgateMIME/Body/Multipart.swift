/// Splitting a multipart body at its boundary delimiters (RFC 2046 §5.1.1).
enum Multipart {
    /// The body parts between the delimiter lines "--boundary" of `body`. The line break before a
    /// delimiter belongs to the delimiter, so it is not part of the preceding part. Text before
    /// the first delimiter (preamble) and after the close delimiter "--boundary--" (epilogue)
    /// is ignored. A missing close delimiter is tolerated: the last part runs to the end.
    /// Only WSP may follow a boundary on its line (§5.1.1 transport padding).
    static func parts(_ b: UnsafeBufferPointer<UInt8>, _ body: Range<Int>, boundary: [UInt8], limit: Int) -> [Range<Int>] {
        var parts = [Range<Int>]()
        guard !boundary.isEmpty else { return parts }
        var pos = body.lowerBound
        let end = body.upperBound
        var partStart: Int? = nil
        while pos < end {
            let (contentEnd, next) = Scan.line(in: b, from: pos, to: end)
            if let kind = delimiter(b, pos..<contentEnd, boundary) {
                if let start = partStart {
                    // Drop the CRLF (or LF) that precedes this delimiter line.
                    var partEnd = pos
                    if partEnd > start, b[partEnd - 1] == ASCII.lf { partEnd -= 1 }
                    if partEnd > start, b[partEnd - 1] == ASCII.cr { partEnd -= 1 }
                    parts.append(start..<partEnd)
                    if parts.count >= limit { return parts }
                }
                if kind == .close { return parts }
                partStart = next
            }
            pos = next
        }
        if let start = partStart { parts.append(start..<end) }
        return parts
    }

    enum Delimiter { case open, close }

    @inline(__always)
    private static func delimiter(_ b: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, _ boundary: [UInt8]) -> Delimiter? {
        let need = boundary.count + 2
        guard line.count >= need, b[line.lowerBound] == ASCII.dash, b[line.lowerBound + 1] == ASCII.dash else { return nil }
        var i = line.lowerBound + 2
        for c in boundary {
            if b[i] != c { return nil }
            i += 1
        }
        var kind = Delimiter.open
        if i + 1 < line.upperBound, b[i] == ASCII.dash, b[i + 1] == ASCII.dash {
            kind = .close
            i += 2
        }
        while i < line.upperBound {
            if !ASCII.isWSP(b[i]) { return nil }
            i += 1
        }
        return kind
    }
}
