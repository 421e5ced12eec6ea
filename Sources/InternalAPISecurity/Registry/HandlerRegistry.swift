import Synchronization

/// What a handler factory gets besides its configuration element.
public struct HandlerFactoryContext: Sendable {
    /// The user store of the configuration (file store, LDAP, ...).
    public var userStore: any UserStore
    public var secretResolver: any SecretResolver
    /// The logger the handler keeps for its own lines.
    public var logger: Logger
    public var clock: any WallClock
    /// The folder relative paths in the configuration resolve against.
    public var home: String

    public init(
        userStore: any UserStore, secretResolver: any SecretResolver = UnconfiguredSecretResolver(),
        logger: Logger = .disabled(), clock: any WallClock = SystemClock(), home: String
    ) {
        self.userStore = userStore
        self.secretResolver = secretResolver
        self.logger = logger
        self.clock = clock
        self.home = home
    }
}

/// Builds a handler from its configuration. Throws `SecurityError` for invalid settings.
public typealias SecurityHandlerFactory =
    @Sendable (HandlerConfiguration, HandlerFactoryContext) throws -> any SecurityHandler

/// Finds handler factories by the class name written in the configuration.
///
/// Built-in handlers register under their Micro Integrator class names and their short names;
/// plugins register into the same registry. Safe to use from several threads.
public final class HandlerRegistry: Sendable {
    private let factories = Mutex<[String: SecurityHandlerFactory]>([:])

    public init() {}

    /// The Micro Integrator package that prefixes the built-in handler class names.
    public static let microIntegratorPackage = "org.wso2.micro.integrator.management.apis.security.handler"

    /// Registers a factory under each of `names`, replacing earlier registrations.
    public func register(_ names: [String], factory: @escaping SecurityHandlerFactory) {
        factories.withLock { table in
            for name in names { table[name] = factory }
        }
    }

    /// Registers a handler under `shortName` and under Micro Integrator's
    /// `org.wso2.micro.integrator.management.apis.security.handler.<shortName>`.
    public func registerBuiltIn(shortName: String, factory: @escaping SecurityHandlerFactory) {
        register([shortName, "\(Self.microIntegratorPackage).\(shortName)"], factory: factory)
    }

    /// Every registered name, sorted.
    public var registeredNames: [String] {
        factories.withLock { $0.keys.sorted() }
    }

    public func contains(_ className: String) -> Bool {
        factories.withLock { $0[className] != nil }
    }

    /// Builds the handler that `configuration.className` names.
    ///
    /// - Throws: `unknownClass` listing the registered names, or what the factory throws.
    public func makeHandler(_ configuration: HandlerConfiguration, context: HandlerFactoryContext) throws
        -> any SecurityHandler
    {
        guard let factory = factories.withLock({ $0[configuration.className] }) else {
            throw SecurityError(
                .unknownClass, reason: "Handler class is not registered", value: configuration.className,
                fix: "use one of: \(registeredNames.joined(separator: ", ")), or load the plugin that provides it",
                location: configuration.element.location)
        }
        return try factory(configuration, context)
    }
}
