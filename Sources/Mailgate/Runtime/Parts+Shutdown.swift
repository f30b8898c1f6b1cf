import Glibc
import MailgateCore
import MailgateIO

extension Parts {
    /// The shutdown order that keeps the one rule: stop accepting; let open SMTP transactions
    /// finish (each session answers 421 4.3.2 once idle) up to the grace period; cut the rest with
    /// 421; close event streams; stop the dispatcher; flush and close the store; stop the loops.
    func shutdown(graceMilliseconds: Int64) {
        readiness.set(notReady: "shutting down")
        group.closeListeners()
        group.onEveryLoop { loop in
            loop.forEachConnection { connection in
                (connection.handler as? SMTPConnectionHandler)?.beginShutdown(connection)
            }
        }
        let deadline = Clock.monotonicNanoseconds() + UInt64(max(0, graceMilliseconds)) * 1_000_000
        while metrics.smtpConnectionsOpen.current > 0 && Clock.monotonicNanoseconds() < deadline {
            usleep(10_000)
        }
        if metrics.smtpConnectionsOpen.current > 0 {
            logger.warn("grace period over; closing SMTP sessions still in progress",
                        ["sessions": String(metrics.smtpConnectionsOpen.current)])
            group.onEveryLoop { loop in
                loop.forEachConnection { connection in
                    (connection.handler as? SMTPConnectionHandler)?.forceShutdown(connection)
                }
            }
            // Give the 421s a moment to reach the clients.
            let flushDeadline = Clock.monotonicNanoseconds() + 1_000_000_000
            while metrics.smtpConnectionsOpen.current > 0 && Clock.monotonicNanoseconds() < flushDeadline { usleep(10_000) }
        }
        events.closeAll()
        webhooks.stop()
        store.close()
        group.shutdown()
    }
}
