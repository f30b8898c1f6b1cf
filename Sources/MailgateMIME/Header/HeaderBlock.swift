/// One header field as found in the input: where its name and its raw (still folded) value lie.
struct HeaderField {
    var name: Range<Int>
    /// From just after the colon to the end of the last continuation line, line break excluded.
    var value: Range<Int>
}

/// Splits a header section into fields (RFC 5322 §2.2, §3.6; RFC 2045 §3 for body parts).
enum HeaderBlock {
    /// Scans the fields of the header section that starts at `range.lowerBound` and returns where
    /// the body starts. A blank line ends the section (RFC 5322 §2.1); so does the first line that
    /// is neither a field nor a continuation, which then begins the body, as Python's email
    /// package and most readers treat a missing separator, so no text is dropped. LF alone is
    /// accepted as a line break; WSP before the colon is the obsolete form of §4.5 and accepted.
    static func scan(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, maxFields: Int,
                     into fields: inout [HeaderField]) -> Int {
        var pos = range.lowerBound
        let end = range.upperBound
        var first = true
        var kept = 0
        var current = false  // whether a continuation line extends the last kept field
        while pos < end {
            let (contentEnd, next) = Scan.line(in: b, from: pos, to: end)
            if contentEnd == pos { return next }  // the blank line
            if ASCII.isWSP(b[pos]) {
                // Folded continuation (§2.2.3); before any field it is noise and skipped.
                if current { fields[fields.count - 1].value = fields[fields.count - 1].value.lowerBound..<contentEnd }
                pos = next
                continue
            }
            guard let nameEnd = fieldNameEnd(b, from: pos, to: contentEnd) else {
                // An mbox "From " separator line before the first field is skipped.
                if first && contentEnd - pos >= 5 && ASCII.equalsLower(b, pos..<pos + 5, "from ") {
                    pos = next
                    first = false
                    continue
                }
                return pos
            }
            first = false
            var colon = nameEnd
            while b[colon] != ASCII.colon { colon += 1 }
            if kept < maxFields {
                fields.append(HeaderField(name: pos..<nameEnd, value: colon + 1..<contentEnd))
                kept += 1
                current = true
            } else {
                current = false
            }
            pos = next
        }
        return end
    }

    /// The end of a field name (ftext, RFC 5322 §3.6.8) followed by optional WSP and a colon, or nil.
    private static func fieldNameEnd(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = from
        while i < to, b[i] >= 33, b[i] <= 126, b[i] != ASCII.colon { i += 1 }
        let nameEnd = i
        guard nameEnd > from else { return nil }
        while i < to, ASCII.isWSP(b[i]) { i += 1 }
        return i < to && b[i] == ASCII.colon ? nameEnd : nil
    }
}
