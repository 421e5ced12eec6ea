import CShims
import Foundation
import InternalAPISecurity
import Synchronization

/// Removes expired tokens from a store at a fixed interval, but only while the store holds
/// tokens: the loop stops when the store is empty and starts again with the next token.
///
/// Expiry is also checked on every request, so the task only frees memory; a token is never
/// accepted past its `exp` because the task has not run yet.
///
/// Call `tokenStored()` after each successful insert. The sleep between runs is injected, so
/// tests drive the loop without waiting; `runOnce()` runs one pass directly.
public final class TokenCleanupTask: Sendable {
    /// Suspends for the given duration; throws `CancellationError` when the task is cancelled.
    public typealias Sleeper = @Sendable (Duration) async throws -> Void

    /// Sleeps with `Task.sleep`.
    public static let taskSleeper: Sleeper = { duration in try await Task.sleep(for: duration) }

    private struct State {
        var loop: Task<Void, Never>?
        /// Set by `tokenStored()`; a pass may stop the loop only if no token arrived since it began.
        var tokenStoredDuringPass = false
        var isShutDown = false
    }

    public let store: any TokenStore
    /// The time between passes.
    public let interval: Duration
    private let clock: any WallClock
    private let logger: Logger
    private let sleeper: Sleeper
    private let state = Mutex(State())

    /// - Throws: `invalidArgument` when `interval` is not positive.
    public init(
        store: any TokenStore, interval: Duration, clock: any WallClock, logger: Logger,
        sleeper: @escaping Sleeper = TokenCleanupTask.taskSleeper
    ) throws {
        guard interval > .zero else {
            throw SecurityError(
                .invalidArgument, reason: "Token cleanup interval must be positive",
                value: String(describing: interval),
                fix: "set <TokenStoreConfig><TokenCleanupTaskInterval> to a number of seconds, for example 600")
        }
        self.store = store
        self.interval = interval
        self.clock = clock
        self.logger = logger
        self.sleeper = sleeper
    }

    /// Whether the loop is running (sleeping or in a pass).
    public var isScheduled: Bool {
        withState { $0.loop != nil }
    }

    /// Starts the loop unless it is running. Cheap enough to call after every insert.
    public func tokenStored() {
        withState { state in
            state.tokenStoredDuringPass = true
            guard state.loop == nil, !state.isShutDown else { return }
            state.loop = Task { [self] in await runLoop() }
        }
    }

    /// Runs one pass: removes the tokens expired now, then stops the loop when the store is
    /// empty and no token was stored meanwhile.
    ///
    /// - Returns: whether the loop stays scheduled.
    @discardableResult
    public func runOnce() async -> Bool {
        withState { $0.tokenStoredDuringPass = false }

        var remaining = 1
        do {
            let removed = try await store.removeExpired(now: clock.now())
            remaining = try await store.count()
            if removed > 0 {
                logger.debug(
                    "expired tokens removed", metadata: ["count": String(removed), "remaining": String(remaining)])
            }
        } catch {
            // Keep the loop alive so the next pass retries; the store may be back by then.
            logger.warning("token cleanup failed", metadata: ["error": String(describing: error)])
        }

        return withState { state in
            guard remaining == 0, !state.tokenStoredDuringPass else { return state.loop != nil }
            state.loop?.cancel()
            state.loop = nil
            return false
        }
    }

    /// Stops the loop for good, for example when the handler is replaced.
    public func shutDown() {
        withState { state in
            state.isShutDown = true
            state.loop?.cancel()
            state.loop = nil
        }
    }

    /// Runs `body` with the state under the lock, annotated for ThreadSanitizer as
    /// `InMemoryTokenStore` does, because every login calls `tokenStored()` concurrently.
    private func withState<Result>(_ body: (inout State) -> Result) -> Result {
        let address = Unmanaged.passUnretained(self).toOpaque()
        return state.withLock { state in
            cshims_tsan_acquire(address)
            defer { cshims_tsan_release(address) }
            return body(&state)
        }
    }

    private func runLoop() async {
        logger.debug("token cleanup started", metadata: ["interval": String(describing: interval)])
        while !Task.isCancelled {
            do {
                try await sleeper(interval)
            } catch {
                break
            }
            guard !Task.isCancelled, await runOnce() else { break }
        }
        logger.debug("token cleanup stopped")
    }
}
