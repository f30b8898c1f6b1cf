/// Tunables of the dispatcher (MAILGATE_WEBHOOK_* settings map onto these).
public struct DispatcherConfiguration: Sendable {
    /// Retry schedule, jitter and Retry-After cap.
    public var policy: RetryPolicy
    public var connectTimeoutMilliseconds: Int
    /// The whole request, connection included.
    public var requestTimeoutMilliseconds: Int
    /// Requests in flight per subscriber (MAILGATE_WEBHOOK_CONCURRENCY).
    public var perSubscriberConcurrency: Int
    /// Requests in flight in total.
    public var globalConcurrency: Int
    /// Deliveries claimed per subscriber beyond its requests in flight, while its last attempt
    /// succeeded. Each attempt's start record commits before its POST, so without claiming ahead
    /// a subscriber gets at most `perSubscriberConcurrency` POSTs per store commit (a few hundred
    /// a second under ingest). Claimed ahead, the start records of the next batch commit while
    /// the current requests are out. A failing or hung subscriber claims no more than it sends.
    public var claimAhead: Int
    /// The response body is read up to this many bytes, then the connection is dropped.
    public var maxResponseBytes: Int
    /// How much of the response body is stored with the attempt.
    public var responseExcerptBytes: Int
    /// `User-Agent` header value.
    public var userAgent: String
    /// The dispatcher looks for due work at least this often even without a wake-up.
    public var idlePollMilliseconds: Int
    /// Which addresses requests may connect to (MAILGATE_WEBHOOK_ALLOW / _DENY).
    public var addressPolicy: AddressPolicy
    /// Receives one line per operational problem (database errors and the like).
    public var log: (@Sendable (String) -> Void)?

    public init(version: String = "dev", policy: RetryPolicy = RetryPolicy(),
                connectTimeoutMilliseconds: Int = 5_000, requestTimeoutMilliseconds: Int = 15_000,
                perSubscriberConcurrency: Int = 4, globalConcurrency: Int = 64, claimAhead: Int = 60,
                maxResponseBytes: Int = 64 * 1024, responseExcerptBytes: Int = 2048,
                idlePollMilliseconds: Int = 1_000, addressPolicy: AddressPolicy = AddressPolicy(),
                log: (@Sendable (String) -> Void)? = nil) {
        self.addressPolicy = addressPolicy
        self.policy = policy
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
        self.perSubscriberConcurrency = max(1, perSubscriberConcurrency)
        self.globalConcurrency = max(1, globalConcurrency)
        self.claimAhead = max(0, claimAhead)
        self.maxResponseBytes = maxResponseBytes
        self.responseExcerptBytes = responseExcerptBytes
        self.userAgent = "Mailgate/\(version)"
        self.idlePollMilliseconds = max(10, idlePollMilliseconds)
        self.log = log
    }

    /// How long a started attempt holds its delivery before another claim may take it.
    var leaseMilliseconds: Int64 { Int64(requestTimeoutMilliseconds + connectTimeoutMilliseconds) + 60_000 }
}
