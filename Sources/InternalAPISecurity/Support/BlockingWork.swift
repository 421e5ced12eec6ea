import Dispatch

/// Runs blocking work (slow password hashes, synchronous network calls) on a dedicated
/// Dispatch queue instead of the caller's executor, so an event loop is never stalled.
public enum BlockingWork {
    private static let queue = DispatchQueue(
        label: "internal-api-security.blocking", qos: .userInitiated, attributes: .concurrent)

    /// Runs `work` on the blocking queue and returns its result to the awaiting task.
    public static func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Swift.Result { try work() })
            }
        }
    }
}
