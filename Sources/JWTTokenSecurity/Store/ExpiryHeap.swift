/// A binary min-heap of token expiry times, so the store finds expired tokens without
/// scanning every entry.
///
/// Entries are not removed when their token is revoked or evicted. They go stale instead:
/// an entry is live only while its slot still holds the same generation. Stale entries are
/// skipped when they reach the top, and `TokenTable` rebuilds the heap when they outnumber
/// the live ones, so the heap stays within a constant factor of the token count.
struct ExpiryHeap {
    struct Entry {
        /// Seconds since 1970, as `Date.timeIntervalSince1970`.
        var expiresAt: Double
        var slot: Int
        var generation: UInt64
    }

    private(set) var entries: [Entry] = []

    var count: Int { entries.count }

    var top: Entry? { entries.first }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        siftUp(from: entries.count - 1)
    }

    @discardableResult
    mutating func popTop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        if !entries.isEmpty { siftDown(from: 0) }
        return top
    }

    /// Replaces the contents with `entries` in O(n).
    mutating func rebuild(_ newEntries: [Entry]) {
        entries = newEntries
        var index = entries.count / 2
        while index > 0 {
            index -= 1
            siftDown(from: index)
        }
    }

    private mutating func siftUp(from start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].expiresAt < entries[parent].expiresAt else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count, entries[left].expiresAt < entries[smallest].expiresAt { smallest = left }
            if right < entries.count, entries[right].expiresAt < entries[smallest].expiresAt { smallest = right }
            guard smallest != parent else { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
