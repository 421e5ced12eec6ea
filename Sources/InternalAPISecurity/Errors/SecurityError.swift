/// The one error type of the framework: a stable code, a reason, the value involved and a fix.
///
/// Configuration errors also carry the location in the XML document. The HTTP status and the
/// JSON body that a failure turns into are decided by the server, not here.
public struct SecurityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier for a kind of failure, safe to use as a metrics label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String

        public init(_ rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }

        /// The configuration document is invalid.
        public static let invalidConfiguration = Code("invalid-configuration")
        /// A configuration or key file could not be read.
        public static let fileNotReadable = Code("file-not-readable")
        /// A class name in the configuration is not registered.
        public static let unknownClass = Code("unknown-class")
        /// A `$secret{alias}` reference could not be resolved.
        public static let secretNotResolved = Code("secret-not-resolved")
        /// A request path is malformed or climbs above the API root.
        public static let invalidPath = Code("invalid-path")
        /// A cryptographic operation failed.
        public static let cryptographyFailed = Code("cryptography-failed")
        /// A user store or token store could not complete an operation.
        public static let storeFailed = Code("store-failed")
        /// A value given to an API is outside its allowed range.
        public static let invalidArgument = Code("invalid-argument")
        /// A key store file could not be read or decrypted.
        public static let keyStoreFailed = Code("key-store-failed")
    }

    /// Where in a configuration document the error was found.
    public struct Location: Sendable, Equatable, CustomStringConvertible {
        /// The file path, or a name such as `<embedded>` for a document held in memory.
        public var file: String
        /// The 1-based line number, or nil when it is not known.
        public var line: Int?
        /// The element name, for example `MaxSize`.
        public var element: String?

        public init(file: String, line: Int? = nil, element: String? = nil) {
            self.file = file
            self.line = line
            self.element = element
        }

        public var description: String {
            var text = file
            if let line { text += ":\(line)" }
            if let element { text += " <\(element)>" }
            return text
        }
    }

    public var code: Code
    /// What failed, as one sentence for the operator.
    public var reason: String
    /// The offending value, when there is one. Never a secret.
    public var value: String?
    /// What to do about it.
    public var fix: String?
    public var location: Location?
    /// A lower-level error description (for example OpenSSL's error queue), when available.
    public var underlying: String?

    public init(
        _ code: Code,
        reason: String,
        value: String? = nil,
        fix: String? = nil,
        location: Location? = nil,
        underlying: String? = nil
    ) {
        self.code = code
        self.reason = reason
        self.value = value
        self.fix = fix
        self.location = location
        self.underlying = underlying
    }

    /// One line: location, reason, value, underlying cause and fix.
    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += reason
        if let value { text += " (value: '\(value)')" }
        if let underlying { text += " [\(underlying)]" }
        if let fix { text += ". Fix: \(fix)" }
        return text
    }

    /// Creates a configuration error at a location in the document.
    public static func configuration(
        _ reason: String,
        value: String? = nil,
        fix: String? = nil,
        at location: Location?
    ) -> SecurityError {
        SecurityError(.invalidConfiguration, reason: reason, value: value, fix: fix, location: location)
    }
}
