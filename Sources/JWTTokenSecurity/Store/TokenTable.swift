import Foundation
import InternalAPISecurity

/// The data structure behind `InMemoryTokenStore`; not thread-safe on its own.
///
/// Records live in an array of slots indexed by digest. The slots form an intrusive doubly
/// linked list from least to most recently accessed, so lookup, insert, touch and eviction
/// are O(1). An `ExpiryHeap` finds expired records in O(log n) each.
struct TokenTable {
    private struct Slot {
        var record: TokenRecord?
        var previous = -1
        var next = -1
        /// Changes whenever the slot gets a new record, so heap entries of an earlier record go stale.
        var generation: UInt64 = 0
    }

    private var slots: [Slot] = []
    private var freeSlots: [Int] = []
    private var index: [TokenDigest: Int] = [:]
    /// The least recently accessed slot, or -1 when empty.
    private var head = -1
    /// The most recently accessed slot, or -1 when empty.
    private var tail = -1
    private var expiries = ExpiryHeap()
    private var nextGeneration: UInt64 = 1

    var count: Int { index.count }

    func record(for digest: TokenDigest) -> TokenRecord? {
        guard let slot = index[digest] else { return nil }
        return slots[slot].record
    }

    /// The least recently accessed record, the next one eviction removes.
    var leastRecentlyAccessed: TokenRecord? {
        head >= 0 ? slots[head].record : nil
    }

    /// Adds a record as the most recently accessed one, or replaces the record with the same digest.
    mutating func insert(_ record: TokenRecord) {
        let slot: Int
        if let existing = index[record.digest] {
            slot = existing
            unlink(slot)
        } else if let free = freeSlots.popLast() {
            slot = free
        } else {
            slot = slots.count
            slots.append(Slot())
        }
        let generation = nextGeneration
        nextGeneration += 1
        slots[slot].record = record
        slots[slot].generation = generation
        index[record.digest] = slot
        linkAsMostRecent(slot)
        expiries.push(.init(expiresAt: record.expiresAt.timeIntervalSince1970, slot: slot, generation: generation))
    }

    /// Marks the record accessed at `now` and moves it to the most recent end.
    mutating func touch(_ digest: TokenDigest, at now: Date) -> TokenRecord? {
        guard let slot = index[digest] else { return nil }
        slots[slot].record?.lastAccess = now
        unlink(slot)
        linkAsMostRecent(slot)
        return slots[slot].record
    }

    @discardableResult
    mutating func remove(_ digest: TokenDigest) -> TokenRecord? {
        guard let slot = index.removeValue(forKey: digest) else { return nil }
        let record = slots[slot].record
        unlink(slot)
        slots[slot].record = nil
        freeSlots.append(slot)
        compactExpiriesIfMostlyStale()
        return record
    }

    /// Removes every record `shouldRemove` selects and returns how many there were.
    mutating func removeAll(where shouldRemove: (TokenRecord) -> Bool) -> Int {
        let selected = slots.compactMap { slot in slot.record.flatMap { shouldRemove($0) ? $0.digest : nil } }
        for digest in selected {
            remove(digest)
        }
        return selected.count
    }

    /// Removes the least recently accessed record.
    mutating func removeLeastRecentlyAccessed() -> TokenRecord? {
        guard let digest = leastRecentlyAccessed?.digest else { return nil }
        return remove(digest)
    }

    /// Removes every record expired at `now` and returns how many there were.
    mutating func removeExpired(now: Date) -> Int {
        let limit = now.timeIntervalSince1970
        var removed = 0
        while let top = expiries.top, top.expiresAt <= limit {
            expiries.popTop()
            if let record = liveRecord(top) {
                remove(record.digest)
                removed += 1
            }
        }
        return removed
    }

    /// The earliest expiry among the stored records, or nil when empty.
    mutating func earliestExpiry() -> Date? {
        while let top = expiries.top {
            if liveRecord(top) != nil {
                return Date(timeIntervalSince1970: top.expiresAt)
            }
            expiries.popTop()
        }
        return nil
    }

    private func liveRecord(_ entry: ExpiryHeap.Entry) -> TokenRecord? {
        let slot = slots[entry.slot]
        return slot.generation == entry.generation ? slot.record : nil
    }

    /// Rebuilds the heap from the live records once stale entries outnumber them, which keeps
    /// memory proportional to the token count at an amortised O(1) per removal.
    private mutating func compactExpiriesIfMostlyStale() {
        guard expiries.count > 2 * count + 64 else { return }
        var live: [ExpiryHeap.Entry] = []
        live.reserveCapacity(count)
        for slot in index.values {
            if let record = slots[slot].record {
                live.append(
                    .init(
                        expiresAt: record.expiresAt.timeIntervalSince1970, slot: slot,
                        generation: slots[slot].generation))
            }
        }
        expiries.rebuild(live)
    }

    private mutating func unlink(_ slot: Int) {
        let previous = slots[slot].previous
        let next = slots[slot].next
        if previous >= 0 { slots[previous].next = next } else { head = next }
        if next >= 0 { slots[next].previous = previous } else { tail = previous }
        slots[slot].previous = -1
        slots[slot].next = -1
    }

    private mutating func linkAsMostRecent(_ slot: Int) {
        slots[slot].previous = tail
        slots[slot].next = -1
        if tail >= 0 { slots[tail].next = slot } else { head = slot }
        tail = slot
    }
}
