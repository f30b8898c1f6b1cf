extension SMTPSession {
    // MARK: BDAT (RFC 3030 §2)

    /// `BDAT chunk-size [SP "LAST"]`. A refusal after a valid size is deferred until the chunk
    /// has been read: the octets must never be taken for commands.
    func checkBdat(_ args: UnsafeBufferPointer<UInt8>) -> Verdict<Chunk> {
        var i = 0
        var size = 0
        while i < args.count, ASCII.isDigit(args[i]) {
            let (times, o1) = size.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int(args[i] - 48))
            guard !o1, !o2 else { return .reply(.bdatSyntax) }
            size = sum
            i += 1
        }
        guard i > 0 else { return .reply(.bdatSyntax) }
        var last = false
        if i < args.count {
            let rest = ASCII.trimmed(UnsafeBufferPointer(rebasing: args[i...]))
            guard args[i] == ASCII.space || args[i] == ASCII.tab,
                  ASCII.equalsIgnoringCase(rest, "last") else { return .reply(.bdatSyntax) }
            last = true
        }
        return .proceed(Chunk(size: size, remaining: size, last: last, failure: checkContentStart(bdat: true)))
    }

    func proceedBdat(_ announced: Chunk) {
        chunk = announced
        if chunk.failure == nil, var t = transaction {
            if !t.usedBDAT {
                t.usedBDAT = true
                transaction = t
                beginMessage()
            }
            // The chunk size is known up front: refuse at once what cannot fit.
            if chunk.size > configuration.maxMessageSize - message.contentSize {
                message.reject(.tooBig)
            }
        }
        mode = .chunk
        if chunk.remaining == 0 { endOfChunk() }
    }

    /// Takes exactly the announced octets. RFC 3030 §2: no dot-stuffing, no line-ending rules;
    /// only the mail-loop count looks inside.
    func consumeChunkInput(_ input: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        let take = min(chunk.remaining, input.count - i)
        if chunk.failure == nil, take > 0, let base = input.baseAddress {
            message.append(base + i, count: take)
            if message.inHeaderSection { message.scanHeaders() }
        }
        chunk.remaining -= take
        if chunk.remaining == 0 { endOfChunk() }
        return i + take
    }

    private func endOfChunk() {
        mode = .command
        if let failure = chunk.failure {
            fail(failure)
            return
        }
        if chunk.last {
            endOfMessage()
        } else if message.rejection == .tooBig, let t = transaction {
            // RFC 3030 §2: a 5yz reply to a chunk fails the transaction; the client must not
            // send more chunks, so the transaction ends here.
            messageCount += 1
            refuseMessage(.tooBig, t)
        } else {
            reply(.octetsReceived(chunk.size))
        }
    }
}
