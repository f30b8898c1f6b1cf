import Glibc

extension SMTPSession {
    public func receive(_ bytes: [UInt8]) -> [SMTPAction] {
        bytes.withUnsafeBytes { receive($0) }
    }

    public func receive(_ bytes: UnsafeRawBufferPointer) -> [SMTPAction] {
        guard !closed, !bytes.isEmpty else { return [] }
        guard started else { return earlyInput(bytes) }
        if awaitingDelivery {
            pending.append(contentsOf: bytes)
            return []
        }
        let input = bytes.bindMemory(to: UInt8.self)
        let end = process(input, from: 0)
        if end < input.count, awaitingDelivery, !closed {
            // RFC 2920 §3.1: commands may follow the content; they wait for the delivery.
            pending.append(contentsOf: UnsafeBufferPointer(rebasing: input[end...]))
        }
        return flush()
    }

    /// Input before the greeting. RFC 5321 §3.1: the client waits for the 220; spam engines
    /// that do not are refused (Postfix postscreen's pregreet test).
    private func earlyInput(_ bytes: UnsafeRawBufferPointer) -> [SMTPAction] {
        guard configuration.rejectEarlyTalkers else {
            pending.append(contentsOf: bytes)
            return []
        }
        log("early_talker", "\(bytes.count) octets before the greeting")
        reply(.earlyTalker)
        close()
        return flush()
    }

    /// Processes the input held in `pending` (after the greeting or a delivery).
    func drainPending() {
        var input: [UInt8] = []
        swap(&input, &pending)
        let end = input.withUnsafeBufferPointer { process($0, from: pendingOffset) }
        if end < input.count, awaitingDelivery, !closed {
            pendingOffset = end
        } else {
            // Keep a small buffer for the next burst; give a big one back (idle sessions stay small).
            if input.capacity > 4096 { input = [] } else { input.removeAll(keepingCapacity: true) }
            pendingOffset = 0
        }
        swap(&input, &pending)
    }

    /// Runs the input through the current mode until it is used up, a delivery must be waited
    /// for, or the session closed. Returns the index of the first octet not consumed.
    func process(_ input: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        while i < input.count, !closed, !awaitingDelivery {
            switch mode {
            case .command: i = consumeCommandInput(input, from: i)
            case .data: i = consumeDataInput(input, from: i)
            case .chunk: i = consumeChunkInput(input, from: i)
            }
            closeIfShuttingDown()
        }
        return i
    }

    /// Frames command lines. A line split across reads is collected in `partialLine` (bounded
    /// by `maxCommandLine`); a complete line in the input is parsed where it lies.
    private func consumeCommandInput(_ input: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        let n = input.count
        guard let base = input.baseAddress,
              let found = memchr(base + i, Int32(ASCII.lf), n - i) else {
            if !discardingLongLine {
                if partialLine.count + (n - i) > configuration.maxCommandLine {
                    discardingLongLine = true
                    partialLine.removeAll(keepingCapacity: true)
                } else {
                    partialLine.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<n]))
                }
            }
            return n
        }
        let next = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
        let moreFollows = next < n
        if discardingLongLine || partialLine.count + (next - i) > configuration.maxCommandLine {
            // RFC 5321 §4.5.3.1.4 lets us refuse longer lines; the rest was discarded.
            discardingLongLine = false
            partialLine.removeAll(keepingCapacity: true)
            log("line_too_long", "command line over \(configuration.maxCommandLine) octets")
            fail(.lineTooLong)
            return next
        }
        if partialLine.isEmpty {
            executeLine(UnsafeBufferPointer(rebasing: input[i..<next]), moreFollows: moreFollows)
        } else {
            partialLine.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<next]))
            var line: [UInt8] = []
            swap(&line, &partialLine)
            line.withUnsafeBufferPointer { executeLine($0, moreFollows: moreFollows) }
            line.removeAll(keepingCapacity: true)
            swap(&line, &partialLine)
        }
        return next
    }

    /// One command line, LF included.
    private func executeLine(_ line: UnsafeBufferPointer<UInt8>, moreFollows: Bool) {
        let lf = line.count - 1
        let bareLF = lf == 0 || line[lf - 1] != ASCII.cr
        let text = UnsafeBufferPointer(rebasing: line[0..<(bareLF ? lf : lf - 1)])
        let verbEnd = text.firstIndex(of: ASCII.space) ?? text.count
        let word = UnsafeBufferPointer(rebasing: text[0..<verbEnd])

        if verbEnd < text.count, Verb.isHTTPMethod(word) {
            log("http_on_smtp", ASCII.string(word))
            close()
            return
        }
        if bareLF {
            // RFC 5321 §2.3.8: lines end in CRLF; a bare LF is how smuggling starts.
            log("bare_lf", "command line ends in bare LF")
            fail(.bareLFInCommand)
            return
        }
        let verb = Verb(word)
        if moreFollows, verb?.endsGroup == true || !(greeting?.extended == true || verb == .ehlo) {
            // RFC 2920 §3.1: only an EHLO client may pipeline, and never past DATA.
            log("pipelining_violation", "input after \(ASCII.string(word)) before the reply")
            reply(.synchronization)
            close()
            return
        }
        guard let verb else {
            fail(text.isEmpty ? .badSyntax : .notRecognized)
            return
        }
        dispatch(verb, ASCII.trimmed(UnsafeBufferPointer(rebasing: text[verbEnd...])))
    }

    /// A graceful shutdown waits for the transaction in progress; then it says 421 and closes.
    func closeIfShuttingDown() {
        guard shutdownRequested, !closed, transaction == nil, !awaitingDelivery, mode == .command else { return }
        reply(.shuttingDown(configuration.hostname))
    }
}
