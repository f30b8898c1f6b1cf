import MailgateCore
import MailgateIO
import MailgateSMTP

/// Wires one SMTP connection to its pure `SMTPSession`: bytes in, actions out. Lives on the
/// connection's loop thread; the only hop to another thread is the store commit, whose completion
/// comes back through `EventLoop.execute` before the queued reply is written.
final class SMTPConnectionHandler: ConnectionHandler {
    private let services: SMTPServices
    private let session: SMTPSession
    private var idleTimer: TimerHandle?
    private var sessionTimer: TimerHandle?
    private var greetTimer: TimerHandle?
    private var greeted = false
    private var inputPaused = false
    /// The client half-closed while a commit was outstanding (see `connectionInputDidEnd`).
    private var inputEnded = false

    /// Input the session may hold while a message is being committed before we stop reading
    /// (pipelined commands after the final dot are legal, a flood is not).
    private static let maxBufferedWhileAwaiting = 64 * 1024

    init(connection: Connection, services: SMTPServices) {
        self.services = services
        session = SMTPSession(configuration: services.session,
                              peer: SMTPPeer(address: connection.remoteAddress, port: connection.remotePort))
    }

    func connectionDidOpen(_ connection: Connection) {
        services.metrics.smtpConnectionsOpened.increment()
        services.metrics.smtpConnectionsOpen.increment()
        let loop = connection.loop
        if services.sessionTimeoutMilliseconds > 0 {
            sessionTimer = loop.schedule(after: Int(services.sessionTimeoutMilliseconds)) { [unowned self, unowned connection] in
                apply(session.sessionTimedOut(), on: connection)
            }
        }
        if services.greetDelayMilliseconds > 0 {
            // Pre-greeting wait (like postscreen's greet wait): whatever the client sends before
            // the banner reaches the session before start(), which treats it as an early talker.
            greetTimer = loop.schedule(after: Int(services.greetDelayMilliseconds)) { [unowned self, unowned connection] in
                greet(connection)
            }
        } else if services.session.rejectEarlyTalkers && connection.hasPendingInput() {
            // Bytes were already waiting at accept time: the client talked before our banner.
            // Leave them for the next read, which the session sees before start().
        } else {
            greet(connection)
        }
        armIdleTimer(connection)
    }

    private func greet(_ connection: Connection) {
        guard !greeted, !session.isClosed else { return }
        greeted = true
        apply(session.start(), on: connection)
    }

    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer) {
        idleTimer?.reschedule(after: Int(services.idleTimeoutMilliseconds))
        services.metrics.smtpBytesReceived.increment(by: bytes.count)
        apply(session.receive(bytes), on: connection)
        // An early talker's bytes arrived before we greeted: the session has answered and closed;
        // otherwise greet now (the accept-time peek saw data that turned out to be allowed).
        if !greeted && !session.isClosed && !services.session.rejectEarlyTalkers && greetTimer == nil {
            greet(connection)
        }
        updateBackpressure(connection)
    }

    func connectionDidDrain(_ connection: Connection) {}

    /// The client sent FIN. One that sent its final dot (and QUIT) before it is still reading,
    /// and RFC 5321 §4.1.1.10 ends a session only with the QUIT reply: while a commit is
    /// outstanding, stay open so the queued reply (and the 221) reach it, then close.
    func connectionInputDidEnd(_ connection: Connection) -> Bool {
        guard session.isAwaitingDelivery, !session.isClosed else { return false }
        inputEnded = true
        return true
    }

    func connectionDidClose(_ connection: Connection) {
        idleTimer?.cancel()
        sessionTimer?.cancel()
        greetTimer?.cancel()
        services.metrics.smtpConnectionsOpen.decrement()
    }

    /// Graceful stop: the session answers 421 now when idle, or after the current transaction.
    func beginShutdown(_ connection: Connection) {
        apply(session.shutdown(), on: connection)
    }

    /// The grace period is over.
    func forceShutdown(_ connection: Connection) {
        apply(session.forceShutdown(), on: connection)
    }

    private func armIdleTimer(_ connection: Connection) {
        guard services.idleTimeoutMilliseconds > 0 else { return }
        idleTimer = connection.loop.schedule(after: Int(services.idleTimeoutMilliseconds)) { [unowned self, unowned connection] in
            // While a commit is outstanding the client is waiting on us, not idle.
            if session.isAwaitingDelivery {
                armIdleTimer(connection)
            } else {
                apply(session.idleTimedOut(), on: connection)
            }
        }
    }

    private func apply(_ actions: [SMTPAction], on connection: Connection) {
        for action in actions {
            switch action {
            case .send(let bytes):
                connection.write(bytes)
            case .deliver(let message):
                deliver(message, on: connection)
            case .log(let event):
                services.metrics.smtpRejections.increment(event.reason)
                services.logger.info("smtp " + event.reason, ["remote": connection.remoteAddress, "detail": event.detail])
            case .close:
                connection.close()
            }
        }
    }

    private func deliver(_ message: ReceivedMessage, on connection: Connection) {
        let loop = connection.loop
        let handler = LoopBound(self)
        let conn = LoopBound(connection)
        services.ingest.submit(message) { outcome in
            _ = loop.execute {
                let h = handler.value
                let c = conn.value
                h.apply(h.session.deliveryCompleted(outcome), on: c)
                h.updateBackpressure(c)
                // Half-closed client: nothing more can arrive once the owed replies are out.
                if h.inputEnded && !h.session.isAwaitingDelivery { c.close() }
            }
        }
    }

    /// Stops reading while a commit is outstanding and the client keeps sending; resumes once the
    /// session has caught up.
    private func updateBackpressure(_ connection: Connection) {
        let shouldPause = session.isAwaitingDelivery && session.bufferedByteCount > Self.maxBufferedWhileAwaiting
        if shouldPause && !inputPaused {
            inputPaused = true
            connection.pauseReading()
        } else if !shouldPause && inputPaused {
            inputPaused = false
            connection.resumeReading()
        }
    }
}

/// Carries a loop-confined value across a thread hop that ends on the same loop
/// (`EventLoop.execute`): the value is only touched on its own loop thread.
struct LoopBound<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
