import InternalAPISecurity
import Synchronization

/// Keeps every reported `SecurityEvent` for assertions.
final class RecordingEventSink: SecurityEventSink {
    private let storage = Mutex<[SecurityEvent]>([])

    func record(_ event: SecurityEvent) {
        storage.withLock { $0.append(event) }
    }

    var events: [SecurityEvent] {
        storage.withLock { $0 }
    }
}
