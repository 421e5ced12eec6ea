import Foundation

/// Builds a Prometheus text exposition document (format version 0.0.4).
struct PrometheusText {
    /// The `Content-Type` of the document.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private(set) var text = ""

    /// Starts a metric family with its `# HELP` and `# TYPE` lines.
    mutating func family(_ name: String, type: String, help: String) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n"
        text += "# TYPE \(name) \(type)\n"
    }

    /// Adds one sample line: `name{label="value",...} value`.
    mutating func sample(_ name: String, labels: KeyValuePairs<String, String> = [:], value: String) {
        text += name
        if !labels.isEmpty {
            text += "{"
            text += labels.map { "\($0.key)=\"\(Self.escapeLabelValue($0.value))\"" }.joined(separator: ",")
            text += "}"
        }
        text += " \(value)\n"
    }

    mutating func sample(_ name: String, labels: KeyValuePairs<String, String> = [:], value: UInt64) {
        sample(name, labels: labels, value: String(value))
    }

    /// Formats a float sample value: Prometheus reads Swift's shortest round-trip notation,
    /// including exponents such as `5e-04`.
    static func format(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value.isNaN { return "NaN" }
        return String(value)
    }

    /// Escapes a label value: backslash, double quote and line feed (the only escapes the
    /// format defines).
    static func escapeLabelValue(_ value: String) -> String {
        var output = ""
        output.reserveCapacity(value.utf8.count)
        // Scalars, not characters, so that the line feed of a CR LF pair is escaped too.
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "\"": output += "\\\""
            case "\n": output += "\\n"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Escapes help text: backslash and line feed.
    static func escapeHelp(_ help: String) -> String {
        help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}
