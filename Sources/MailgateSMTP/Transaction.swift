/// One mail transaction (RFC 5321 §3.3), from MAIL to the final reply or RSET.
/// The session that outlives it is `SMTPSession`.
struct Transaction {
    /// The reverse-path without brackets; "" for `<>`.
    var mailFrom: String
    var parameters: MailParameters
    /// Accepted forward-paths, in order.
    var recipients: [String] = []
    /// Set by the first BDAT: DATA, RCPT and MAIL are out of sequence from then on (RFC 3030 §4).
    var usedBDAT = false
    /// The queue id and the receive time, chosen when the content starts.
    var id = ""
    var receivedAt: Int64 = 0

    init(mailFrom: String, parameters: MailParameters) {
        self.mailFrom = mailFrom
        self.parameters = parameters
    }
}

/// What EHLO or HELO established (RFC 5321 §4.1.1.1).
struct Greeting {
    var name: String
    /// EHLO rather than HELO: extensions, and pipelining, are allowed.
    var extended: Bool
}

/// The chunk a BDAT command announced (RFC 3030 §2), read to its last octet even when refused.
struct Chunk {
    var size = 0
    var remaining = 0
    var last = false
    /// The reply to send once the chunk is read, when the command itself was refused.
    var failure: Reply?
}

/// What the next input octets are.
enum InputMode {
    case command
    case data
    case chunk
}
