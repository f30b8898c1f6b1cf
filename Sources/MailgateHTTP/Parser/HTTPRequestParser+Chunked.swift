extension HTTPRequestParser {
    /// chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1); extensions are checked for control
    /// characters and otherwise ignored (§7.1.1).
    mutating func parseChunkSize(_ buffer: UnsafeRawBufferPointer) -> Step {
        guard let lf = findLineFeed(buffer) else {
            if buffer.count - position > limits.maxChunkLine + 1 { return failStep(400, "chunk size line too long") }
            return .needMore
        }
        guard let end = lineEnd(buffer, lf: lf) else { return failStep(400, "chunk size line must end with CRLF") }
        if end - position > limits.maxChunkLine { return failStep(400, "chunk size line too long") }

        var i = position
        var size = 0
        while i < end, let v = HTTPSyntax.hexValue(buffer[i]) {
            guard size <= (Int.max - v) >> 4 else { return failStep(400, "chunk size overflows") }
            size = size << 4 | v
            i += 1
        }
        guard i > position else { return failStep(400, "invalid chunk size") }
        // Only BWS and a chunk-ext may follow the size.
        while i < end, HTTPSyntax.isWhitespace(buffer[i]) { i += 1 }
        if i < end {
            guard buffer[i] == HTTPSyntax.semicolon else { return failStep(400, "invalid chunk size") }
            for j in i..<end where !HTTPSyntax.isFieldValueChar(buffer[j]) {
                return failStep(400, "invalid chunk extension")
            }
        }
        position = lf + 1
        scanFrom = position
        if size == 0 {
            sectionStart = position
            sectionFieldCount = 0
            phase = .trailerFields
            return .next
        }
        guard size <= limits.maxBody - body.count else {
            return failStep(413, "request body larger than \(limits.maxBody) bytes")
        }
        if body.isEmpty { body.reserveCapacity(size) }
        chunkRemaining = size
        phase = .chunkData
        return .next
    }

    /// chunk-data: appended to the body as it arrives, so no byte is copied twice.
    mutating func parseChunkData(_ buffer: UnsafeRawBufferPointer) -> Step {
        let available = min(buffer.count - position, chunkRemaining)
        if available > 0 {
            body.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[position..<(position + available)]))
            position += available
            chunkRemaining -= available
        }
        scanFrom = position
        guard chunkRemaining == 0 else { return .needMore }
        phase = .chunkDataEnd
        return .next
    }

    /// The CRLF after chunk-data; anything else means the size lied → 400.
    mutating func parseChunkDataEnd(_ buffer: UnsafeRawBufferPointer) -> Step {
        let available = buffer.count - position
        if available >= 1, buffer[position] != HTTPSyntax.cr { return failStep(400, "missing CRLF after chunk data") }
        if available >= 2, buffer[position + 1] != HTTPSyntax.lf { return failStep(400, "missing CRLF after chunk data") }
        guard available >= 2 else { return .needMore }
        position += 2
        scanFrom = position
        phase = .chunkSize
        return .next
    }

    /// trailer-section CRLF (RFC 9112 §7.1.2): fields are checked like header fields, under the
    /// same limits, and dropped (nothing here needs them).
    mutating func parseTrailerField(_ buffer: UnsafeRawBufferPointer) -> Step {
        guard let lf = findLineFeed(buffer) else {
            if buffer.count - sectionStart > limits.maxHeaderBytes { return failStep(431, "trailer section too large") }
            return .needMore
        }
        if lf + 1 - sectionStart > limits.maxHeaderBytes { return failStep(431, "trailer section too large") }
        guard let end = lineEnd(buffer, lf: lf) else { return failStep(400, "trailer line must end with CRLF") }
        let lineStart = position
        position = lf + 1
        if end == lineStart { return .complete }
        guard sectionFieldCount < limits.maxHeaderCount else { return failStep(431, "too many trailer fields") }
        guard FieldLine(buffer, lineStart..<end) != nil else { return failStep(400, "malformed trailer field") }
        sectionFieldCount += 1
        return .next
    }
}
