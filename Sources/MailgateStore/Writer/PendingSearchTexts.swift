/// The search texts of committed messages that are not indexed yet, kept by the writer so an
/// indexing pass need not parse their raw bytes again (the loop thread derived the text at
/// ingest, from the same parse as the rest of the message).
///
/// Only a cache: a text missing here (over the budget, or lost with a restart) is derived from
/// the raw bytes (SearchText). Entries are added only after the COMMIT that stored the message,
/// and taken only for the message id they were added for, so a seq that is reused after a
/// delete never picks up another message's text.
///
/// Confined to the writer thread (its owner hands it over once), hence `@unchecked Sendable`.
final class PendingSearchTexts: @unchecked Sendable {
    /// At most this many UTF-8 bytes are kept (a text is at most 128 KiB plus its header fields;
    /// a backlog is normally ≤ 512 messages).
    static let budgetBytes = 8 << 20

    private var texts: [Int64: (id: String, text: String)] = [:]
    private var bytes = 0

    func remember(seq: Int64, id: String, text: String) {
        let size = text.utf8.count
        guard bytes + size <= Self.budgetBytes else { return }
        texts[seq] = (id, text)
        bytes += size
    }

    /// The text kept for message `id` at `seq`, removed from the cache.
    func take(seq: Int64, id: String) -> String? {
        guard let entry = texts.removeValue(forKey: seq) else { return nil }
        bytes -= entry.text.utf8.count
        return entry.id == id ? entry.text : nil
    }

    /// Forgets everything (once nothing is pending, what is left belongs to deleted messages).
    func removeAll() {
        texts.removeAll()
        bytes = 0
    }

    var count: Int { texts.count }
}
