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
    private struct Registration {
        let factory: SecurityHandlerFactory
        /// Child elements the factory reads, or nil when the registration declared none.
        let settings: Set<String>?
    }

    private let registrations = Mutex<[String: Registration]>([:])

    /// Child elements of `<handler>` that the loader itself reads for every handler.
    public static let commonSettings: Set<String> = [
        "resources", "TokenStoreConfig", "TokenConfig", "UserStore", "userStore",
    ]

    public init() {}

    /// The Micro Integrator package that prefixes the built-in handler class names.
    public static let microIntegratorPackage = "org.wso2.micro.integrator.management.apis.security.handler"

    /// Registers a factory under each of `names`, replacing earlier registrations.
    ///
    /// - Parameter settings: the child elements of `<handler>` the factory reads besides
    ///   `commonSettings`, each at most once. When given, `makeHandler` rejects a repeated
    ///   setting and logs a warning for any other child, so a misspelt element is noticed; when
    ///   nil, other children are not checked.
    public func register(
        _ names: [String], settings: Set<String>? = nil, factory: @escaping SecurityHandlerFactory
    ) {
        registrations.withLock { table in
            for name in names { table[name] = Registration(factory: factory, settings: settings) }
        }
    }

    /// Registers a handler under `shortName` and under Micro Integrator's
    /// `org.wso2.micro.integrator.management.apis.security.handler.<shortName>`.
    public func registerBuiltIn(
        shortName: String, settings: Set<String>? = nil, factory: @escaping SecurityHandlerFactory
    ) {
        register([shortName, "\(Self.microIntegratorPackage).\(shortName)"], settings: settings, factory: factory)
    }

    /// Every registered name, sorted.
    public var registeredNames: [String] {
        registrations.withLock { $0.keys.sorted() }
    }

    public func contains(_ className: String) -> Bool {
        registrations.withLock { $0[className] != nil }
    }

    /// Builds the handler that `configuration.className` names.
    ///
    /// Logs a warning through `context.logger` for each child element the registration did not
    /// declare (see `register(_:settings:factory:)`).
    ///
    /// - Throws: `unknownClass` listing the registered names, or what the factory throws.
    public func makeHandler(_ configuration: HandlerConfiguration, context: HandlerFactoryContext) throws
        -> any SecurityHandler
    {
        guard let registration = registrations.withLock({ $0[configuration.className] }) else {
            throw SecurityError(
                .unknownClass, reason: "Handler class is not registered", value: configuration.className,
                fix:
                    "use one of: \(registeredNames.joined(separator: ", ")), or register the class in the program that runs the server (see Samples/custom-server)",
                location: configuration.element.location)
        }
        if let settings = registration.settings {
            try rejectRepeatedSettings(settings, in: configuration.element)
        }
        for warning in undeclaredSettings(of: configuration) {
            context.logger.warning(
                "Configuration content is not used",
                metadata: [
                    "file": warning.location.file, "line": warning.location.line.map(String.init) ?? "",
                    "element": warning.location.element ?? "", "detail": warning.message,
                ])
        }
        return try registration.factory(configuration, context)
    }

    /// Throws when a declared setting appears more than once, because a factory reads one and
    /// would ignore the other without a word.
    private func rejectRepeatedSettings(_ settings: Set<String>, in element: ConfigElement) throws {
        for name in settings.sorted() {
            let matches = element.children(named: name)
            guard matches.count > 1 else { continue }
            throw SecurityError.configuration(
                "Element <\(name)> appears twice in <\(element.name)>, at lines \(matches[0].line) and \(matches[1].line)",
                value: name, fix: "merge them into one <\(name)> element", at: matches[1].location)
        }
    }

    /// Returns a warning for each child element of the handler that its registration did not
    /// declare (see `register(_:settings:factory:)`), or none when the registration declared
    /// nothing or the class is not registered.
    public func undeclaredSettings(of configuration: HandlerConfiguration) -> [ConfigurationWarning] {
        guard let settings = registrations.withLock({ $0[configuration.className] })?.settings else { return [] }
        let known = settings.union(Self.commonSettings)
        return configuration.element.children.filter { !known.contains($0.name) }.map { child in
            ConfigurationWarning(
                message: "Element is not a setting of \(configuration.className) and is ignored",
                location: child.location)
        }
    }
}
