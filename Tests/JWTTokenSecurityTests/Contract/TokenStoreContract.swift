import Foundation
import InternalAPISecurity
import Testing

/// The behaviour every `TokenStore` must show, as checks any store's test suite can run.
///
/// A suite runs each check against fresh stores from its factory, for example:
/// `@Test(arguments: TokenStoreContract.Check.allCases) func contract(_ check: ...)` calling
/// `try await TokenStoreContract.run(check) { limits in try MyStore(limits: limits) }`.
/// Times are passed explicitly from `TokenRecords.start`, so no check sleeps.
enum TokenStoreContract {
    typealias Factory = @Sendable (TokenStoreLimits) async throws -> any TokenStore

    enum Check: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case insertThenValidate
        case expiryAtExactSecond
        case revokeReturnsTrueOnce
        case concurrentRevokeSucceedsOnce
        case unknownDigestIsAbsent
        case recordDoesNotTouch
        case evictsLeastRecentlyInserted
        case touchMakesTokenRecent
        case purgesExpiredBeforeEvicting
        case fullWithoutEviction
        case fullStoreStillPurgesExpired
        case removeExpiredCountsRemoved
        case removeAllSelectsRecords
        case reinsertSameDigestKeepsCount
        case parallelInsertsStayBounded
        case parallelInsertsWithoutEvictionStayBounded

        var testDescription: String { rawValue }
    }

    static func run(_ check: Check, makeStore: Factory) async throws {
        switch check {
        case .insertThenValidate: try await insertThenValidate(makeStore)
        case .expiryAtExactSecond: try await expiryAtExactSecond(makeStore)
        case .revokeReturnsTrueOnce: try await revokeReturnsTrueOnce(makeStore)
        case .concurrentRevokeSucceedsOnce: try await concurrentRevokeSucceedsOnce(makeStore)
        case .unknownDigestIsAbsent: try await unknownDigestIsAbsent(makeStore)
        case .recordDoesNotTouch: try await recordDoesNotTouch(makeStore)
        case .evictsLeastRecentlyInserted: try await evictsLeastRecentlyInserted(makeStore)
        case .touchMakesTokenRecent: try await touchMakesTokenRecent(makeStore)
        case .purgesExpiredBeforeEvicting: try await purgesExpiredBeforeEvicting(makeStore)
        case .fullWithoutEviction: try await fullWithoutEviction(makeStore)
        case .fullStoreStillPurgesExpired: try await fullStoreStillPurgesExpired(makeStore)
        case .removeExpiredCountsRemoved: try await removeExpiredCountsRemoved(makeStore)
        case .removeAllSelectsRecords: try await removeAllSelectsRecords(makeStore)
        case .reinsertSameDigestKeepsCount: try await reinsertSameDigestKeepsCount(makeStore)
        case .parallelInsertsStayBounded: try await parallelInserts(makeStore, removeOldest: true)
        case .parallelInsertsWithoutEvictionStayBounded: try await parallelInserts(makeStore, removeOldest: false)
        }
    }

    private static let start = TokenRecords.start

    private static func insertThenValidate(_ makeStore: Factory) async throws {
        let store = try await makeStore(TokenStoreLimits(maxSize: 5))
        let record = TokenRecords.record(1, admin: true)

        let result = try await store.insert(record, now: start)
        let validated = try await store.validate(record.digest, now: start.addingTimeInterval(10))

        #expect(result == .stored(evicted: 0, purged: 0))
        #expect(validated?.username == "user1")
        #expect(validated?.isAdmin == true)
        #expect(validated?.lastAccess == start.addingTimeInterval(10))
        #expect(try await store.count() == 1)
    }

    private static func expiryAtExactSecond(_ makeStore: Factory) async throws {
        let store = try await makeStore(TokenStoreLimits(maxSize: 5))
        let record = TokenRecords.record(1, lifetime: 60)
        _ = try await store.insert(record, now: start)

        let beforeExpiry = try await store.validate(record.digest, now: record.expiresAt.addingTimeInterval(-1))
        let atExpiry = try await store.validate(record.digest, now: record.expiresAt)

        #expect(beforeExpiry != nil)
        #expect(atExpiry == nil)
        #expect(try await store.count() == 0)
    }

    private static func revokeReturnsTrueOnce(_ makeStore: Factory) async throws {
        let store = try await makeStore(TokenStoreLimits(maxSize: 5))
        let revoked = TokenRecords.record(1)
        let kept = TokenRecords.record(2)
        _ = try await store.insert(revoked, now: start)
        _ = try await store.insert(kept, now: start)

        let first = try await store.revoke(revoked.digest)
        let second = try await store.revoke(revoked.digest)

        #expect(first)
        #expect(!second)
        #expect(try await store.validate(revoked.digest, now: start) == nil)
        #expect(try await store.record(for: revoked.digest) == nil)
        #expect(try await store.validate(kept.digest, now: start) != nil)
        #expect(try await store.count() == 1)
    }

    private static func concurrentRevokeSucceedsOnce(_ makeStore: Factory) async throws {
        let store = try await makeStore(TokenStoreLimits(maxSize: 100))
        for round in 0..<50 {
            let record = TokenRecords.record(round)
            _ = try await store.insert(record, now: start)

            let successes = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { try await store.revoke(record.digest) }
                group.addTask { try await store.revoke(record.digest) }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }

            #expect(successes == 1, "round \(round)")
        }
    }

    private static func unknownDigestIsAbsent(_ makeStore: Factory) async throws {
        let store = try await makeStore(TokenStoreLimits(maxSize: 5))
        _ = try await store.insert(TokenRecords.record(1), now: start)
        let unknown = TokenRecords.digest(99)

        #expect(try await store.validate(unknown, now: start) == nil)
        #expect(try await store.record(for: unknown) == nil)
        #expect(try await store.revoke(unknown) == false)
        #expect(try await store.count() == 1)
    }

    private static func recordDoesNotTouch(_ makeStore: Factory) async throws {
        let store = try await makeStore(TokenStoreLimits(maxSize: 2, removeOldestOnOverflow: true))
        let first = TokenRecords.record(1)
        let second = TokenRecords.record(2, issuedOffset: 1)
        _ = try await store.insert(first, now: start)
        _ = try await store.insert(second, now: start.addingTimeInterval(1))

        let read = try await store.record(for: first.digest)
        _ = try await store.insert(TokenRecords.record(3, issuedOffset: 2), now: start.addingTimeInterval(2))

        #expect(read?.lastAccess == start)
        #expect(try await store.record(for: first.digest) == nil)
        #expect(try await store.record(for: second.digest) != nil)
    }

    private static func evictsLeastRecentlyInserted(_ makeStore: Factory) async throws {
        let store = try await makeStore(TokenStoreLimits(maxSize: 3, removeOldestOnOverflow: true))
        for number in 1...3 {
            _ = try await store.insert(
                TokenRecords.record(number, issuedOffset: TimeInterval(number)),
                now: start.addingTimeInterval(TimeInterval(number)))
        }

        let result = try await store.insert(TokenRecords.record(4, issuedOffset: 4), now: start.addingTimeInterval(4))

        #expect(result == .stored(evicted: 1, purged: 0))
        #expect(try await store.record(for: TokenRecords.digest(1)) == nil)
        #expect(try await store.record(for: TokenRecords.digest(2)) != nil)
        #expect(try await store.record(for: TokenRecords.digest(4)) != nil)
        #expect(try await store.count() == 3)
    }

    private static func touchMakesTokenRecent(_ makeStore: Factory) async throws {
        let store = try await makeStore(TokenStoreLimits(maxSize: 3, removeOldestOnOverflow: true))
        for number in 1...3 {
            _ = try await store.insert(
                TokenRecords.record(number, issuedOffset: TimeInterval(number)),
                now: start.addingTimeInterval(TimeInterval(number)))
        }
        _ = try await store.validate(TokenRecords.digest(1), now: start.addingTimeInterval(10))

        let fourth = try await store.insert(TokenRecords.record(4, issuedOffset: 11), now: start.addingTimeInterval(11))
        let fifth = try await store.insert(TokenRecords.record(5, issuedOffset: 12), now: start.addingTimeInterval(12))

        #expect(fourth == .stored(evicted: 1, purged: 0))
        #expect(fifth == .stored(evicted: 1, purged: 0))
        #expect(try await store.record(for: TokenRecords.digest(1)) != nil)
        #expect(try await store.record(for: TokenRecords.digest(2)) == nil)
        #expect(try await store.record(for: TokenRecords.digest(3)) == nil)
        #expect(try await store.count() == 3)
    }

    private static func purgesExpiredBeforeEvicting(_ makeStore: Factory) async throws {
        let store = try await makeStore(TokenStoreLimits(maxSize: 2, removeOldestOnOverflow: true))
        let live = TokenRecords.record(1, lifetime: 3600)
        let shortLived = TokenRecords.record(2, issuedOffset: 1, lifetime: 10)
        _ = try await store.insert(live, now: start)
        _ = try await store.insert(shortLived, now: start.addingTimeInterval(1))

        let result = try await store.insert(TokenRecords.record(3, issuedOffset: 20), now: start.addingTimeInterval(20))

        #expect(result == .stored(evicted: 0, purged: 1))
        #expect(try await store.record(for: live.digest) != nil)
        #expect(try await store.record(for: shortLived.digest) == nil)
    }

    private static func fullWithoutEviction(_ makeStore: Factory) async throws {
        let store = try await makeStore(TokenStoreLimits(maxSize: 2, removeOldestOnOverflow: false))
        _ = try await store.insert(TokenRecords.record(1, lifetime: 100), now: start)
        _ = try await store.insert(TokenRecords.record(2, lifetime: 50), now: start)

        let rounded = try await store.insert(TokenRecords.record(3), now: start.addingTimeInterval(20.5))
        let lastSecond = try await store.insert(TokenRecords.record(4), now: start.addingTimeInterval(49.9))

        #expect(rounded == .full(retryAfter: 30))
        #expect(lastSecond == .full(retryAfter: 1))
        #expect(try await store.record(for: TokenRecords.digest(3)) == nil)
        #expect(try await store.count() == 2)
    }

    private static func fullStoreStillPurgesExpired(_ makeStore: Factory) async throws {
        let store = try await makeStore(TokenStoreLimits(maxSize: 2, removeOldestOnOverflow: false))
        _ = try await store.insert(TokenRecords.record(1, lifetime: 10), now: start)
        _ = try await store.insert(TokenRecords.record(2, lifetime: 100), now: start)

        let result = try await store.insert(TokenRecords.record(3, issuedOffset: 10), now: start.addingTimeInterval(10))

        #expect(result == .stored(evicted: 0, purged: 1))
        #expect(try await store.count() == 2)
    }

    private static func removeExpiredCountsRemoved(_ makeStore: Factory) async throws {
        let store = try await makeStore(TokenStoreLimits(maxSize: 10))
        for number in 1...6 {
            _ = try await store.insert(TokenRecords.record(number, lifetime: TimeInterval(number * 10)), now: start)
        }

        let none = try await store.removeExpired(now: start.addingTimeInterval(9))
        let three = try await store.removeExpired(now: start.addingTimeInterval(30))

        #expect(none == 0)
        #expect(three == 3)
        #expect(try await store.count() == 3)
        #expect(try await store.record(for: TokenRecords.digest(3)) == nil)
        #expect(try await store.record(for: TokenRecords.digest(4)) != nil)
    }

    private static func removeAllSelectsRecords(_ makeStore: Factory) async throws {
        let store = try await makeStore(TokenStoreLimits(maxSize: 10))
        for number in 1...6 {
            _ = try await store.insert(TokenRecords.record(number, admin: number.isMultiple(of: 2)), now: start)
        }

        let removed = try await store.removeAll { $0.isAdmin }
        let none = try await store.removeAll { $0.username == "nobody" }

        #expect(removed == 3)
        #expect(none == 0)
        #expect(try await store.count() == 3)
        #expect(try await store.record(for: TokenRecords.digest(2)) == nil)
        #expect(try await store.validate(TokenRecords.digest(1), now: start) != nil)
        #expect(try await store.revoke(TokenRecords.digest(4)) == false)
    }

    private static func reinsertSameDigestKeepsCount(_ makeStore: Factory) async throws {
        let store = try await makeStore(TokenStoreLimits(maxSize: 1, removeOldestOnOverflow: false))
        _ = try await store.insert(TokenRecords.record(1), now: start)

        let again = try await store.insert(TokenRecords.record(1), now: start)

        #expect(again == .stored(evicted: 0, purged: 0))
        #expect(try await store.count() == 1)
    }

    /// 64 concurrent inserts into a store of 10; every insert checks the count right after.
    private static func parallelInserts(_ makeStore: Factory, removeOldest: Bool) async throws {
        let maxSize = 10
        let store = try await makeStore(TokenStoreLimits(maxSize: maxSize, removeOldestOnOverflow: removeOldest))

        let outcomes = try await withThrowingTaskGroup(of: (TokenInsertResult, Int).self) { group in
            for number in 0..<64 {
                group.addTask {
                    let result = try await store.insert(TokenRecords.record(number), now: start)
                    return (result, try await store.count())
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        let largestCount = outcomes.map(\.1).max() ?? 0
        let stored = outcomes.filter { if case .stored = $0.0 { true } else { false } }.count
        #expect(outcomes.count == 64)
        #expect(largestCount <= maxSize)
        #expect(try await store.count() == maxSize)
        #expect(stored == (removeOldest ? 64 : maxSize))
    }
}
