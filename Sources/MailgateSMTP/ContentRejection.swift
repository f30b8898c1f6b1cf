/// Why a message's content is refused once its end has been read (DATA terminator or BDAT LAST;
/// an oversized BDAT chunk is refused right after the chunk).
enum ContentRejection: Equatable {
    case tooBig
    case lineTooLong
    case bareLineEnding
    case nul
    case mailLoop

    var reply: Reply {
        switch self {
        case .tooBig: .messageTooBig
        case .lineTooLong: .textLineTooLong
        case .bareLineEnding: .bareLineEnding
        case .nul: .nulInContent
        case .mailLoop: .tooManyHops
        }
    }

    /// The `reason` label of the log event and the rejection metric.
    var logReason: String {
        switch self {
        case .tooBig: "message_too_big"
        case .lineTooLong: "line_too_long"
        case .bareLineEnding: "bare_lf"
        case .nul: "nul_in_data"
        case .mailLoop: "mail_loop"
        }
    }
}
