import Synchronization

/// Keeps log lines in memory so tests can assert on them without a global logging setup.
public final class LogCapture: Sendable {
    /// One captured log line.
    public struct Entry: Sendable, Equatable {
        public var level: Logger.Level
        public var message: String
        public var metadata: Logger.Metadata
        public var source: String
    }

    private let storage = Mutex<[Entry]>([])

    public init() {}

    /// A logger that writes into this capture, at every level from `level` up.
    public func logger(label: String = "test", level: Logger.Level = .trace) -> Logger {
        Logger(label: label, handler: CapturingLogHandler(capture: self, logLevel: level))
    }

    /// The lines captured so far, oldest first.
    public var entries: [Entry] {
        storage.withLock { $0 }
    }

    /// The lines whose message equals `message`.
    public func entries(withMessage message: String) -> [Entry] {
        entries.filter { $0.message == message }
    }

    /// Every message and metadata value, joined, for checks that a secret never appears.
    public var allText: String {
        entries.map { entry in
            ([entry.message] + entry.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
                .joined(separator: " ")
        }.joined(separator: "\n")
    }

    fileprivate func append(_ entry: Entry) {
        storage.withLock { $0.append(entry) }
    }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(capture: LogCapture, logLevel: Logger.Level) {
        self.capture = capture
        self.logLevel = logLevel
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String) {
        var merged = self.metadata
        if let metadata { merged.merge(metadata) { _, new in new } }
        capture.append(LogCapture.Entry(level: level, message: message.text, metadata: merged, source: source))
    }
}
