import MailgateCore

/// One SMTP server session as a pure state machine: fed bytes, it returns actions (replies to
/// write, messages to store, log events, close). It never touches a socket or a clock of its
/// own, so every behaviour is testable byte by byte.
///
/// Not thread-safe: a session is confined to the event loop that owns its connection.
public final class SMTPSession {
    let configuration: SMTPConfiguration
    let peer: SMTPPeer
    let now: () -> Int64
    let makeID: () -> String

    // The session (RFC 5321 §3.1, §4.1.4): it outlives transactions.
    var started = false
    var closed = false
    var greeting: Greeting?
    var errorCount = 0
    var junkCount = 0
    var messageCount = 0
    var shutdownRequested = false

    // The transaction and the content being read.
    var transaction: Transaction?
    var mode = InputMode.command
    var dataReader: DataReader
    var chunk = Chunk()
    var message = MessageBuffer()
    var awaitingDelivery = false
    var deliveringID = ""

    // Input not yet processed: a command line split across reads, and everything that arrived
    // while a delivery was in flight (or before the greeting, when early talkers are tolerated).
    var partialLine: [UInt8] = []
    var discardingLongLine = false
    var pending: [UInt8] = []
    var pendingOffset = 0

    // What one call produces; handed out by `flush()`.
    var output: [UInt8] = []
    var events: [SMTPAction] = []
    var closeRequested = false

    public init(configuration: SMTPConfiguration, peer: SMTPPeer,
                now: @escaping () -> Int64 = { Clock.nowMilliseconds() },
                makeID: @escaping () -> String = { ULID.make() }) {
        self.configuration = configuration
        self.peer = peer
        self.now = now
        self.makeID = makeID
        self.dataReader = DataReader(policy: configuration.bareLineEndings,
                                     maxTextLine: configuration.maxTextLine)
    }

    /// While true, `receive` only buffers: the caller should stop reading (backpressure)
    /// until it has stored the message and called `deliveryCompleted`.
    public var isAwaitingDelivery: Bool { awaitingDelivery }

    /// Input octets held but not yet processed.
    public var bufferedByteCount: Int { pending.count - pendingOffset + partialLine.count }

    public var isClosed: Bool { closed }

    // MARK: Output

    /// Queues a reply. RFC 5321 §3.8: a 421 reply means we are closing the channel, so every
    /// 421 closes the session after it is written.
    func reply(_ r: Reply) {
        r.write(to: &output)
        if r.text.utf8.starts(with: "421".utf8) { close() }
    }

    /// Replies with a failure. Failures count towards the error limit, after which the session
    /// ends with `421 4.7.0` (Postfix's smtpd_hard_error_limit).
    func fail(_ r: Reply) {
        reply(r)
        guard !closed, r != .tooManyRecipients else { return }
        errorCount += 1
        if errorCount >= configuration.maxErrors {
            log("too_many_errors", "\(errorCount) errors")
            reply(.tooManyErrors(configuration.hostname))
        }
    }

    func log(_ reason: String, _ detail: String) {
        events.append(.log(SMTPLogEvent(reason: reason, detail: detail)))
    }

    func close() {
        closed = true
        closeRequested = true
    }

    /// The actions of one call: one `.send` with every reply, then logs and deliveries in order,
    /// then `.close`.
    func flush() -> [SMTPAction] {
        var actions: [SMTPAction] = []
        if !output.isEmpty {
            actions.append(.send(output))
            output = []
        }
        if !events.isEmpty {
            actions.append(contentsOf: events)
            events = []
        }
        if closeRequested {
            closeRequested = false
            actions.append(.close)
        }
        return actions
    }
}
