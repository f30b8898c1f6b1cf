import Synchronization

/// A monotonically increasing counter, safe to bump from any thread.
public final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    public init() {}
    public func increment(by n: Int = 1) { value.add(n, ordering: .relaxed) }
    public var current: Int { value.load(ordering: .relaxed) }
}

/// A gauge that goes up and down (connections open, for example).
public final class Gauge: Sendable {
    private let value = Atomic<Int>(0)
    public init() {}
    public func increment() { value.add(1, ordering: .relaxed) }
    public func decrement() { value.subtract(1, ordering: .relaxed) }
    public var current: Int { value.load(ordering: .relaxed) }
}

/// Counters keyed by label values (e.g. rejections by reason), created on first use.
public final class LabeledCounter: Sendable {
    private let counters = Mutex<[String: Int]>([:])
    public init() {}
    public func increment(_ label: String, by n: Int = 1) { counters.withLock { $0[label, default: 0] += n } }
    public var snapshot: [(String, Int)] { counters.withLock { $0.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } } }
}

/// A Prometheus histogram with fixed cumulative buckets (upper bounds in seconds).
public final class Histogram: Sendable {
    public let bounds: [Double]
    private struct State { var counts: [Int]; var sum = 0.0; var count = 0 }
    private let state: Mutex<State>

    public init(bounds: [Double]) {
        self.bounds = bounds
        state = Mutex(State(counts: [Int](repeating: 0, count: bounds.count)))
    }

    public func observe(_ seconds: Double) {
        state.withLock { s in
            for (i, b) in bounds.enumerated() where seconds <= b { s.counts[i] += 1 }
            s.sum += seconds
            s.count += 1
        }
    }

    /// Cumulative counts per bound, the sum and the total count.
    public var snapshot: (buckets: [(Double, Int)], sum: Double, count: Int) {
        state.withLock { s in (Array(zip(bounds, s.counts)), s.sum, s.count) }
    }
}
