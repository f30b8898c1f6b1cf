import Synchronization

/// The search texts of committed messages not indexed yet, kept so that a pass need not parse
/// their raw bytes again (the loop thread derived the text at ingest, from the same parse as
/// the rest of the message). The writer adds them after the COMMIT that stored the message;
/// the search applier takes them.
///
/// Only a cache: a text missing here (over the budget, or lost with a restart) is derived from
/// the raw bytes (SearchText). An entry is taken only for the message id it was added for, so
/// a seq reused after a delete never picks up another message's text.
final class PendingSearchTexts: Sendable {
    /// At most this many UTF-8 bytes are kept (a text is at most 128 KiB plus its header
    /// fields; the backlog is normally a pass or two, 512 messages each).
    static let budgetBytes = 16 << 20

    private struct Entries {
        var texts: [Int64: (id: String, text: String)] = [:]
        var bytes = 0
    }

    private let entries = Mutex(Entries())

    func remember(_ added: [(seq: Int64, id: String, text: String)]) {
        guard !added.isEmpty else { return }
        entries.withLock { e in
            for entry in added {
                let size = entry.text.utf8.count
                guard e.bytes + size <= Self.budgetBytes else { continue }
                if let old = e.texts.updateValue((entry.id, entry.text), forKey: entry.seq) { e.bytes -= old.text.utf8.count }
                e.bytes += size
            }
        }
    }

    /// The text kept for message `id` at `seq`, removed from the cache.
    func take(seq: Int64, id: String) -> String? {
        entries.withLock { e in
            guard let entry = e.texts.removeValue(forKey: seq) else { return nil }
            e.bytes -= entry.text.utf8.count
            return entry.id == id ? entry.text : nil
        }
    }

    /// Forgets everything (once the queue is applied, what is left belongs to deleted messages).
    func removeAll() { entries.withLock { $0 = Entries() } }

    var count: Int { entries.withLock { $0.texts.count } }
}
