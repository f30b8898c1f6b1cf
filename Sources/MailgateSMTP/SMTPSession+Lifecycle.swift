extension SMTPSession {
    /// Sends the greeting (RFC 5321 §4.2, §3.1) and processes anything a tolerated early
    /// talker sent before it.
    public func start() -> [SMTPAction] {
        guard !started, !closed else { return [] }
        started = true
        reply(.greeting(configuration.hostname))
        if !pending.isEmpty { drainPending() }
        return flush()
    }

    /// The store finished with the message handed out in `.deliver`. Sends the final reply,
    /// then continues with the input that arrived meanwhile.
    public func deliveryCompleted(_ outcome: DeliveryOutcome) -> [SMTPAction] {
        guard awaitingDelivery, !closed else { return [] }
        awaitingDelivery = false
        switch outcome {
        case .stored:
            reply(.queued(deliveringID))
            // A client that delivers mail is not idling: start its junk count afresh.
            junkCount = 0
        case .temporaryFailure:
            // Our failure, not the client's: it does not count towards the error limit.
            reply(.queueWriteError)
        case .diskFull:
            reply(.insufficientStorage)
        }
        closeIfShuttingDown()
        if !closed, pending.count > pendingOffset { drainPending() }
        return flush()
    }

    /// No command for too long (RFC 5321 §4.5.3.2.7).
    public func idleTimedOut() -> [SMTPAction] {
        guard !closed else { return [] }
        log("idle_timeout", "no input in time")
        reply(.idleTimeout(configuration.hostname))
        return flush()
    }

    /// The whole session took too long.
    public func sessionTimedOut() -> [SMTPAction] {
        guard !closed else { return [] }
        log("session_timeout", "session time limit")
        reply(.sessionTimeout(configuration.hostname))
        return flush()
    }

    /// Graceful stop: 421 now when idle, else right after the current transaction's final reply.
    public func shutdown() -> [SMTPAction] {
        guard !closed else { return [] }
        shutdownRequested = true
        closeIfShuttingDown()
        return flush()
    }

    /// The grace period is over: 421 and close, whatever is in progress.
    public func forceShutdown() -> [SMTPAction] {
        guard !closed else { return [] }
        reply(.shuttingDown(configuration.hostname))
        return flush()
    }
}
