/// Every reply the session sends, worded like Postfix's smtpd. Enhanced status codes
/// (RFC 3463, RFC 2034) on all of them except the greeting and the EHLO/HELO replies.
extension Reply {
    // Positive completion.
    static let ok = Reply("250 2.0.0 Ok")
    static let senderOk = Reply("250 2.1.0 Ok")
    static let recipientOk = Reply("250 2.1.5 Ok")
    static let bye = Reply("221 2.0.0 Bye")
    static let startMailInput = Reply("354 End data with <CR><LF>.<CR><LF>")
    /// RFC 5321 §3.5.3: 252 when we cannot verify but will accept.
    static let cannotVerify = Reply("252 2.5.2 Cannot VRFY user, but will accept message and attempt delivery")
    static let help = Reply("214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP")

    static func queued(_ id: String) -> Reply { Reply("250 2.0.0 Ok: queued as \(id)") }
    static func octetsReceived(_ n: Int) -> Reply { Reply("250 2.0.0 \(n) octets received") }

    // Command syntax and sequencing.
    static let badSyntax = Reply("500 5.5.2 Error: bad syntax")
    static let notRecognized = Reply("500 5.5.2 Error: command not recognized")
    static let lineTooLong = Reply("500 5.5.2 Error: line too long")
    static let bareLFInCommand = Reply("500 5.5.2 Error: bare <LF> received")
    static let notImplemented = Reply("502 5.5.1 Error: command not implemented")
    static let heloSyntax = Reply("501 5.5.4 Syntax: HELO hostname")
    static let ehloSyntax = Reply("501 5.5.4 Syntax: EHLO hostname")
    static let mailSyntax = Reply("501 5.5.4 Syntax: MAIL FROM:<address>")
    static let rcptSyntax = Reply("501 5.5.4 Syntax: RCPT TO:<address>")
    static let dataSyntax = Reply("501 5.5.4 Syntax: DATA")
    static let rsetSyntax = Reply("501 5.5.4 Syntax: RSET")
    static let vrfySyntax = Reply("501 5.5.4 Syntax: VRFY address")
    static let bdatSyntax = Reply("501 5.5.4 Syntax: BDAT count [LAST]")
    static let badSender = Reply("501 5.1.7 Bad sender address syntax")
    static let badRecipient = Reply("501 5.1.3 Bad recipient address syntax")
    static let badSizeSyntax = Reply("501 5.5.4 Bad message size syntax")
    static let badBody = Reply("501 5.5.4 Bad BODY keyword value")
    static let badSMTPUTF8 = Reply("501 5.5.4 Bad SMTPUTF8 parameter syntax")
    static let badParameterSyntax = Reply("501 5.5.4 Error: bad parameter syntax")
    static func unsupportedOption(_ p: String) -> Reply { Reply("555 5.5.4 Unsupported option: \(p)") }
    static let sendHeloFirst = Reply("503 5.5.1 Error: send HELO/EHLO first")
    static let nestedMail = Reply("503 5.5.1 Error: nested MAIL command")
    static let mailAfterBDAT = Reply("503 5.5.1 Error: MAIL after BDAT")
    static let needMail = Reply("503 5.5.1 Error: need MAIL command")
    static let needRcpt = Reply("503 5.5.1 Error: need RCPT command")
    static let rcptAfterBDAT = Reply("503 5.5.1 Error: RCPT after BDAT")
    static let dataAfterBDAT = Reply("503 5.5.1 Error: DATA after BDAT")
    static let binaryMIMENeedsBDAT = Reply("503 5.5.1 Error: BODY=BINARYMIME requires BDAT")
    static let noValidRecipients = Reply("554 5.5.1 Error: no valid recipients")
    static let unicodeAddress = Reply("553 5.6.7 Must declare SMTPUTF8 to send unicode address")

    // Policy and limits.
    static let sizeExceedsLimit = Reply("552 5.3.4 Message size exceeds fixed limit")
    static let tooManyRecipients = Reply("452 4.5.3 Error: too many recipients")
    static func recipientRejected(_ mailbox: String) -> Reply {
        Reply("550 5.1.1 <\(mailbox)>: Recipient address rejected: User unknown")
    }

    // End of message content.
    static let messageTooBig = Reply("552 5.3.4 Error: message file too big")
    static let textLineTooLong = Reply("552 5.3.4 Error: message line too long")
    static let bareLineEnding = Reply("550 5.5.2 Error: bare CR or LF not allowed")
    static let nulInContent = Reply("550 5.6.0 Error: NUL character not allowed")
    static let tooManyHops = Reply("554 5.4.6 Too many hops")
    static let queueWriteError = Reply("451 4.3.0 Error: queue file write error")
    static let insufficientStorage = Reply("452 4.3.1 Insufficient system storage")

    // Session-ending replies.
    static let earlyTalker = Reply("554 5.5.1 Error: talked before greeting")
    static let synchronization = Reply("554 5.5.0 Error: SMTP protocol synchronization")
    static func tooManyErrors(_ host: String) -> Reply { Reply("421 4.7.0 \(host) Error: too many errors") }
    static func tooManyJunkCommands(_ host: String) -> Reply {
        Reply("421 4.7.0 \(host) Error: too many non-mail commands")
    }
    static func tooManyMessages(_ host: String) -> Reply {
        Reply("421 4.7.0 \(host) Error: too many messages in one connection")
    }
    static func idleTimeout(_ host: String) -> Reply { Reply("421 4.4.2 \(host) Error: timeout exceeded") }
    static func sessionTimeout(_ host: String) -> Reply {
        Reply("421 4.4.2 \(host) Error: session time limit exceeded")
    }
    static func shuttingDown(_ host: String) -> Reply { Reply("421 4.3.2 \(host) Service shutting down") }

    static func greeting(_ host: String) -> Reply { Reply("220 \(host) ESMTP Mailgate") }
    static func helo(_ host: String) -> Reply { Reply("250 \(host)") }
    /// RFC 5321 §4.1.1.1 and the extensions we implement, in Postfix's order.
    static func ehlo(_ host: String, maxSize: Int) -> Reply {
        Reply("250-\(host)\r\n250-PIPELINING\r\n250-SIZE \(maxSize)\r\n250-ENHANCEDSTATUSCODES\r\n"
              + "250-8BITMIME\r\n250-SMTPUTF8\r\n250 CHUNKING")
    }
}
