/// An authenticated user, as a user store returns it and the handler chain passes it on.
public struct Principal: Sendable, Hashable {
    public var username: String
    /// Whether the user may reach admin-only resources (see `AuthorizationHandler`).
    public var isAdmin: Bool
    /// Role or group names from the user store, when it has them. Not used for authorisation.
    public var roles: [String]

    public init(username: String, isAdmin: Bool = false, roles: [String] = []) {
        self.username = username
        self.isAdmin = isAdmin
        self.roles = roles
    }
}
