import Synchronization

/// A `TokenCleanupTask.Sleeper` that returns only when the test calls `wake()`, so the
/// cleanup loop can be stepped without real time passing.
final class ManualSleeper: Sendable {
    private struct State {
        var sleeping: [CheckedContinuation<Void, any Error>] = []
        var sleepCalls = 0
        var waitingForSleep: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    /// How many times the loop went to sleep so far.
    var sleepCalls: Int { state.withLock { $0.sleepCalls } }

    func sleep(_ duration: Duration) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    // Checked under the lock: a cancellation handler that already ran found nothing to end.
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                        return []
                    }
                    state.sleeping.append(continuation)
                    state.sleepCalls += 1
                    let calls = state.sleepCalls
                    let ready = state.waitingForSleep.filter { $0.count <= calls }.map(\.continuation)
                    state.waitingForSleep.removeAll { $0.count <= calls }
                    return ready
                }
                for continuation in ready { continuation.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { state in
                defer { state.sleeping.removeAll() }
                return state.sleeping
            }
            for continuation in cancelled { continuation.resume(throwing: CancellationError()) }
        }
    }

    /// Suspends until the loop has gone to sleep at least `count` times in total.
    func waitForSleep(count: Int) async {
        await withCheckedContinuation { continuation in
            let alreadyThere = state.withLock { state -> Bool in
                if state.sleepCalls >= count { return true }
                state.waitingForSleep.append((count, continuation))
                return false
            }
            if alreadyThere { continuation.resume() }
        }
    }

    /// Ends every current sleep, so the loop runs its next pass.
    func wake() {
        let sleeping = state.withLock { state in
            defer { state.sleeping.removeAll() }
            return state.sleeping
        }
        for continuation in sleeping { continuation.resume() }
    }
}
