import Synchronization

/// Counts a listener's open connections, in total and per client IP, for all its loops.
/// One short lock per accept and per close; per-IP entries vanish when they reach zero.
final class ConnectionLimiter: Sendable {
    private struct Counts {
        var total = 0
        var perIP: [IPAddress: Int] = [:]
    }

    private let counts = Mutex(Counts())
    let maxTotal: Int
    let maxPerIP: Int

    init(maxTotal: Int, maxPerIP: Int) {
        self.maxTotal = maxTotal
        self.maxPerIP = maxPerIP
    }

    /// Takes a slot for `ip`; nil when it did, else the limit that refused it.
    func acquire(_ ip: IPAddress) -> ConnectionLimits.Refusal? {
        counts.withLock { counts in
            guard counts.total < maxTotal else { return .tooManyConnections }
            if maxPerIP > 0 {
                let current = counts.perIP[ip, default: 0]
                guard current < maxPerIP else { return .tooManyFromAddress }
                counts.perIP[ip] = current + 1
            }
            counts.total += 1
            return nil
        }
    }

    func release(_ ip: IPAddress) {
        counts.withLock { counts in
            counts.total -= 1
            guard maxPerIP > 0, let current = counts.perIP[ip] else { return }
            if current <= 1 { counts.perIP[ip] = nil } else { counts.perIP[ip] = current - 1 }
        }
    }

    var total: Int { counts.withLock { $0.total } }
}
