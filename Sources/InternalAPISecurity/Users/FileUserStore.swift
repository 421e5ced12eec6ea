import Synchronization

/// The user store written inside `internal-apis.xml`: `<users><user>` with a username, a
/// password in one of the formats `PasswordHash` documents, and an optional admin flag.
///
/// Read-only and safe to share between tasks. Usernames are matched as exact UTF-8 bytes.
/// An unknown username is checked against a stand-in password of the costliest kind in the
/// store, so it costs the same hashing work as a wrong password. Slow hashes run through
/// `BlockingWork.run(_:)`, never on the caller's executor.
///
/// NOTE: in a store that mixes plain-text and hashed passwords, a wrong password for a
/// plain-text user is rejected faster than an unknown user, so timing can reveal which
/// plain-text usernames exist. Hash every password, or none, to avoid that.
public final class FileUserStore: UserStore {
    private struct Account: Sendable {
        var summary: UserSummary
        var password: PasswordHash
    }

    /// The store kind for logs and summaries: `file`.
    public let kind = "file"

    private let accounts: [[UInt8]: Account]
    private let summaries: [UserSummary]
    /// Checked in place of a real password when the username is unknown.
    private let standIn: PasswordHash
    private let plainTextComparisons = Atomic<Int>(0)
    private let cryptComputations = Atomic<Int>(0)

    /// Creates a store from a `<userStore>` or `<UserStore>` element's users.
    ///
    /// - Throws: `invalidConfiguration` for the same username twice or a malformed `{crypt}`
    ///   hash, with the user's line.
    public init(configuration: UserStoreConfiguration) throws {
        var accounts: [[UInt8]: Account] = [:]
        var summaries: [UserSummary] = []
        var standIn: PasswordHash?

        for user in configuration.users {
            let location = SecurityError.Location(
                file: configuration.element.file, line: user.line > 0 ? user.line : nil, element: "user")
            let password: PasswordHash
            do {
                password = try PasswordHash(storedValue: user.password, source: user.passwordSource)
            } catch var error as SecurityError {
                error.location = location
                throw error
            }
            let key = Array(user.username.utf8)
            guard accounts[key] == nil else {
                throw SecurityError.configuration(
                    "Username is listed twice", value: user.username, fix: "remove one of the two entries",
                    at: location)
            }
            let summary = UserSummary(username: user.username, isAdmin: user.isAdmin)
            accounts[key] = Account(summary: summary, password: password)
            summaries.append(summary)
            // Unknown usernames are checked against the first hashed password, or the first plain
            // one when none is hashed, so they cost what a wrong password costs. The result is
            // discarded.
            if standIn == nil || (password.isSlow && standIn?.isSlow == false) {
                standIn = password
            }
        }

        self.accounts = accounts
        self.summaries = summaries
        self.standIn = standIn ?? PasswordHash(plainText: "stand-in for an empty user store")
    }

    /// Registers the file store in `registry` under `UserStoreRegistry.fileStoreName`, the
    /// name a `<userStore>` without a `class` attribute uses.
    public static func register(in registry: UserStoreRegistry) {
        registry.register([UserStoreRegistry.fileStoreName]) { configuration, _ in
            try FileUserStore(configuration: configuration)
        }
    }

    /// Checks a username and password. Returns nil for an unknown user and for a wrong
    /// password alike, after the same amount of hashing work.
    public func authenticate(username: String, password: String) async throws -> Principal? {
        let account = accounts[Array(username.utf8)]
        let stored = account?.password ?? standIn

        let matches = try await verify(password, against: stored)
        guard let account, matches else { return nil }
        return Principal(username: account.summary.username, isAdmin: account.summary.isAdmin)
    }

    /// Lists the users in configuration order, without passwords.
    public func users() async throws -> [UserSummary] {
        summaries
    }

    /// How many password checks the store has run, by kind: constant-time plain-text
    /// comparisons and crypt(3) hash computations. Lets tests and metrics see that unknown
    /// users and wrong passwords cost the same work.
    public var verificationCounts: (plainText: Int, crypt: Int) {
        (plainTextComparisons.load(ordering: .relaxed), cryptComputations.load(ordering: .relaxed))
    }

    private func verify(_ password: String, against stored: PasswordHash) async throws -> Bool {
        guard stored.isSlow else {
            plainTextComparisons.add(1, ordering: .relaxed)
            return stored.verify(password)
        }
        cryptComputations.add(1, ordering: .relaxed)
        return try await BlockingWork.run { stored.verify(password) }
    }
}
