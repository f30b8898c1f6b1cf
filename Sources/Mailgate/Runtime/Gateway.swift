import Glibc
import MailgateCore
import MailgateHTTP
import MailgateIO
import MailgateStore

/// Starts every part in dependency order, waits for SIGTERM/SIGINT, and stops them in the
/// reverse order so that nothing acknowledged is lost (see `Gateway+Shutdown.swift`).
public enum Gateway {
    /// Runs the gateway until a termination signal; returns the process exit status.
    public static func run(_ configuration: Configuration) -> Int32 {
        let logger = Logger(level: configuration.logLevel, format: configuration.logFormat)
        // Message-sized buffers go back to the kernel when freed (PERFORMANCE.md: peak RSS).
        MemoryPolicy.mapLargeAllocations()
        // Block the termination signals before any thread starts, so every thread inherits the
        // mask and only the main thread's sigwait sees them.
        let signals = SignalWaiter()
        let parts: Parts
        do {
            parts = try Parts.start(configuration, logger: logger)
        } catch let error as StartupError {
            logger.error(error.message, error.fields)
            return 1
        } catch {
            logger.error("start-up failed", ["error": "\(error)"])
            return 1
        }
        let signal = signals.wait()
        logger.info("shutting down", ["signal": signal == SIGTERM ? "SIGTERM" : "SIGINT",
                                      "grace": "\(configuration.shutdownGraceMilliseconds)ms"])
        parts.shutdown(graceMilliseconds: configuration.shutdownGraceMilliseconds)
        logger.info("stopped")
        return 0
    }
}

/// A start-up failure: one log line naming what failed.
struct StartupError: Error {
    let message: String
    let fields: KeyValuePairs<String, String>
}

/// `host:port` for logs and listen calls, with IPv6 hosts in brackets.
func hostPort(_ host: String, _ port: Int) -> String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
}
