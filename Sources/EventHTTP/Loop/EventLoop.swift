import CLibEvent
import CShims
import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One libevent `event_base` driven by its own thread.
///
/// Connections, timers and listeners created on a loop are used only on its thread. Other
/// threads hand work over with `execute(_:)`, which wakes the loop through a persistent libevent
/// user event activated with `event_active`, so an idle loop sleeps in `epoll_wait`.
///
/// The loop is a `TaskExecutor` (SE-0417): `Task(executorPreference: loop) { ... }` runs its
/// synchronous stretches on the loop thread and resumes there after each suspension.
///
/// Thread safety: `execute(_:)`, `enqueue(_:)` and `inEventLoop` may be called from any thread.
/// The class is `@unchecked Sendable` because its libevent pointers are touched only on the loop
/// thread, or through the libevent calls that are thread safe once pthread locking is on
/// (`event_active`, `event_base_loopexit`), and its queue is guarded by a mutex.
public final class EventLoop: TaskExecutor, @unchecked Sendable {
    private enum Work: Sendable {
        case closure(@Sendable () -> Void)
        case job(UnownedJob)
    }

    private struct Queue {
        var work: [Work] = []
        var isShutDown = false
    }

    /// The libevent base. Use it only on the loop thread.
    let base: OpaquePointer
    private var wakeEvent: OpaquePointer?
    private let queue = Mutex(Queue())
    private let threadID = Atomic<UInt>(0)
    private let stopped = DispatchSemaphore(value: 0)

    /// The loop's name, also its thread's name, for logs and debugging.
    public let name: String

    /// Creates the loop and starts its thread; returns once the thread is running.
    public init(name: String = "event-loop") {
        LibEvent.prepared
        guard let base = event_base_new() else {
            fatalError("event_base_new failed: libevent could not create an event base")
        }
        self.base = base
        self.name = name

        let started = DispatchSemaphore(value: 0)
        wakeEvent = event_new(
            base, -1, Int16(EV_PERSIST), eventLoopWakeCallback, Unmanaged.passUnretained(self).toOpaque())
        let thread = Thread { [self] in
            threadID.store(UInt(pthread_self()), ordering: .releasing)
            started.signal()
            run()
        }
        thread.name = name
        thread.start()
        started.wait()
    }

    /// True when called on this loop's thread.
    public var inEventLoop: Bool {
        threadID.load(ordering: .acquiring) == UInt(pthread_self())
    }

    /// Runs `work` on the loop thread, after the callbacks already queued.
    ///
    /// Work submitted after `shutdown()` is dropped, because no thread is left to run it.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        submit(.closure(work))
    }

    /// Runs a job of a task whose executor preference is this loop, on the loop thread.
    ///
    /// NOTE: a job enqueued after `shutdown()` is dropped, so its task never resumes.
    public func enqueue(_ job: consuming ExecutorJob) {
        submit(.job(UnownedJob(job)))
    }

    /// Runs `work` on the loop thread and waits for its result, or returns nil at once when
    /// the loop has been shut down. Calls `work` directly when already on the loop thread.
    func submitAndWait<Result: Sendable>(_ work: @escaping @Sendable () -> Result) -> Result? {
        if inEventLoop { return work() }
        let result = Mutex<Result?>(nil)
        let done = DispatchSemaphore(value: 0)
        let accepted = submit(
            .closure {
                let value = work()
                result.withLock { $0 = value }
                done.signal()
            })
        guard accepted else { return nil }
        done.wait()
        return result.withLock { $0 }
    }

    /// Stops the loop after the work already queued and waits for its thread to end.
    ///
    /// Must not be called on the loop's own thread, which cannot wait for itself.
    public func shutdown() {
        precondition(!inEventLoop, "EventLoop.shutdown() called on its own thread")
        let alreadyShutDown = withQueue { queue in
            defer { queue.isShutDown = true }
            return queue.isShutDown
        }
        guard !alreadyShutDown else { return }
        event_active(wakeEvent, 0, 0)
        stopped.wait()
    }

    /// Queues `work` and wakes the loop; returns false when the loop is shut down.
    @discardableResult
    private func submit(_ work: Work) -> Bool {
        let (accepted, shouldWake) = withQueue { queue -> (Bool, Bool) in
            guard !queue.isShutDown else { return (false, false) }
            queue.work.append(work)
            return (true, queue.work.count == 1)
        }
        // One activation per batch is enough, because the callback drains everything queued.
        if shouldWake {
            event_active(wakeEvent, 0, 0)
        }
        return accepted
    }

    /// Runs `body` with the work queue under its lock.
    ///
    /// The annotations let ThreadSanitizer see the lock: a contended `Mutex` is handed over in
    /// the kernel on Linux, which the sanitizer cannot observe, so it reported races between the
    /// loop draining the queue and other threads submitting to it.
    private func withQueue<Result>(_ body: (inout Queue) -> Result) -> Result {
        let address = Unmanaged.passUnretained(self).toOpaque()
        return queue.withLock { queue in
            cshims_tsan_acquire(address)
            defer { cshims_tsan_release(address) }
            return body(&queue)
        }
    }

    private func run() {
        event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY)
        event_free(wakeEvent)
        wakeEvent = nil
        event_base_free(base)
        stopped.signal()
    }

    fileprivate func drainQueue() {
        let (batch, isShutDown) = withQueue { queue in
            defer { queue.work.removeAll(keepingCapacity: true) }
            return (queue.work, queue.isShutDown)
        }
        for work in batch {
            switch work {
            case .closure(let closure):
                closure()
            case .job(let job):
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }
        if isShutDown {
            event_base_loopbreak(base)
        }
    }
}

private func eventLoopWakeCallback(_ fd: Int32, _ events: Int16, _ context: UnsafeMutableRawPointer?) {
    guard let context else { return }
    let loop = Unmanaged<EventLoop>.fromOpaque(context).takeUnretainedValue()
    loop.drainQueue()
}
