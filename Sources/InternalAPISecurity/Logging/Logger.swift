/// A logger shaped like swift-log's `Logger`, so that moving to swift-log is mechanical.
///
/// Libraries never create a logger of their own: they take one from their caller. Messages are
/// constant text and the variable data goes in metadata, so log lines can be searched and
/// counted. Never put a password or a token in a message or in metadata.
public struct Logger: Sendable {
    /// Log severity, from most to least verbose.
    public enum Level: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case trace, debug, info, notice, warning, error, critical

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            case .critical: "critical"
            }
        }
    }

    /// Structured data attached to a log line.
    public typealias Metadata = [String: String]

    /// A constant log message.
    public struct Message: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation,
        CustomStringConvertible
    {
        public let text: String
        public init(stringLiteral value: String) { text = value }
        public init(_ text: String) { self.text = text }
        public var description: String { text }
    }

    /// The name of the component that logs, for example `jwt-handler`.
    public let label: String
    public var handler: any LogHandler

    public init(label: String, handler: any LogHandler) {
        self.label = label
        self.handler = handler
    }

    /// A logger that drops everything, for callers that pass none.
    public static func disabled(label: String = "disabled") -> Logger {
        Logger(label: label, handler: DiscardingLogHandler())
    }

    public var logLevel: Level {
        get { handler.logLevel }
        set { handler.logLevel = newValue }
    }

    /// Metadata added to every line this logger writes.
    public subscript(metadataKey key: String) -> String? {
        get { handler.metadata[key] }
        set { handler.metadata[key] = newValue }
    }

    public func log(
        level: Level, _ message: @autoclosure () -> Message, metadata: @autoclosure () -> Metadata? = nil,
        source: String? = nil
    ) {
        guard level >= handler.logLevel else { return }
        handler.log(level: level, message: message(), metadata: metadata(), source: source ?? label)
    }

    public func trace(_ message: @autoclosure () -> Message, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .trace, message(), metadata: metadata())
    }

    public func debug(_ message: @autoclosure () -> Message, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .debug, message(), metadata: metadata())
    }

    public func info(_ message: @autoclosure () -> Message, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .info, message(), metadata: metadata())
    }

    public func notice(_ message: @autoclosure () -> Message, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .notice, message(), metadata: metadata())
    }

    public func warning(_ message: @autoclosure () -> Message, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .warning, message(), metadata: metadata())
    }

    public func error(_ message: @autoclosure () -> Message, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .error, message(), metadata: metadata())
    }

    public func critical(_ message: @autoclosure () -> Message, metadata: @autoclosure () -> Metadata? = nil) {
        log(level: .critical, message(), metadata: metadata())
    }

    /// Returns a copy whose lines all carry the given metadata, for example a request id.
    public func with(_ metadata: Metadata) -> Logger {
        var copy = self
        for (key, value) in metadata { copy[metadataKey: key] = value }
        return copy
    }
}

/// The back end of a `Logger`, shaped like swift-log's `LogHandler`.
///
/// A handler is a value: copies made by `Logger.with(_:)` carry their own metadata.
public protocol LogHandler: Sendable {
    var logLevel: Logger.Level { get set }
    var metadata: Logger.Metadata { get set }
    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String)
}

/// A handler that drops every line.
public struct DiscardingLogHandler: LogHandler {
    public var logLevel: Logger.Level = .critical
    public var metadata: Logger.Metadata = [:]
    public init() {}
    public func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String) {}
}
