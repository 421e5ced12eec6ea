import Foundation
import InternalAPISecurity
import JWTTokenSecurity
import Testing

@Suite("TokenCleanupTask")
struct TokenCleanupTaskTests {
    let clock = ManualClock(TokenRecords.start)
    let sleeper = ManualSleeper()
    let store: InMemoryTokenStore
    let task: TokenCleanupTask

    init() throws {
        store = try InMemoryTokenStore(limits: TokenStoreLimits(maxSize: 10))
        let sleeper = self.sleeper
        task = try TokenCleanupTask(
            store: store, interval: .seconds(600), clock: clock, logger: .disabled(),
            sleeper: { try await sleeper.sleep($0) })
    }

    @Test func idleUntilFirstToken() {
        #expect(!task.isScheduled)
    }

    @Test func firstTokenStartsLoop() async {
        _ = store.insert(TokenRecords.record(1), now: clock.now())
        task.tokenStored()

        await sleeper.waitForSleep(count: 1)

        #expect(task.isScheduled)
        #expect(sleeper.sleepCalls == 1)
        task.shutDown()
    }

    @Test func passRemovesExpiredAndKeepsRunning() async {
        _ = store.insert(TokenRecords.record(1, lifetime: 100), now: clock.now())
        _ = store.insert(TokenRecords.record(2, lifetime: 1000), now: clock.now())
        task.tokenStored()
        await sleeper.waitForSleep(count: 1)

        clock.advance(by: 600)
        sleeper.wake()
        await sleeper.waitForSleep(count: 2)

        #expect(store.count() == 1)
        #expect(task.isScheduled)
        task.shutDown()
    }

    @Test func emptyStoreStopsLoop() async {
        _ = store.insert(TokenRecords.record(1, lifetime: 100), now: clock.now())
        task.tokenStored()
        await sleeper.waitForSleep(count: 1)

        clock.advance(by: 600)
        let stillScheduled = await task.runOnce()

        #expect(!stillScheduled)
        #expect(!task.isScheduled)
        #expect(store.count() == 0)
    }

    @Test func nextTokenRestartsLoop() async {
        _ = store.insert(TokenRecords.record(1, lifetime: 100), now: clock.now())
        task.tokenStored()
        await sleeper.waitForSleep(count: 1)
        clock.advance(by: 600)
        sleeper.wake()
        await waitUntilStopped()

        _ = store.insert(TokenRecords.record(2, issuedOffset: 600), now: clock.now())
        task.tokenStored()
        await sleeper.waitForSleep(count: 2)

        #expect(task.isScheduled)
        #expect(sleeper.sleepCalls == 2)
        task.shutDown()
    }

    @Test func tokenDuringPassKeepsLoop() async throws {
        let inner = try InMemoryTokenStore(limits: TokenStoreLimits(maxSize: 10))
        let hooked = HookedTokenStore(inner)
        let task = try TokenCleanupTask(
            store: hooked, interval: .seconds(600), clock: clock, logger: .disabled(),
            sleeper: { [sleeper] in try await sleeper.sleep($0) })
        _ = inner.insert(TokenRecords.record(1, lifetime: 100), now: clock.now())
        clock.advance(by: 600)
        // A login lands while the pass runs: after it read the flag, before its count.
        hooked.afterRemoveExpired = {
            _ = inner.insert(TokenRecords.record(2, issuedOffset: 600), now: TokenRecords.start.addingTimeInterval(600))
            task.tokenStored()
        }
        task.tokenStored()
        await sleeper.waitForSleep(count: 1)

        let stillScheduled = await task.runOnce()

        #expect(stillScheduled)
        #expect(task.isScheduled)
        #expect(inner.count() == 1)
        task.shutDown()
    }

    @Test func emptyPassWithoutLoginStops() async throws {
        let inner = try InMemoryTokenStore(limits: TokenStoreLimits(maxSize: 10))
        let hooked = HookedTokenStore(inner)
        let task = try TokenCleanupTask(
            store: hooked, interval: .seconds(600), clock: clock, logger: .disabled(),
            sleeper: { [sleeper] in try await sleeper.sleep($0) })
        _ = inner.insert(TokenRecords.record(1, lifetime: 100), now: clock.now())
        clock.advance(by: 600)
        task.tokenStored()
        await sleeper.waitForSleep(count: 1)

        let stillScheduled = await task.runOnce()

        #expect(!stillScheduled)
        #expect(!task.isScheduled)
    }

    @Test func shutDownStopsForGood() async {
        _ = store.insert(TokenRecords.record(1), now: clock.now())
        task.tokenStored()
        task.shutDown()
        task.tokenStored()

        #expect(!task.isScheduled)
    }

    @Test func nonPositiveIntervalRejected() {
        #expect(throws: SecurityError.self) {
            try TokenCleanupTask(store: store, interval: .zero, clock: clock, logger: .disabled())
        }
    }

    /// Waits for the loop to finish its pass after a `wake()`, by yielding in a bounded loop.
    private func waitUntilStopped() async {
        for _ in 0..<10_000 where task.isScheduled {
            await Task.yield()
        }
    }
}
