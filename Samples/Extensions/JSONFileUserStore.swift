import InternalAPISecurity

/// A custom user store that reads its users from a JSON file.
///
/// The configuration names the file, relative to the home folder unless it is absolute:
///
/// ```xml
/// <userStore class="com.example.JSONFileUserStore">
///     <file>users.json</file>
/// </userStore>
/// ```
///
/// The file's format is described by `JSONUserFile`. Passwords are plain text, a
/// `$secret{alias}`, or a `{crypt}` hash, and are checked exactly as the core's
/// `FileUserStore` checks them: constant-time comparison for plain text, libxcrypt for hashes
/// (run through `BlockingWork`), and an unknown user costs the same hashing work as a wrong
/// password.
///
/// The file is read once, when the store is created, so a change takes effect when the server
/// reloads its configuration. Read-only and safe to share between tasks.
public final class JSONFileUserStore: UserStore {
    /// The class names `register(in:)` registers the store under.
    public static let classNames = ["com.example.JSONFileUserStore", "JSONFileUserStore"]

    /// The store kind for logs and summaries: `json-file`.
    public let kind = "json-file"

    /// The absolute path of the file the users were read from.
    public let path: String

    /// The core's store does the password checks, so both stores verify in the same way.
    private let store: FileUserStore

    /// Creates a store from the users of a JSON file.
    ///
    /// - Parameters:
    ///   - path: the file's path. A relative path resolves against `home`.
    ///   - home: the folder relative paths resolve against; empty for the working directory.
    ///   - secretResolver: resolves passwords written as `$secret{alias}`.
    /// - Throws: the errors `JSONUserFile.read(path:secretResolver:)` documents.
    public init(path: String, home: String = "", secretResolver: any SecretResolver = UnconfiguredSecretResolver())
        throws
    {
        let absolutePath = Self.absolutePath(path, home: home)
        let users = try JSONUserFile.read(path: absolutePath, secretResolver: secretResolver)
        let element = ConfigElement(name: "userStore", file: absolutePath)
        self.path = absolutePath
        self.store = try FileUserStore(
            configuration: UserStoreConfiguration(className: Self.classNames[0], users: users, element: element))
    }

    /// Creates a store from its `<userStore>` element, reading the file that `<file>` names.
    ///
    /// - Throws: `invalidConfiguration` with the element's location when `<file>` is missing or
    ///   empty, and the errors of `init(path:home:secretResolver:)`.
    public convenience init(configuration: UserStoreConfiguration, context: UserStoreFactoryContext) throws {
        guard let fileElement = configuration.element.child("file") else {
            throw SecurityError.configuration(
                "JSON user store has no <file> element",
                fix: "add <file>users.json</file> naming the users file, relative to the home folder",
                at: configuration.element.location)
        }
        let path = fileElement.trimmedText
        guard !path.isEmpty else {
            throw SecurityError.configuration(
                "Element <file> is empty", fix: "write the path of the users file, for example users.json",
                at: fileElement.location)
        }
        try self.init(path: path, home: context.home, secretResolver: context.secretResolver)
    }

    /// Registers the store in `registry` under `com.example.JSONFileUserStore` and
    /// `JSONFileUserStore`.
    public static func register(in registry: UserStoreRegistry) {
        registry.register(classNames) { configuration, context in
            try JSONFileUserStore(configuration: configuration, context: context)
        }
    }

    /// Checks a username and password. Returns nil for an unknown user and for a wrong
    /// password alike.
    public func authenticate(username: String, password: String) async throws -> Principal? {
        try await store.authenticate(username: username, password: password)
    }

    /// Lists the users in file order, without passwords.
    public func users() async throws -> [UserSummary] {
        try await store.users()
    }

    private static func absolutePath(_ path: String, home: String) -> String {
        if path.hasPrefix("/") || home.isEmpty { return path }
        return home.hasSuffix("/") ? home + path : home + "/" + path
    }
}
