/// The request counters and duration histogram of one API, updated without locks.
final class APIRequestMetrics: Sendable {
    /// The `api` label value.
    let name: String
    /// One counter per status code from 100 to 599, then one for codes outside that range.
    private let statusCounters: [AtomicCounter]
    let durations = DurationHistogram()

    init(name: String) {
        self.name = name
        statusCounters = (0...500).map { _ in AtomicCounter() }
    }

    func record(status: Int, duration: Duration) {
        let index = (100...599).contains(status) ? status - 100 : 500
        statusCounters[index].increment()
        durations.observe(duration)
    }

    /// Returns the status label and count of every status seen at least once, in code order.
    func statusCounts() -> [(status: String, count: UInt64)] {
        var counts: [(status: String, count: UInt64)] = []
        for (index, counter) in statusCounters.enumerated() {
            let count = counter.value
            guard count > 0 else { continue }
            counts.append((index == 500 ? "other" : String(index + 100), count))
        }
        return counts
    }
}
