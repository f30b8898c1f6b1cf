import MailgateCore

/// The `Date` header value (IMF-fixdate, RFC 9110 §5.6.7 and §6.6.1), rendered at most once
/// per second. Keep one per event-loop thread; it is a plain value, not shared.
public struct HTTPDateCache: Sendable {
    private var second: Int64 = .min
    private var text = ""

    public init() {}

    /// The date for `nowMilliseconds` (wall clock by default).
    public mutating func current(nowMilliseconds: Int64 = Clock.nowMilliseconds()) -> String {
        let s = nowMilliseconds >= 0 ? nowMilliseconds / 1000 : (nowMilliseconds - 999) / 1000
        if s != second {
            second = s
            text = Timestamp.httpDate(seconds: s)
        }
        return text
    }
}
