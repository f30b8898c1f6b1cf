/// msg-id lists of Message-ID, In-Reply-To and References (RFC 5322 §3.6.4, obsolete §4.5.4).
enum MessageIDs {
    /// Every "<...>" in the value, brackets kept and inner whitespace removed; obsolete phrases
    /// and comments between them are ignored. A value without brackets yields its first word,
    /// so a sloppy `Message-ID: abc@x` is still reported.
    static func parse(_ bytes: [UInt8], limit: Int = 1000) -> [String] {
        bytes.withBytes { b in
            var ids = [String]()
            var i = 0
            let n = b.count
            var depth = 0
            while i < n && ids.count < limit {
                let c = b[i]
                if c == ASCII.lparen { depth += 1 } else if c == ASCII.rparen { depth = max(0, depth - 1) } else if depth == 0, c == ASCII.lt {
                    var id: [UInt8] = [ASCII.lt]
                    var j = i + 1
                    while j < n, b[j] != ASCII.gt, b[j] != ASCII.lt {
                        if !ASCII.isSpace(b[j]) { id.append(b[j]) }
                        j += 1
                    }
                    if j < n, b[j] == ASCII.gt {
                        id.append(ASCII.gt)
                        if id.count > 2 { ids.append(String(decoding: id, as: UTF8.self)) }
                        i = j + 1
                        continue
                    }
                }
                i += 1
            }
            if ids.isEmpty {
                let r = ASCII.trimmed(b, 0..<n)
                var end = r.lowerBound
                while end < r.upperBound, !ASCII.isSpace(b[end]), b[end] != ASCII.lparen { end += 1 }
                if end > r.lowerBound { ids.append(String(decoding: UnsafeBufferPointer(rebasing: b[r.lowerBound..<end]), as: UTF8.self)) }
            }
            return ids
        }
    }
}
