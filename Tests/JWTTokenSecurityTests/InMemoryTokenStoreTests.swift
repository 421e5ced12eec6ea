import Foundation
import InternalAPISecurity
import JWTTokenSecurity
import Testing

@Suite("InMemoryTokenStore")
struct InMemoryTokenStoreTests {
    @Test(arguments: TokenStoreContract.Check.allCases)
    func contract(_ check: TokenStoreContract.Check) async throws {
        try await TokenStoreContract.run(check) { limits in try InMemoryTokenStore(limits: limits) }
    }

    @Test func zeroSizeRejected() {
        #expect(throws: SecurityError.self) {
            try InMemoryTokenStore(limits: TokenStoreLimits(maxSize: 0))
        }
    }

    @Test func evictionOrderFollowsAccess() throws {
        let store = try InMemoryTokenStore(limits: TokenStoreLimits(maxSize: 4, removeOldestOnOverflow: true))
        let start = TokenRecords.start
        for number in 1...4 {
            _ = store.insert(TokenRecords.record(number), now: start)
        }
        // Access order after this: 3, 1, 4, 2 (least recent first).
        for (offset, number) in [3, 1, 4, 2].enumerated() {
            _ = store.validate(TokenRecords.digest(number), now: start.addingTimeInterval(TimeInterval(offset + 1)))
        }

        var evictedOrder: [Int] = []
        for number in 10..<14 {
            _ = store.insert(TokenRecords.record(number), now: start.addingTimeInterval(10))
            let evictedNow = [1, 2, 3, 4].filter {
                store.record(for: TokenRecords.digest($0)) == nil && !evictedOrder.contains($0)
            }
            evictedOrder += evictedNow
        }

        #expect(evictedOrder == [3, 1, 4, 2])
    }

    @Test func heavyChurnKeepsBounds() throws {
        let store = try InMemoryTokenStore(limits: TokenStoreLimits(maxSize: 50, removeOldestOnOverflow: true))
        let start = TokenRecords.start
        for number in 0..<5_000 {
            let now = start.addingTimeInterval(TimeInterval(number))
            let record = TokenRecords.record(
                number, issuedOffset: TimeInterval(number), lifetime: TimeInterval(1 + number % 97))
            let result = store.insert(record, now: now)
            if number % 3 == 0 { _ = store.revoke(record.digest) }
            #expect(result != .full(retryAfter: 0))
            #expect(store.count() <= 50)
        }

        let removed = store.removeExpired(now: start.addingTimeInterval(10_000))

        #expect(removed >= 0)
        #expect(store.count() == 0)
    }
}
