import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Writes one structured line per event to standard error:
/// `2026-12-04T20:44:02.123Z info jwt-handler: login succeeded user=admin client=127.0.0.1`.
///
/// Metadata values are quoted when they contain spaces, quotes or control characters, and
/// control characters are escaped, so a username cannot forge a second log line.
public struct StreamLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]

    public init(logLevel: Logger.Level = .info) {
        self.logLevel = logLevel
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String) {
        var merged = self.metadata
        if let metadata {
            merged.merge(metadata) { _, new in new }
        }
        let line = StreamLogHandler.format(
            timestamp: Date(), level: level, source: source, message: message.text, metadata: merged)
        line.utf8CString.withUnsafeBufferPointer { buffer in
            _ = write(2, buffer.baseAddress, buffer.count - 1)
        }
    }

    /// Formats one log line, ending with a newline.
    public static func format(
        timestamp: Date, level: Logger.Level, source: String, message: String, metadata: Logger.Metadata
    ) -> String {
        var line = timestamp.formatted(
            .iso8601.year().month().day().timeZone(separator: .omitted).time(includingFractionalSeconds: true))
        line += " \(level) \(source): \(escape(message))"
        for key in metadata.keys.sorted() {
            line += " \(key)=\(quote(metadata[key]!))"
        }
        line += "\n"
        return line
    }

    /// Escapes control characters and backslashes so one event stays on one line.
    public static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\\": output += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value):
                output += "\\u{\(String(scalar.value, radix: 16))}"
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    static func quote(_ value: String) -> String {
        let escaped = escape(value)
        let needsQuotes = escaped.isEmpty || escaped.contains { $0 == " " || $0 == "\"" || $0 == "=" }
        guard needsQuotes else { return escaped }
        return "\"" + escaped.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
