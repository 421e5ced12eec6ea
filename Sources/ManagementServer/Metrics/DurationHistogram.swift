/// A Prometheus histogram of request durations with fixed buckets, updated without locks.
///
/// Each bucket counts only the observations that fall into it; `snapshot()` makes the counts
/// cumulative, as the exposition format requires. The count is the `+Inf` bucket, so the two
/// always agree. A scrape that runs during updates may see a sum from a slightly different
/// moment, which Prometheus tolerates.
final class DurationHistogram: Sendable {
    /// Upper bounds of the buckets, in seconds, from 0.5 ms to 2.5 s.
    static let upperBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    /// One counter per bound, plus one for observations above the last bound.
    private let buckets: [AtomicCounter]
    private let sumNanoseconds = AtomicCounter()

    init() {
        buckets = (0...Self.upperBounds.count).map { _ in AtomicCounter() }
    }

    func observe(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
        let secondsValue = Double(nanoseconds) / 1e9
        let index = Self.upperBounds.firstIndex { secondsValue <= $0 } ?? Self.upperBounds.count
        buckets[index].increment()
        sumNanoseconds.increment(by: UInt64(nanoseconds))
    }

    /// Returns the cumulative count for each bound (`+Inf` last), the sum in seconds and the count.
    func snapshot() -> (cumulative: [UInt64], sum: Double, count: UInt64) {
        var running: UInt64 = 0
        var cumulative: [UInt64] = []
        cumulative.reserveCapacity(buckets.count)
        for bucket in buckets {
            running += bucket.value
            cumulative.append(running)
        }
        return (cumulative, Double(sumNanoseconds.value) / 1e9, running)
    }
}
