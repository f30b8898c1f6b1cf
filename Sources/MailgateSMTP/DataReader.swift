/// Reads DATA content (RFC 5321 §4.1.1.4) into a `MessageBuffer`, one input slice at a time.
///
/// Only `CRLF . CRLF` ends the content, where the first CRLF is a real one (the DATA command's
/// own CRLF counts for an empty message). A line that starts after a bare LF can never hold
/// the terminator, and a CR that is not followed by LF is never a line end, so none of the
/// smuggling sequences (`LF.LF`, `CR.CRLF`, `CRLF.CRCRLF`, `CRLF NUL.CRLF`, ...) end DATA.
///
/// Bare CR, bare LF and NUL follow the `BareLineEndingPolicy`. A leading dot is removed from
/// every line that starts with one (§4.5.2), so the stored content is the content as sent.
struct DataReader {
    private enum State {
        /// At the start of a line.
        case lineStart
        /// A leading dot was read (and dropped).
        case leadingDot
        /// A leading dot and a CR: an LF next completes the terminator.
        case leadingDotCR
        /// Inside a line.
        case text
        /// Inside a line after a CR, waiting to see whether an LF follows.
        case textCR
    }

    private var state = State.lineStart
    /// Whether the current line began after a real CRLF, so it may hold the terminator.
    private var afterCRLF = true
    private var lineLength = 0

    let policy: BareLineEndingPolicy
    let maxTextLine: Int

    init(policy: BareLineEndingPolicy, maxTextLine: Int) {
        self.policy = policy
        self.maxTextLine = maxTextLine
    }

    /// Consumes `input[from...]` until the terminator. Returns the index after the last octet
    /// consumed and whether the terminator was reached.
    mutating func consume(_ input: UnsafeBufferPointer<UInt8>, from: Int,
                          into message: inout MessageBuffer) -> (end: Int, finished: Bool) {
        guard let base = input.baseAddress else { return (from, false) }
        let n = input.count
        var i = from
        while i < n {
            switch state {
            case .text:
                // The hot loop: most octets are ordinary text.
                let spanStart = i
                while i < n {
                    let c = base[i]
                    if c == ASCII.cr || c == ASCII.lf || c == ASCII.nul { break }
                    i += 1
                }
                if i > spanStart {
                    message.append(base + spanStart, count: i - spanStart)
                    addToLine(i - spanStart, &message)
                }
                if i == n { break }
                let c = base[i]
                i += 1
                if c == ASCII.cr {
                    state = .textCR
                } else if c == ASCII.lf {
                    bareLF(&message)
                } else {
                    nul(&message)
                }
            case .textCR:
                if base[i] == ASCII.lf {
                    i += 1
                    message.appendCRLF()
                    endLine(afterCRLF: true, &message)
                } else {
                    bareCR(&message)
                }
            case .lineStart:
                if base[i] == ASCII.dot {
                    i += 1
                    lineLength = 1
                    state = .leadingDot
                } else {
                    state = .text
                }
            case .leadingDot:
                if base[i] == ASCII.cr {
                    i += 1
                    state = .leadingDotCR
                } else {
                    state = .text
                }
            case .leadingDotCR:
                if base[i] == ASCII.lf {
                    i += 1
                    if afterCRLF {
                        state = .lineStart
                        return (i, true)
                    }
                    // "." after a bare LF: an ordinary (unstuffed) line.
                    message.appendCRLF()
                    endLine(afterCRLF: true, &message)
                } else {
                    bareCR(&message)
                }
            }
        }
        return (i, false)
    }

    @inline(__always)
    private mutating func addToLine(_ count: Int, _ message: inout MessageBuffer) {
        lineLength += count
        if lineLength > maxTextLine { message.reject(.lineTooLong) }
    }

    private mutating func endLine(afterCRLF: Bool, _ message: inout MessageBuffer) {
        state = .lineStart
        self.afterCRLF = afterCRLF
        lineLength = 0
        if message.inHeaderSection { message.scanHeaders() }
    }

    /// An LF without CR before it. It ends the line either way, but the next line can never
    /// carry the terminator.
    private mutating func bareLF(_ message: inout MessageBuffer) {
        switch policy {
        case .reject: message.reject(.bareLineEnding)
        case .normalize: message.appendCRLF()
        }
        endLine(afterCRLF: false, &message)
    }

    /// A CR whose next octet (not consumed here) is not LF: it is text, never a line end.
    private mutating func bareCR(_ message: inout MessageBuffer) {
        switch policy {
        case .reject: message.reject(.bareLineEnding)
        case .normalize: message.append(ASCII.cr)
        }
        state = .text
        addToLine(1, &message)
    }

    /// NUL is not allowed in 7bit or 8bit data (RFC 6152 §3, RFC 2045 §2.7, §2.8); only BDAT
    /// with BODY=BINARYMIME may carry it.
    private mutating func nul(_ message: inout MessageBuffer) {
        switch policy {
        case .reject: message.reject(.nul)
        case .normalize: message.append(ASCII.nul)
        }
        addToLine(1, &message)
    }
}
