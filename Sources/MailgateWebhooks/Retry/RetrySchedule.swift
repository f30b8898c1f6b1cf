/// The delays between attempts after failures (Standard Webhooks / Svix): after the n-th failed
/// attempt the next one is due `delays[n-1]` later, ±20 % jitter; after the last, the delivery fails.
public struct RetrySchedule: Sendable, Equatable, CustomStringConvertible {
    /// Milliseconds.
    public let delays: [Int64]

    /// 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h.
    public static let standard = RetrySchedule(delays: [
        5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
    ])

    public static let maxEntries = 50

    public init(delays: [Int64]) { self.delays = delays }

    /// Parses `5s,5m,30m,2h` (MAILGATE_WEBHOOK_RETRY_SCHEDULE). An empty schedule is an error:
    /// a delivery would then fail after its first attempt, which is never what is meant.
    public init(parsing text: String) throws(DelayParser.Error) {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !text.trimmingSpaces.isEmpty else { throw DelayParser.Error(message: "the retry schedule is empty") }
        guard entries.count <= Self.maxEntries else {
            throw DelayParser.Error(message: "the retry schedule has \(entries.count) entries; at most \(Self.maxEntries)")
        }
        var delays: [Int64] = []
        for (i, entry) in entries.enumerated() {
            do {
                delays.append(try DelayParser.milliseconds(entry))
            } catch {
                throw DelayParser.Error(message: "retry schedule entry \(i + 1): \(error.message)")
            }
        }
        self.delays = delays
    }

    /// The delay before the next attempt once `failedAttempts` attempts have failed, with
    /// `jitter` (0.2 = ±20 %); nil when the schedule is exhausted.
    public func delay<R: RandomNumberGenerator>(afterFailedAttempts failedAttempts: Int, jitter: Double,
                                                using rng: inout R) -> Int64? {
        guard failedAttempts >= 1, failedAttempts <= delays.count else { return nil }
        let base = Double(delays[failedAttempts - 1])
        guard jitter > 0 else { return Int64(base) }
        let factor = Double.random(in: (1 - jitter)...(1 + jitter), using: &rng)
        return Int64((base * factor).rounded())
    }

    public var description: String {
        delays.map { ms in
            for (suffix, scale) in DelayParser.units.reversed() where ms >= scale && ms % scale == 0 {
                return "\(ms / scale)\(suffix)"
            }
            return "\(ms)ms"
        }.joined(separator: ",")
    }
}
