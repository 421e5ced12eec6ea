/// A source of users that checks a username and password.
///
/// Conformers must be safe to call from many tasks at once. An implementation may do I/O or
/// expensive hashing: handlers always `await` it, and an implementation that blocks a thread
/// for long (a slow hash, a synchronous network call) must move that work off the caller's
/// executor, for example with `BlockingWork.run(_:)`, so it never stalls an event loop.
///
/// `authenticate` must not reveal whether the username or the password was wrong, and an
/// unknown user should cost the same work as a wrong password, so timing does not tell
/// which usernames exist.
public protocol UserStore: Sendable {
    /// A short name for logs and summaries, for example `file` or `ldap`.
    var kind: String { get }

    /// Checks a username and password.
    ///
    /// - Returns: the principal when both are right, nil otherwise.
    /// - Throws: `SecurityError` with code `storeFailed` when the store cannot answer (a
    ///   directory is down, for example). The server then responds with 503, not 401.
    func authenticate(username: String, password: String) async throws -> Principal?

    /// Lists the users, without passwords.
    func users() async throws -> [UserSummary]
}

/// A user store whose users can be added and removed at run time.
public protocol WritableUserStore: UserStore {
    /// Adds a user. Throws `invalidArgument` when the username exists or is invalid.
    func addUser(username: String, password: String, isAdmin: Bool) async throws
    /// Removes a user. Returns false when there was no such user.
    func removeUser(username: String) async throws -> Bool
}

/// A user as listed by a store: no password.
public struct UserSummary: Sendable, Hashable, Codable {
    public var username: String
    public var isAdmin: Bool

    public init(username: String, isAdmin: Bool) {
        self.username = username
        self.isAdmin = isAdmin
    }
}
