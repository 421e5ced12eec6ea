import Foundation
import InternalAPISecurity
import JWTTokenSecurity
import Synchronization

/// Wraps a store and runs a closure after each `removeExpired`, to place a concurrent login
/// at an exact point of a cleanup pass.
final class HookedTokenStore: TokenStore {
    private let inner: InMemoryTokenStore
    private let hook = Mutex<(@Sendable () -> Void)?>(nil)

    init(_ inner: InMemoryTokenStore) {
        self.inner = inner
    }

    var afterRemoveExpired: (@Sendable () -> Void)? {
        get { hook.withLock { $0 } }
        set { hook.withLock { $0 = newValue } }
    }

    var limits: TokenStoreLimits { inner.limits }

    func insert(_ record: TokenRecord, now: Date) -> TokenInsertResult { inner.insert(record, now: now) }
    func validate(_ digest: TokenDigest, now: Date) -> TokenRecord? { inner.validate(digest, now: now) }
    func record(for digest: TokenDigest) -> TokenRecord? { inner.record(for: digest) }
    func revoke(_ digest: TokenDigest) -> Bool { inner.revoke(digest) }
    func count() -> Int { inner.count() }
    func removeAll(where shouldRemove: @escaping @Sendable (TokenRecord) -> Bool) -> Int {
        inner.removeAll(where: shouldRemove)
    }

    func removeExpired(now: Date) -> Int {
        let removed = inner.removeExpired(now: now)
        afterRemoveExpired?()
        return removed
    }
}
