extension SMTPSession {
    struct MailFrom {
        var reversePath: String
        var parameters: MailParameters
    }

    // MARK: MAIL FROM (RFC 5321 §4.1.1.2)

    func checkMail(_ args: UnsafeBufferPointer<UInt8>) -> Verdict<MailFrom> {
        guard greeting != nil else { return .reply(.sendHeloFirst) }
        if let t = transaction { return .reply(t.usedBDAT ? .mailAfterBDAT : .nestedMail) }
        guard messageCount < configuration.maxMessagesPerConnection else {
            log("too_many_messages", "\(messageCount) messages in one connection")
            return .reply(.tooManyMessages(configuration.hostname))
        }
        guard ASCII.hasPrefixIgnoringCase(args, "from:") else { return .reply(.mailSyntax) }
        // Postfix tolerates spaces after the colon; so do we.
        let rest = ASCII.trimmed(UnsafeBufferPointer(rebasing: args[5...]))
        guard let (path, end) = PathParser.parse(rest) else { return .reply(.badSender) }
        let parameters: MailParameters
        switch MailParameters.parse(UnsafeBufferPointer(rebasing: rest[end...])) {
        case .proceed(let p): parameters = p
        case .reply(let r): return .reply(r)
        }
        let reversePath: String
        switch path {
        case .null:
            reversePath = ""
        case .postmaster:
            return .reply(.badSender)
        case .mailbox(let box, let nonASCII):
            // RFC 6531 §3.4: a UTF-8 address needs the SMTPUTF8 parameter.
            if nonASCII, !parameters.smtpUTF8 { return .reply(.unicodeAddress) }
            reversePath = box
        }
        // RFC 1870 §6.2: refuse a declared size over the limit before any content is sent.
        if let size = parameters.size, size > configuration.maxMessageSize {
            log("message_too_big", "declared SIZE=\(size)")
            return .reply(.sizeExceedsLimit)
        }
        return .proceed(MailFrom(reversePath: reversePath, parameters: parameters))
    }

    func proceedMail(_ mail: MailFrom) {
        transaction = Transaction(mailFrom: mail.reversePath, parameters: mail.parameters)
        reply(.senderOk)
    }

    // MARK: RCPT TO (RFC 5321 §4.1.1.3)

    func checkRcpt(_ args: UnsafeBufferPointer<UInt8>) -> Verdict<String> {
        guard let t = transaction else { return .reply(.needMail) }
        guard !t.usedBDAT else { return .reply(.rcptAfterBDAT) }
        guard ASCII.hasPrefixIgnoringCase(args, "to:") else { return .reply(.rcptSyntax) }
        let rest = ASCII.trimmed(UnsafeBufferPointer(rebasing: args[3...]))
        guard let (path, end) = PathParser.parse(rest) else { return .reply(.badRecipient) }
        // We offer no RCPT parameters (no DSN).
        if let first = ESMTPParameter.split(UnsafeBufferPointer(rebasing: rest[end...])).first {
            guard let first else { return .reply(.badParameterSyntax) }
            return .reply(.unsupportedOption(ASCII.string(first.text)))
        }
        let forwardPath: String
        switch path {
        case .null:
            return .reply(.badRecipient)
        case .postmaster(let name):
            forwardPath = name
        case .mailbox(let box, let nonASCII):
            if nonASCII, !t.parameters.smtpUTF8 { return .reply(.unicodeAddress) }
            forwardPath = box
        }
        // §4.5.3.1.8: 452 for each recipient over the limit; the accepted ones stay.
        guard t.recipients.count < configuration.maxRecipients else {
            log("too_many_recipients", forwardPath)
            return .reply(.tooManyRecipients)
        }
        // §4.1.1.3: Postmaster (without domain) is always accepted.
        if case .mailbox = path, !configuration.acceptPolicy.accepts(mailbox: forwardPath) {
            log("recipient_rejected", forwardPath)
            return .reply(.recipientRejected(forwardPath))
        }
        return .proceed(forwardPath)
    }

    func proceedRcpt(_ forwardPath: String) {
        transaction?.recipients.append(forwardPath)
        reply(.recipientOk)
    }
}
