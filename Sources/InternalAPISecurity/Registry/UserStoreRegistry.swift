import Synchronization

/// What a user store factory gets besides its configuration.
public struct UserStoreFactoryContext: Sendable {
    public var secretResolver: any SecretResolver
    public var logger: Logger
    /// The folder relative paths in the configuration resolve against.
    public var home: String

    public init(
        secretResolver: any SecretResolver = UnconfiguredSecretResolver(), logger: Logger = .disabled(), home: String
    ) {
        self.secretResolver = secretResolver
        self.logger = logger
        self.home = home
    }
}

/// Builds a user store from its configuration. Throws `SecurityError` for invalid settings.
public typealias UserStoreFactory =
    @Sendable (UserStoreConfiguration, UserStoreFactoryContext) throws -> any UserStore

/// Finds user store factories by the `class` attribute of `<userStore>`.
///
/// A `<userStore>` without `class` is the file store, registered as `file`.
public final class UserStoreRegistry: Sendable {
    private let factories = Mutex<[String: UserStoreFactory]>([:])

    /// The name under which the file store is registered and which an element without `class` uses.
    public static let fileStoreName = "file"

    public init() {}

    public func register(_ names: [String], factory: @escaping UserStoreFactory) {
        factories.withLock { table in
            for name in names { table[name] = factory }
        }
    }

    public var registeredNames: [String] {
        factories.withLock { $0.keys.sorted() }
    }

    /// Builds the store that `configuration.className` names, or the file store when it is nil.
    ///
    /// - Throws: `unknownClass` listing the registered names, or what the factory throws.
    public func makeUserStore(_ configuration: UserStoreConfiguration, context: UserStoreFactoryContext) throws
        -> any UserStore
    {
        let name = configuration.className ?? Self.fileStoreName
        guard let factory = factories.withLock({ $0[name] }) else {
            throw SecurityError(
                .unknownClass, reason: "User store class is not registered", value: name,
                fix:
                    "use one of: \(registeredNames.joined(separator: ", ")), or register the class in the program that runs the server (see Samples/custom-server)",
                location: configuration.element.location)
        }
        return try factory(configuration, context)
    }
}
