extension HTTPRequestParser {
    /// One field line of the header section, or the empty line that ends it (RFC 9112 §5).
    mutating func parseHeaderField(_ buffer: UnsafeRawBufferPointer) -> Step {
        guard let lf = findLineFeed(buffer) else {
            if buffer.count - sectionStart > limits.maxHeaderBytes {
                return failStep(431, "header section larger than \(limits.maxHeaderBytes) bytes")
            }
            return .needMore
        }
        if lf + 1 - sectionStart > limits.maxHeaderBytes {
            return failStep(431, "header section larger than \(limits.maxHeaderBytes) bytes")
        }
        guard let end = lineEnd(buffer, lf: lf) else { return failStep(400, "header line must end with CRLF") }
        if end == position {
            position = lf + 1
            return endOfHeaderSection()
        }
        guard sectionFieldCount < limits.maxHeaderCount else {
            return failStep(431, "more than \(limits.maxHeaderCount) header fields")
        }
        guard let field = FieldLine(buffer, position..<end) else { return failStep(400, "malformed header field") }
        sectionFieldCount += 1
        if let problem = framing.inspect(buffer, field) { return failStep(400, problem) }
        fields.append((name: HTTPSyntax.string(buffer, field.name), value: HTTPSyntax.string(buffer, field.value)))
        position = lf + 1
        return .next
    }

    /// Decides the message body length (RFC 9112 §6.3) once the header section is complete.
    private mutating func endOfHeaderSection() -> Step {
        if let (status, message) = framing.validate(version: version, maxBody: limits.maxBody) {
            return failStep(status, message)
        }
        bodyStart = position
        scanFrom = position
        if framing.isChunked {
            phase = .chunkSize
            return .next
        }
        if framing.contentLength > 0 {
            phase = .fixedBody
            return .next
        }
        return .complete
    }

    /// The body delimited by Content-Length, copied once when all of it has arrived.
    mutating func parseFixedBody(_ buffer: UnsafeRawBufferPointer) -> Step {
        let length = framing.contentLength
        guard buffer.count - bodyStart >= length else {
            scanFrom = buffer.count
            return .needMore
        }
        body = Array(UnsafeRawBufferPointer(rebasing: buffer[bodyStart..<(bodyStart + length)]))
        position = bodyStart + length
        return .complete
    }
}

/// The name and value of a field line: `field-name ":" OWS field-value OWS` (RFC 9112 §5).
struct FieldLine {
    var name: Range<Int>
    var value: Range<Int>

    /// Nil for a malformed line: a line starting with whitespace (obs-fold, RFC 9112 §5.2, or
    /// whitespace before the first field, §2.2), a name that is not a token or has whitespace
    /// before the colon (§5.1), or a control character (bare CR, NUL, ...) in the value.
    init?(_ buffer: UnsafeRawBufferPointer, _ line: Range<Int>) {
        var i = line.lowerBound
        while i < line.upperBound, HTTPSyntax.isTokenChar(buffer[i]) { i += 1 }
        guard i > line.lowerBound, i < line.upperBound, buffer[i] == HTTPSyntax.colon else { return nil }
        name = line.lowerBound..<i
        value = HTTPSyntax.trimmed(buffer, i + 1, line.upperBound)
        for j in value where !HTTPSyntax.isFieldValueChar(buffer[j]) { return nil }
    }
}
