/// What to do with a CR or LF that is not part of a CRLF pair inside DATA content.
public enum BareLineEndingPolicy: Sendable {
    /// Read on to the real `CRLF.CRLF`, then refuse the whole message with
    /// `550 5.5.2` (and a NUL octet with `550 5.6.0`): the SMTP smuggling defence.
    case reject
    /// Bare LF is stored as CRLF (a line break); bare CR and NUL are kept as they are.
    /// `CRLF.CRLF` is still the only end of DATA.
    case normalize
}

/// The limits and policy of the SMTP receiving front (SMTP.md "Limits and abuse").
/// A value type: one copy is shared by every session of a listener.
public struct SMTPConfiguration: Sendable {
    /// Our name in the greeting, the EHLO reply, 421 replies and the Received header.
    public var hostname: String
    /// The largest message content in octets (trace headers not counted); advertised as `SIZE`.
    public var maxMessageSize: Int
    public var maxRecipients: Int
    /// Domains ("example.com") and addresses ("a@b.c"), case-insensitive; empty accepts every recipient.
    public var acceptList: [String] {
        didSet { acceptPolicy = AcceptPolicy(acceptList) }
    }
    /// The longest command line in octets, CRLF included.
    public var maxCommandLine: Int
    /// The longest DATA text line in octets: longer lines get the message refused with
    /// `552 5.3.4 Error: message line too long` after the terminator (RFC 5321 §4.5.3.1.6
    /// asks for 1000; we only refuse what is plainly abuse).
    public var maxTextLine: Int
    public var maxErrors: Int
    /// NOOP, RSET, VRFY, HELP, EHLO and HELO outside a mail transaction (Postfix's "junk commands").
    public var maxNonTransactionCommands: Int
    public var maxMessagesPerConnection: Int
    /// More `Received:` headers than this in the message as received means a mail loop (RFC 5321 §6.3).
    public var maxReceivedHeaders: Int
    public var bareLineEndings: BareLineEndingPolicy
    public var rejectEarlyTalkers: Bool

    /// The accept list prepared for look-ups (lower-cased sets).
    private(set) var acceptPolicy: AcceptPolicy

    public init(hostname: String = "localhost",
                maxMessageSize: Int = 25 * 1024 * 1024,
                maxRecipients: Int = 100,
                acceptList: [String] = [],
                maxCommandLine: Int = 2048,
                maxTextLine: Int = 65536,
                maxErrors: Int = 20,
                maxNonTransactionCommands: Int = 100,
                maxMessagesPerConnection: Int = 1000,
                maxReceivedHeaders: Int = 50,
                bareLineEndings: BareLineEndingPolicy = .reject,
                rejectEarlyTalkers: Bool = true) {
        self.hostname = hostname
        self.maxMessageSize = maxMessageSize
        self.maxRecipients = maxRecipients
        self.acceptList = acceptList
        self.maxCommandLine = maxCommandLine
        self.maxTextLine = maxTextLine
        self.maxErrors = maxErrors
        self.maxNonTransactionCommands = maxNonTransactionCommands
        self.maxMessagesPerConnection = maxMessagesPerConnection
        self.maxReceivedHeaders = maxReceivedHeaders
        self.bareLineEndings = bareLineEndings
        self.rejectEarlyTalkers = rejectEarlyTalkers
        self.acceptPolicy = AcceptPolicy(acceptList)
    }
}
