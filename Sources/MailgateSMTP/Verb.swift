/// The command table (RFC 5321 §4.1.1, RFC 3030 §2). Each verb's check and proceed steps live in
/// `SMTPSession+<Verb>.swift`; `SMTPSession.dispatch` runs them.
enum Verb {
    case ehlo, helo, mail, rcpt, data, bdat, rset, noop, quit, vrfy, help, expn

    /// Every verb we know has four letters, so the look-up is one integer switch.
    init?(_ word: UnsafeBufferPointer<UInt8>) {
        guard word.count == 4 else { return nil }
        var key: UInt32 = 0
        for c in word { key = key << 8 | UInt32(ASCII.lower(c)) }
        switch key {
        case 0x65_68_6C_6F /* ehlo */: self = .ehlo
        case 0x68_65_6C_6F /* helo */: self = .helo
        case 0x6D_61_69_6C /* mail */: self = .mail
        case 0x72_63_70_74 /* rcpt */: self = .rcpt
        case 0x64_61_74_61 /* data */: self = .data
        case 0x62_64_61_74 /* bdat */: self = .bdat
        case 0x72_73_65_74 /* rset */: self = .rset
        case 0x6E_6F_6F_70 /* noop */: self = .noop
        case 0x71_75_69_74 /* quit */: self = .quit
        case 0x76_72_66_79 /* vrfy */: self = .vrfy
        case 0x68_65_6C_70 /* help */: self = .help
        case 0x65_78_70_6E /* expn */: self = .expn
        default: return nil
        }
    }

    /// Commands that do no mail work; outside a transaction they count towards
    /// `maxNonTransactionCommands` (Postfix's smtpd_junk_command_limit).
    var isJunkOutsideTransaction: Bool {
        switch self {
        case .noop, .rset, .vrfy, .help, .ehlo, .helo: true
        default: false
        }
    }

    /// RFC 2920 §3.1: DATA must be the last command of a pipelined group; anything after it
    /// before the 354 is content sent too early.
    var endsGroup: Bool { self == .data }

    /// HTTP request methods seen as the first word of a command line: an HTTP client on the
    /// SMTP port (Postfix's smtpd_forbidden_commands).
    static func isHTTPMethod(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        ASCII.equalsIgnoringCase(word, "get") || ASCII.equalsIgnoringCase(word, "post")
            || ASCII.equalsIgnoringCase(word, "connect")
    }
}
