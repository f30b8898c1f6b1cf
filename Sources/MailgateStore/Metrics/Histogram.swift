/// A Prometheus-style histogram: counts per upper bound (reported cumulatively), sum and count.
public struct Histogram: Sendable, Equatable {
    /// The upper bounds, ascending; +Inf is implicit.
    public let upperBounds: [Double]
    /// Observations per bucket (not cumulative); the last entry is the +Inf bucket.
    private var bucketCounts: [UInt64]
    public private(set) var sum: Double = 0
    public private(set) var count: UInt64 = 0

    public init(upperBounds: [Double]) {
        self.upperBounds = upperBounds
        bucketCounts = Array(repeating: 0, count: upperBounds.count + 1)
    }

    public mutating func observe(_ value: Double) {
        var i = 0
        while i < upperBounds.count && value > upperBounds[i] { i += 1 }
        bucketCounts[i] += 1
        sum += value
        count += 1
    }

    /// `le` buckets as Prometheus exposes them: observations ≤ each bound, then +Inf (= count).
    public var cumulativeCounts: [UInt64] {
        var running: UInt64 = 0
        return bucketCounts.map { running += $0; return running }
    }
}
