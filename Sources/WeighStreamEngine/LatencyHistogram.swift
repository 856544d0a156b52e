/// A fixed-bucket histogram of durations in seconds, in Prometheus' cumulative form when rendered.
public struct LatencyHistogram: Sendable, Hashable {
    /// Upper bounds in seconds (`+Inf` is implied).
    public static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Observations per bucket (not cumulative); the last slot counts those above every bound.
    public var counts = [Int](repeating: 0, count: LatencyHistogram.bounds.count + 1)
    public var sum = 0.0
    public var count = 0

    public init() {}

    public mutating func observe(seconds: Double) {
        let index = Self.bounds.firstIndex { seconds <= $0 } ?? Self.bounds.count
        counts[index] += 1
        sum += seconds
        count += 1
    }

    public mutating func merge(_ other: LatencyHistogram) {
        for i in counts.indices { counts[i] += other.counts[i] }
        sum += other.sum
        count += other.count
    }
}
