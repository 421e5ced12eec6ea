import Foundation
import Synchronization

/// A fixed set of event loops, one thread each, handed out round-robin.
///
/// Thread safety: every method may be called from any thread, except `shutdownGracefully()`,
/// which must not run on one of the group's loops.
public final class EventLoopGroup: Sendable {
    /// The loops, in creation order.
    public let loops: [EventLoop]
    private let nextIndex = Atomic<UInt>(0)

    /// Starts `numberOfThreads` loops, by default one per active processor core.
    public init(numberOfThreads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        let count = max(1, numberOfThreads)
        loops = (0..<count).map { EventLoop(name: "event-loop-\($0)") }
    }

    /// Returns the loops in turn.
    public func next() -> EventLoop {
        let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
        return loops[Int(index % UInt(loops.count))]
    }

    /// Stops every loop after the work already queued on it and waits for the threads to end.
    ///
    /// Stop servers on the group first (`HTTPServer.stop(deadline:)`), so connections are
    /// closed cleanly instead of abandoned.
    public func shutdownGracefully() {
        for loop in loops {
            loop.shutdown()
        }
    }
}
