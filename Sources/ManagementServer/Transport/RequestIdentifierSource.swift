import Synchronization

/// Makes request ids: a random per-process prefix and a counter, such as `3f9a1c07-000042`.
///
/// The prefix keeps ids from two runs or two nodes apart in merged logs; the counter keeps
/// each id cheap to make on the hot path.
final class RequestIdentifierSource: Sendable {
    private let prefix: String
    private let counter = Atomic<UInt64>(0)

    init() {
        var generator = SystemRandomNumberGenerator()
        let value = UInt32.random(in: .min ... .max, using: &generator)
        let hex = String(value, radix: 16)
        prefix = String(repeating: "0", count: 8 - hex.count) + hex
    }

    func next() -> String {
        let number = counter.add(1, ordering: .relaxed).newValue
        let digits = String(number)
        let padding = digits.count < 6 ? String(repeating: "0", count: 6 - digits.count) : ""
        return "\(prefix)-\(padding)\(digits)"
    }
}
