import Foundation

/// The parameters of a query string, decoded as HTML forms encode them (`+` is a space).
struct QueryParameters: Sendable {
    private let pairs: [(name: String, value: String)]

    /// Parses `query`, or returns nil when an escape is malformed or decodes to invalid UTF-8.
    init?(_ query: String?) {
        guard let query, !query.isEmpty else {
            pairs = []
            return
        }
        var pairs: [(name: String, value: String)] = []
        for field in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { return nil }
            guard let value = parts.count > 1 ? Self.decode(parts[1]) : "" else { return nil }
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    /// The first value of the parameter `name`, or nil.
    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
