import MailgateCore

extension SMTPSession {
    // MARK: DATA (RFC 5321 §4.1.1.4)

    func checkData(_ args: UnsafeBufferPointer<UInt8>) -> Verdict<Void> {
        guard args.isEmpty else { return .reply(.dataSyntax) }
        if let refusal = checkContentStart(bdat: false) { return .reply(refusal) }
        return .proceed(())
    }

    func proceedData(_: Void) {
        beginMessage()
        dataReader = DataReader(policy: configuration.bareLineEndings, maxTextLine: configuration.maxTextLine)
        mode = .data
        reply(.startMailInput)
    }

    func consumeDataInput(_ input: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        let (end, finished) = dataReader.consume(input, from: i, into: &message)
        if finished { endOfMessage() }
        return end
    }

    /// Whether content may start now; shared by DATA and BDAT (Postfix's wording and order).
    func checkContentStart(bdat: Bool) -> Reply? {
        guard let t = transaction else { return .needRcpt }
        if t.recipients.isEmpty { return .noValidRecipients }
        if bdat { return nil }
        if t.usedBDAT { return .dataAfterBDAT }
        // RFC 3030 §3: BINARYMIME content can only travel in BDAT chunks.
        if t.parameters.body == "BINARYMIME" { return .binaryMIMENeedsBDAT }
        return nil
    }

    /// The "with" protocol of the Received line and the envelope (RFC 3848; RFC 6531 §4.3:
    /// UTF8SMTP when the transaction declared SMTPUTF8, as Postfix writes it). STARTTLS and AUTH
    /// will add their S and A suffixes.
    static func protocolName(extended: Bool, _ t: Transaction) -> String {
        if t.parameters.smtpUTF8 { return "UTF8SMTP" }
        return extended ? "ESMTP" : "SMTP"
    }

    /// Chooses the queue id and time, reserves the buffer and writes the trace headers first.
    func beginMessage() {
        guard var t = transaction, let greeting else { return }
        t.id = makeID()
        t.receivedAt = now()
        transaction = t
        let trace = TraceHeaders(
            mailFrom: t.mailFrom, helo: greeting.name, peerAddress: peer.address,
            hostname: configuration.hostname, transport: Self.protocolName(extended: greeting.extended, t),
            id: t.id, singleRecipient: t.recipients.count == 1 ? t.recipients[0] : nil,
            date: Timestamp.rfc5322(seconds: t.receivedAt / 1000))
        // RFC 1870: SIZE is the client's estimate; it saves regrowth copies, capped at the limit.
        let expected = min(t.parameters.size ?? 4096, configuration.maxMessageSize)
        message.begin(capacity: trace.capacity + expected, limit: configuration.maxMessageSize,
                      maxReceived: configuration.maxReceivedHeaders) { trace.write(to: &$0) }
    }

    /// The content is complete (DATA terminator or BDAT LAST): refuse it, or hand it over for
    /// storage; the final reply waits for `deliveryCompleted` (ARCHITECTURE.md: 250 means committed).
    func endOfMessage() {
        mode = .command
        messageCount += 1
        guard let t = transaction, let greeting else { return }
        if let rejection = message.rejection {
            refuseMessage(rejection, t)
            return
        }
        let envelope = Envelope(
            mailFrom: t.mailFrom, rcptTo: t.recipients, helo: greeting.name,
            remoteAddress: peer.address, remotePort: peer.port,
            transport: Self.protocolName(extended: greeting.extended, t), tls: nil,
            body: t.parameters.body, smtpUTF8: t.parameters.smtpUTF8)
        let received = ReceivedMessage(id: t.id, receivedAt: t.receivedAt, envelope: envelope, data: message.take())
        transaction = nil
        deliveringID = t.id
        awaitingDelivery = true
        events.append(.deliver(received))
    }

    func refuseMessage(_ rejection: ContentRejection, _ t: Transaction) {
        log(rejection.logReason, "id \(t.id), \(message.contentSize) octets")
        resetTransaction()
        fail(rejection.reply)
    }
}
