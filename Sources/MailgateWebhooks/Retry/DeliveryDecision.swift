/// What came back from one POST.
public enum AttemptResponse: Sendable, Equatable {
    /// An HTTP response (the body may have been cut at the read cap).
    case http(status: Int, retryAfter: String?)
    /// No usable response: connection refused, timeout, TLS failure, ... (curl's code and message).
    case transport(code: Int32, message: String)
}

/// What to do with a delivery after an attempt.
public enum DeliveryDecision: Sendable, Equatable {
    case succeeded
    /// Try again at this time (milliseconds since the epoch).
    case retry(at: Int64)
    /// The schedule is exhausted: `failed` (kept; the API can retry it).
    case failed
    /// 410 Gone: this delivery fails, its subscriber is disabled and its other pending deliveries cancelled.
    case gone
}

/// The status handling of WEBHOOKS.md, as a pure function of the response.
public struct RetryPolicy: Sendable, Equatable {
    public var schedule: RetrySchedule
    /// ±fraction applied to scheduled delays (not to Retry-After).
    public var jitter: Double
    /// The longest Retry-After honoured, in milliseconds.
    public var retryAfterCap: Int64

    public init(schedule: RetrySchedule = .standard, jitter: Double = 0.2, retryAfterCap: Int64 = 3_600_000) {
        self.schedule = schedule
        self.jitter = jitter
        self.retryAfterCap = retryAfterCap
    }

    /// Decides after the `attempts`-th attempt (counting this one) got `response` at `now`.
    public func decide<R: RandomNumberGenerator>(_ response: AttemptResponse, attempts: Int, now: Int64,
                                                 using rng: inout R) -> DeliveryDecision {
        var requested: Int64?
        switch response {
        case .http(let status, _) where (200...299).contains(status):
            return .succeeded
        case .http(410, _):
            return .gone
        case .http(let status, let retryAfter) where status == 429 || status == 503:
            // RFC 9110 §10.2.3 / RFC 6585 §4: the receiver says when to come back.
            if let retryAfter, let ms = RetryAfter.milliseconds(retryAfter, nowMilliseconds: now) {
                requested = min(ms, retryAfterCap)
            }
        default:
            // 1xx/3xx (redirects are not followed), other 4xx and 5xx, transport errors: retry.
            break
        }
        guard let scheduled = schedule.delay(afterFailedAttempts: attempts, jitter: jitter, using: &rng) else {
            return .failed
        }
        return .retry(at: now + (requested ?? scheduled))
    }

    /// The `last_error` text of a response that did not succeed, nil for a success.
    public static func errorText(_ response: AttemptResponse) -> String? {
        switch response {
        case .http(let status, _) where (200...299).contains(status): nil
        case .http(let status, _) where (300...399).contains(status): "HTTP \(status) (redirects are not followed)"
        case .http(let status, _): "HTTP \(status)"
        case .transport(_, let message): message
        }
    }
}
