import Synchronization

/// A counter that many threads increment without a lock.
///
/// A class, because `Atomic` is not copyable and so cannot be stored in an array directly.
final class AtomicCounter: Sendable {
    private let storage = Atomic<UInt64>(0)

    init() {}

    func increment(by amount: UInt64 = 1) {
        storage.wrappingAdd(amount, ordering: .relaxed)
    }

    var value: UInt64 {
        storage.load(ordering: .relaxed)
    }
}
