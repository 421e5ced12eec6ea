import InternalAPISecurity

/// A user store with a fixed list of users and plain passwords, for handler tests.
struct FixedUserStore: UserStore {
    var kind: String { "fixed" }
    let accounts: [String: (password: String, isAdmin: Bool)]

    init(
        _ accounts: [String: (password: String, isAdmin: Bool)] = [
            "admin": ("admin-secret", true), "alice": ("alice-secret", false),
        ]
    ) {
        self.accounts = accounts
    }

    func authenticate(username: String, password: String) async throws -> Principal? {
        guard let account = accounts[username], account.password == password else { return nil }
        return Principal(username: username, isAdmin: account.isAdmin)
    }

    func users() async throws -> [UserSummary] {
        accounts.map { UserSummary(username: $0.key, isAdmin: $0.value.isAdmin) }
    }
}
