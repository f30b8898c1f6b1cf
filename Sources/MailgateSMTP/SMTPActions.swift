import MailgateCore

/// The remote end of a connection.
public struct SMTPPeer: Sendable, Equatable {
    public var address: String
    public var port: Int

    public init(address: String, port: Int) {
        self.address = address
        self.port = port
    }
}

/// A complete message, ready to be stored before the client is told it was queued.
public struct ReceivedMessage: Sendable, Equatable {
    /// The queue id (from `makeID`), chosen when DATA or the first BDAT started.
    public var id: String
    /// Milliseconds since the epoch (from `now`), taken when DATA or the first BDAT started.
    public var receivedAt: Int64
    public var envelope: Envelope
    /// `Return-Path` and `Received` trace headers, then the content exactly as received:
    /// dot-unstuffed for DATA, CRLF line ends.
    public var data: [UInt8]

    public init(id: String, receivedAt: Int64, envelope: Envelope, data: [UInt8]) {
        self.id = id
        self.receivedAt = receivedAt
        self.envelope = envelope
        self.data = data
    }
}

/// What became of a delivered message; decides the final reply.
public enum DeliveryOutcome: Sendable, Equatable {
    /// Committed: `250 2.0.0 Ok: queued as <id>`.
    case stored
    /// `451 4.3.0 Error: queue file write error`.
    case temporaryFailure
    /// `452 4.3.1 Insufficient system storage`.
    case diskFull
}

/// Something worth a log line and a `mailgate_smtp_rejections_total{reason}` increment.
public struct SMTPLogEvent: Sendable, Equatable {
    public var reason: String
    public var detail: String

    public init(reason: String, detail: String) {
        self.reason = reason
        self.detail = detail
    }
}

/// What the caller must do after feeding the session.
/// Order within one result: at most one `.send` first, then `.log` and `.deliver` in the order
/// they happened, and `.close` last.
public enum SMTPAction: Sendable, Equatable {
    /// Write these reply bytes (every reply of one call, in order).
    case send([UInt8])
    /// Store the message, then call `deliveryCompleted`.
    case deliver(ReceivedMessage)
    case log(SMTPLogEvent)
    /// Close the connection after writing what was sent.
    case close
}
