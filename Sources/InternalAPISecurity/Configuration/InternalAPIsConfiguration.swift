/// A loaded `internal-apis.xml`: the APIs with their handlers, the user store and TLS settings.
///
/// A bare `<handler>` or `<handlers>` document becomes one API named `ManagementApi` at
/// `/management`, served over HTTPS.
public struct InternalAPIsConfiguration: Sendable {
    /// Which of the accepted document shapes the file had.
    public enum Shape: String, Sendable {
        case handler, handlers, internalApis
    }

    /// The file the configuration came from, or `<embedded>`.
    public var source: String
    public var shape: Shape
    public var apis: [APIConfiguration]
    /// The top-level `<userStore>`, or the one inside a handler when there is no top-level one.
    public var userStore: UserStoreConfiguration?
    public var sslConfig: SSLConfiguration?
    /// Elements and attributes the loader does not use, with their locations.
    public var warnings: [ConfigurationWarning]

    public init(
        source: String, shape: Shape, apis: [APIConfiguration], userStore: UserStoreConfiguration?,
        sslConfig: SSLConfiguration?, warnings: [ConfigurationWarning]
    ) {
        self.source = source
        self.shape = shape
        self.apis = apis
        self.userStore = userStore
        self.sslConfig = sslConfig
        self.warnings = warnings
    }

    /// The API whose name is `name`, or nil.
    public func api(named name: String) -> APIConfiguration? {
        apis.first { $0.name == name }
    }
}

/// Something in the document that was accepted but not used.
public struct ConfigurationWarning: Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var location: SecurityError.Location

    public init(message: String, location: SecurityError.Location) {
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): \(message)" }
}

/// The transport an API is served on, from its `protocol` attribute.
public enum APIProtocol: String, Sendable, Hashable, CaseIterable {
    case http, https
}

/// One `<api>` element.
public struct APIConfiguration: Sendable {
    public var name: String
    /// The `class` attribute, or nil for documents without `<api>` elements.
    public var className: String?
    /// The transports named by the `protocol` attribute (default: https).
    public var protocols: Set<APIProtocol>
    public var handlers: [HandlerConfiguration]
    public var cors: CORSConfiguration?
    public var element: ConfigElement?
    /// What the API serves, from its `class` attribute through `APIClassRegistry`.
    /// Documents without `<api>` elements get `management`.
    public var kind: BuiltInAPI

    public init(
        name: String, className: String?, protocols: Set<APIProtocol>, handlers: [HandlerConfiguration],
        cors: CORSConfiguration?, element: ConfigElement?, kind: BuiltInAPI = .management
    ) {
        self.kind = kind
        self.name = name
        self.className = className
        self.protocols = protocols
        self.handlers = handlers
        self.cors = cors
        self.element = element
    }
}

/// One `<handler class=".." name="..">` element.
public struct HandlerConfiguration: Sendable {
    public var name: String
    public var className: String
    /// The `<resources>` prefixes; empty when the element lists none.
    public var resources: ResourceSet
    /// A `<UserStore>` inside the handler, when present.
    public var userStore: UserStoreConfiguration?
    /// `<TokenStoreConfig>` with defaults for missing values.
    public var tokenStore: TokenStoreSettings
    /// `<TokenConfig>` with defaults for missing values.
    public var token: TokenSettings
    /// The whole element, for factories that read settings of their own.
    public var element: ConfigElement

    public init(
        name: String, className: String, resources: ResourceSet, userStore: UserStoreConfiguration? = nil,
        tokenStore: TokenStoreSettings = TokenStoreSettings(), token: TokenSettings = TokenSettings(),
        element: ConfigElement
    ) {
        self.name = name
        self.className = className
        self.resources = resources
        self.userStore = userStore
        self.tokenStore = tokenStore
        self.token = token
        self.element = element
    }
}

/// `<TokenStoreConfig>`: the bounds of the in-memory token store.
public struct TokenStoreSettings: Sendable, Equatable {
    /// `MaxSize`: the maximum number of tokens held at once.
    public var maxSize: Int = 200
    /// `TokenCleanupTaskInterval`, in seconds.
    public var cleanupInterval: Int = 600
    /// `RemoveOldestTokenOnOverflow`.
    public var removeOldestOnOverflow: Bool = true

    public init(maxSize: Int = 200, cleanupInterval: Int = 600, removeOldestOnOverflow: Bool = true) {
        self.maxSize = maxSize
        self.cleanupInterval = cleanupInterval
        self.removeOldestOnOverflow = removeOldestOnOverflow
    }
}

/// `<TokenConfig>`: token lifetime and signing key size.
public struct TokenSettings: Sendable, Equatable {
    /// `expiry`: token lifetime in seconds.
    public var expiry: Int = 3600
    /// `size`: RSA key size in bits, at least 2048.
    public var keySize: Int = 2048

    public init(expiry: Int = 3600, keySize: Int = 2048) {
        self.expiry = expiry
        self.keySize = keySize
    }
}

/// `<cors>` of an API.
public struct CORSConfiguration: Sendable, Equatable {
    public var enabled: Bool
    /// Allowed origins; `*` allows any.
    public var allowedOrigins: [String]
    public var allowedHeaders: [String]

    public init(enabled: Bool, allowedOrigins: [String], allowedHeaders: [String]) {
        self.enabled = enabled
        self.allowedOrigins = allowedOrigins
        self.allowedHeaders = allowedHeaders
    }
}

/// A `<userStore>` or `<UserStore>` element.
public struct UserStoreConfiguration: Sendable {
    /// The `class` attribute naming a registered user store, or nil for the file store.
    public var className: String?
    /// Users listed in `<users>`, with passwords resolved (secrets looked up).
    public var users: [UserEntry]
    public var element: ConfigElement

    public init(className: String?, users: [UserEntry], element: ConfigElement) {
        self.className = className
        self.users = users
        self.element = element
    }
}

/// One `<user>` of a file user store.
public struct UserEntry: Sendable, Equatable {
    /// Where the password came from, for summaries. Never the password itself.
    public enum PasswordSource: String, Sendable {
        case plainText = "plain text"
        case secret = "secure vault"
        case hash = "hash"
    }

    public var username: String
    /// The password exactly as written (or as resolved from the vault), or a hash in one of
    /// the formats `PasswordHash` documents.
    public var password: String
    public var passwordSource: PasswordSource
    public var isAdmin: Bool
    public var line: Int

    public init(username: String, password: String, passwordSource: PasswordSource, isAdmin: Bool, line: Int) {
        self.username = username
        self.password = password
        self.passwordSource = passwordSource
        self.isAdmin = isAdmin
        self.line = line
    }
}

/// `<sslConfig>`: key store, trust store and TLS options.
public struct SSLConfiguration: Sendable {
    /// How a client certificate is requested (`sslVerifyClient`).
    public enum ClientVerification: String, Sendable {
        case require, optional, none
    }

    public var keyStore: KeyStoreReference?
    public var trustStore: KeyStoreReference?
    public var verifyClient: ClientVerification
    /// Protocol names as written, for example `TLSv1.2,TLSv1.3`.
    public var httpsProtocols: [String]
    /// An OpenSSL or JSSE cipher list, or nil for the defaults.
    public var preferredCiphers: [String]
    public var element: ConfigElement

    public init(
        keyStore: KeyStoreReference?, trustStore: KeyStoreReference?, verifyClient: ClientVerification,
        httpsProtocols: [String], preferredCiphers: [String], element: ConfigElement
    ) {
        self.keyStore = keyStore
        self.trustStore = trustStore
        self.verifyClient = verifyClient
        self.httpsProtocols = httpsProtocols
        self.preferredCiphers = preferredCiphers
        self.element = element
    }
}

/// A key store or trust store file named in `<sslConfig>`.
public struct KeyStoreReference: Sendable, Equatable {
    /// The absolute path (relative paths are resolved against the home folder).
    public var path: String
    /// `JKS`, `PKCS12` or `PEM`, as written; nil to guess from the file.
    public var type: String?
    /// The store password, resolved from the vault when written as `$secret{...}`.
    public var password: String?
    /// The private key password, when it differs from the store password.
    public var keyPassword: String?
    /// The alias of the key entry to use, or nil for the first one.
    public var alias: String?

    public init(path: String, type: String?, password: String?, keyPassword: String?, alias: String?) {
        self.path = path
        self.type = type
        self.password = password
        self.keyPassword = keyPassword
        self.alias = alias
    }
}
