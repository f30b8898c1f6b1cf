import Synchronization

/// A process-wide counter bumped whenever a subscriber row changes, so the outbox cache and
/// the dispatcher's view reload instead of querying the table for every message.
enum SubscriberChanges {
    static let generation = Atomic<UInt64>(0)

    static var current: UInt64 { generation.load(ordering: .acquiring) }

    static func bump() { generation.add(1, ordering: .releasing) }
}
