extension SMTPSession {
    /// The command table: every verb has a check step, which refuses with a reply or yields
    /// what the command means, and a proceed step, which changes state and replies (the shape of
    /// OpenSMTPD's smtp_session.c).
    func dispatch(_ verb: Verb, _ args: UnsafeBufferPointer<UInt8>) {
        if verb.isJunkOutsideTransaction, transaction == nil {
            junkCount += 1
            if junkCount > configuration.maxNonTransactionCommands {
                log("junk_commands", "\(junkCount) commands without a mail transaction")
                reply(.tooManyJunkCommands(configuration.hostname))
                return
            }
        }
        switch verb {
        case .ehlo: run(checkHello(args, extended: true), proceedHello)
        case .helo: run(checkHello(args, extended: false), proceedHello)
        case .mail: run(checkMail(args), proceedMail)
        case .rcpt: run(checkRcpt(args), proceedRcpt)
        case .data: run(checkData(args), proceedData)
        case .bdat: run(checkBdat(args), proceedBdat)
        case .rset: run(checkRset(args), proceedRset)
        case .noop: reply(.ok)
        case .quit: proceedQuit()
        case .vrfy: run(checkVrfy(args), proceedVrfy)
        case .help: reply(.help)
        case .expn: fail(.notImplemented)
        }
    }

    private func run<Value>(_ verdict: Verdict<Value>, _ proceed: (Value) -> Void) {
        switch verdict {
        case .proceed(let value): proceed(value)
        case .reply(let r): fail(r)
        }
    }

    /// Ends the transaction (RSET, a new EHLO/HELO, the final reply), keeping the session.
    func resetTransaction() {
        transaction = nil
        message.discard()
    }

    // MARK: EHLO, HELO (RFC 5321 §4.1.1.1)

    func checkHello(_ args: UnsafeBufferPointer<UInt8>, extended: Bool) -> Verdict<Greeting> {
        guard !args.isEmpty else { return .reply(extended ? .ehloSyntax : .heloSyntax) }
        return .proceed(Greeting(name: ASCII.string(args), extended: extended))
    }

    /// A second EHLO/HELO resets the transaction like RSET (§4.1.4).
    func proceedHello(_ hello: Greeting) {
        resetTransaction()
        greeting = hello
        if hello.extended {
            reply(.ehlo(configuration.hostname, maxSize: configuration.maxMessageSize))
        } else {
            reply(.helo(configuration.hostname))
        }
    }

    // MARK: RSET, QUIT, VRFY (RFC 5321 §4.1.1.5, §4.1.1.10, §3.5.3)

    func checkRset(_ args: UnsafeBufferPointer<UInt8>) -> Verdict<Void> {
        args.isEmpty ? .proceed(()) : .reply(.rsetSyntax)
    }

    func proceedRset(_: Void) {
        resetTransaction()
        reply(.ok)
    }

    func proceedQuit() {
        reply(.bye)
        close()
    }

    func checkVrfy(_ args: UnsafeBufferPointer<UInt8>) -> Verdict<Void> {
        args.isEmpty ? .reply(.vrfySyntax) : .proceed(())
    }

    /// §3.5.3: 252 says "cannot verify, but will accept"; we never reveal who exists.
    func proceedVrfy(_: Void) {
        reply(.cannotVerify)
    }
}
