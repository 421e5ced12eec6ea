import Foundation
import InternalAPISecurity

/// Keeps every reported `SecurityEvent` for assertions.
///
/// Uses `NSLock` rather than `Mutex`: parallel login tests contend for it, and ThreadSanitizer
/// cannot see a contended `Mutex` hand-over on Linux, so it would report false races.
final class RecordingEventSink: SecurityEventSink, @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [SecurityEvent] = []

    func record(_ event: SecurityEvent) {
        lock.withLock { storage.append(event) }
    }

    var events: [SecurityEvent] {
        lock.withLock { storage }
    }
}
