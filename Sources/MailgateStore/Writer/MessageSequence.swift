/// The `messages.seq` key: `received_at << 12 | n`, with n counting the messages of one
/// millisecond (up to 4096). Rowid order is therefore receive-time order, which makes
/// `since`/`until` exact rowid ranges and keeps the newest message at the end of the table.
enum MessageSequence {
    static let shift: Int64 = 12
    /// received_at is clamped to this range, so seq never overflows Int64.
    static let maxMilliseconds: Int64 = (Int64.max >> shift) - 1

    /// The smallest seq of millisecond `ms`.
    static func first(ofMillisecond ms: Int64) -> Int64 { clamp(ms) << shift }
    /// The largest seq of millisecond `ms`.
    static func last(ofMillisecond ms: Int64) -> Int64 { (clamp(ms) << shift) | ((1 << shift) - 1) }

    static func clamp(_ ms: Int64) -> Int64 { min(max(ms, 0), maxMilliseconds) }

    /// The seq for a new message received at `ms`: the next free one in that millisecond, or
    /// (after 4096 messages in one millisecond) the next after the highest seq in the table.
    static func next(receivedAt ms: Int64, in database: Database) throws -> Int64 {
        let inMillisecond = try database.cached("SELECT max(seq) FROM messages WHERE seq BETWEEN ? AND ?")
        try inMillisecond.bind(first(ofMillisecond: ms), at: 1)
        try inMillisecond.bind(last(ofMillisecond: ms), at: 2)
        let highest: Int64? = try inMillisecond.step() && !inMillisecond.isNull(0) ? inMillisecond.int64(0) : nil
        inMillisecond.reset()
        guard let highest else { return first(ofMillisecond: ms) }
        if highest < last(ofMillisecond: ms) { return highest + 1 }
        let overall = try database.cached("SELECT max(seq) FROM messages")
        let top = try overall.step() ? overall.int64(0) : highest
        overall.reset()
        return top + 1
    }
}
