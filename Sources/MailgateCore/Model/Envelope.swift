/// The SMTP envelope of one received message, kept as data (RFC 5321 §2.3.1).
/// It is what the transaction said, not what the headers claim.
public struct Envelope: Sendable, Equatable {
    /// The reverse-path of MAIL FROM without angle brackets; "" for the null path `<>`.
    public var mailFrom: String
    /// Every accepted forward-path of RCPT TO, in the order they were accepted.
    public var rcptTo: [String]
    /// The name the client gave in EHLO or HELO.
    public var helo: String
    public var remoteAddress: String
    public var remotePort: Int
    /// "SMTP" after HELO, "ESMTP" after EHLO, "ESMTPS" with TLS (RFC 3848).
    public var transport: String
    /// TLS details (protocol and cipher) when the session used TLS, else nil.
    public var tls: String?
    /// The BODY parameter of MAIL FROM (RFC 6152, RFC 3030): "7BIT", "8BITMIME" or "BINARYMIME"; nil when absent.
    public var body: String?
    /// Whether MAIL FROM carried SMTPUTF8 (RFC 6531).
    public var smtpUTF8: Bool

    public init(mailFrom: String = "", rcptTo: [String] = [], helo: String = "",
                remoteAddress: String = "", remotePort: Int = 0, transport: String = "SMTP",
                tls: String? = nil, body: String? = nil, smtpUTF8: Bool = false) {
        self.mailFrom = mailFrom
        self.rcptTo = rcptTo
        self.helo = helo
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        self.transport = transport
        self.tls = tls
        self.body = body
        self.smtpUTF8 = smtpUTF8
    }
}
