/// The resource prefixes a handler protects, matched on path segment boundaries.
///
/// Prefixes are relative to the API context and case-sensitive. `/users` matches `/users` and
/// `/users/alice`, not `/usersX`. An empty set, or the prefix `/`, matches every path.
public struct ResourceSet: Sendable, Equatable {
    /// The normalised prefixes, without trailing slashes except for `/` itself.
    public let prefixes: [String]

    /// Creates a set from configuration values.
    ///
    /// - Throws: `invalidConfiguration` when a prefix does not start with `/` or cannot be
    ///   normalised (for example it climbs above the root).
    public init(_ prefixes: [String]) throws {
        var normalised: [String] = []
        for prefix in prefixes {
            guard prefix.hasPrefix("/") else {
                throw SecurityError(
                    .invalidConfiguration, reason: "Resource prefix must start with '/'", value: prefix,
                    fix: "write the resource relative to the API context, for example /users")
            }
            normalised.append(try RequestPath.normalize(prefix))
        }
        self.prefixes = normalised
    }

    /// A set that matches every path.
    public static let all = try! ResourceSet([])

    public var matchesEverything: Bool {
        prefixes.isEmpty || prefixes.contains("/")
    }

    /// Whether `path`, already normalised, falls under one of the prefixes.
    public func matches(_ path: String) -> Bool {
        if prefixes.isEmpty { return true }
        for prefix in prefixes {
            if prefix == "/" || path == prefix { return true }
            if path.hasPrefix(prefix), path.utf8.dropFirst(prefix.utf8.count).first == UInt8(ascii: "/") {
                return true
            }
        }
        return false
    }
}
