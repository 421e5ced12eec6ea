import CShims
import Foundation
import InternalAPISecurity
import Synchronization

/// A bounded token store in process memory: the default store of `JWTTokenSecurityHandler`.
///
/// Every operation runs under one `Mutex`, so the capacity check and the insert are atomic and
/// concurrent logins never leave more than `limits.maxSize` tokens. Lookup, insert, touch,
/// revoke and eviction are O(1); removing k expired tokens costs O(k log n). No call suspends
/// or blocks on I/O, so the handler decides a bearer request without leaving its executor.
///
/// Tokens are lost when the process exits. Nodes of a cluster need a shared store instead.
public final class InMemoryTokenStore: TokenStore {
    public let limits: TokenStoreLimits
    private let table = Mutex(TokenTable())

    /// - Throws: `invalidArgument` when `limits.maxSize` is below 1.
    public init(limits: TokenStoreLimits) throws {
        guard limits.maxSize >= 1 else {
            throw SecurityError(
                .invalidArgument, reason: "Token store size must be at least 1", value: String(limits.maxSize),
                fix: "set <TokenStoreConfig><MaxSize> to a positive number, for example 200")
        }
        self.limits = limits
    }

    public func insert(_ record: TokenRecord, now: Date) -> TokenInsertResult {
        withTable { table in
            if table.record(for: record.digest) != nil {
                table.insert(record)
                return .stored(evicted: 0, purged: 0)
            }

            var purged = 0
            if table.count >= limits.maxSize {
                purged = table.removeExpired(now: now)
            }
            var evicted = 0
            if table.count >= limits.maxSize {
                guard limits.removeOldestOnOverflow else {
                    return .full(retryAfter: Self.secondsUntil(table.earliestExpiry(), from: now))
                }
                while table.count >= limits.maxSize, table.removeLeastRecentlyAccessed() != nil {
                    evicted += 1
                }
            }
            table.insert(record)
            return .stored(evicted: evicted, purged: purged)
        }
    }

    public func validate(_ digest: TokenDigest, now: Date) -> TokenRecord? {
        withTable { table in
            guard let record = table.record(for: digest) else { return nil }
            guard !record.isExpired(at: now) else {
                table.remove(digest)
                return nil
            }
            return table.touch(digest, at: now)
        }
    }

    public func record(for digest: TokenDigest) -> TokenRecord? {
        withTable { $0.record(for: digest) }
    }

    public func revoke(_ digest: TokenDigest) -> Bool {
        withTable { $0.remove(digest) != nil }
    }

    public func removeExpired(now: Date) -> Int {
        withTable { $0.removeExpired(now: now) }
    }

    public func count() -> Int {
        withTable { $0.count }
    }

    public func removeAll(where shouldRemove: @escaping @Sendable (TokenRecord) -> Bool) -> Int {
        withTable { $0.removeAll(where: shouldRemove) }
    }

    /// Runs `body` with the table under the lock.
    ///
    /// The annotations let ThreadSanitizer see the lock: on Linux a contended `Mutex` is
    /// handed over by the kernel (FUTEX_LOCK_PI), which the sanitizer cannot observe, so it
    /// reported races between critical sections. They cost one empty C call each otherwise.
    private func withTable<Result>(_ body: (inout TokenTable) -> Result) -> Result {
        let address = Unmanaged.passUnretained(self).toOpaque()
        return table.withLock { table in
            cshims_tsan_acquire(address)
            defer { cshims_tsan_release(address) }
            return body(&table)
        }
    }

    /// Whole seconds from `now` until `date`, rounded up and at least 1, for `Retry-After`.
    private static func secondsUntil(_ date: Date?, from now: Date) -> Int {
        guard let date else { return 1 }
        let seconds = date.timeIntervalSince(now).rounded(.up)
        // Clamped before converting, because a far-future expiry would overflow `Int`.
        return Int(min(max(seconds, 1), Double(Int32.max)))
    }
}
