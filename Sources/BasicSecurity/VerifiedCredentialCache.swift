import Foundation
import InternalAPISecurity
import Synchronization

/// Bounded, thread-safe memory of credentials the user store accepted recently.
///
/// Entries are keyed by `CredentialDigest` and expire `timeToLive` seconds after the store
/// accepted them; a hit does not extend the lifetime. Failures are never stored. Lookups take a
/// short lock and never suspend, so a hit is decided on the caller's thread.
///
/// NOTE: a user removed from the store, or whose password changed, stays accepted until their
/// entry expires, at most `timeToLive` seconds later.
final class VerifiedCredentialCache: Sendable {
    private struct Entry {
        var principal: Principal
        var expiry: Date
    }

    let capacity: Int
    let timeToLive: TimeInterval
    private let clock: any WallClock
    private let entries = Mutex<[CredentialDigest: Entry]>([:])

    /// - Parameters:
    ///   - capacity: the maximum number of entries, at least 1.
    ///   - timeToLive: how long an entry stays valid, in seconds, greater than 0.
    init(capacity: Int, timeToLive: TimeInterval, clock: any WallClock) {
        self.capacity = capacity
        self.timeToLive = timeToLive
        self.clock = clock
    }

    /// The number of entries held, expired ones included until they are purged.
    var count: Int {
        entries.withLock { $0.count }
    }

    /// Returns the principal stored for `digest` when its entry has not expired.
    func principal(for digest: CredentialDigest) -> Principal? {
        let now = clock.now()
        return entries.withLock { table in
            guard let entry = table[digest] else { return nil }
            guard entry.expiry > now else {
                table[digest] = nil
                return nil
            }
            return entry.principal
        }
    }

    /// Stores a principal the user store has just accepted.
    ///
    /// When the cache is full, expired entries are purged first, then the entry closest to
    /// expiry (the oldest, since every entry has the same lifetime) is evicted. That scan costs
    /// O(capacity), paid only on a store miss, which already costs a password hash.
    func insert(_ principal: Principal, for digest: CredentialDigest) {
        let now = clock.now()
        let entry = Entry(principal: principal, expiry: now.addingTimeInterval(timeToLive))
        entries.withLock { table in
            if table[digest] == nil, table.count >= capacity {
                table = table.filter { $0.value.expiry > now }
                if table.count >= capacity, let oldest = table.min(by: { $0.value.expiry < $1.value.expiry }) {
                    table[oldest.key] = nil
                }
            }
            table[digest] = entry
        }
    }
}
