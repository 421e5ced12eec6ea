import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The user store written inside `internal-apis.xml`: `<users><user>` with a username, a
/// password in one of the formats `PasswordHash` documents, and an optional admin flag.
///
/// Read-only and safe to share between tasks. Usernames are matched as exact UTF-8 bytes.
/// An unknown username is checked against the costliest stored hash, so it costs at least the
/// hashing work of a wrong password for any user. Slow hashes run through
/// `BlockingWork.run(_:)`, never on the caller's executor.
///
/// The costliest hash is chosen when the store is created. When the stored hashes differ in
/// method or cost parameters, such as `$2b$13$` and `$6$rounds=5000$`, one verification of each
/// distinct setting is timed in thread CPU time and the slowest is kept. Creating such a store
/// therefore takes about one login per distinct setting. Timing works across methods, whose
/// cost parameters are not comparable, and thread CPU time does not count time spent waiting.
///
/// NOTE: a wrong password for a user whose password is cheaper to check than the costliest
/// hash (a plain-text password, or a hash with a lower cost) is rejected faster than an unknown
/// user, so timing can reveal which of those usernames exist. Give every password the same
/// method and cost, or store none hashed, to avoid that.
public final class FileUserStore: UserStore {
    private struct Account: Sendable {
        var summary: UserSummary
        var password: PasswordHash
    }

    /// The store kind for logs and summaries: `file`.
    public let kind = "file"

    private let accounts: [[UInt8]: Account]
    private let summaries: [UserSummary]
    /// Checked in place of a real password when the username is unknown. Internal so tests
    /// can see which stored hash was chosen.
    let standIn: PasswordHash
    private let plainTextComparisons = Atomic<Int>(0)
    private let cryptComputations = Atomic<Int>(0)

    /// Creates a store from a `<userStore>` or `<UserStore>` element's users.
    ///
    /// - Throws: `invalidConfiguration` for the same username twice or a malformed `{crypt}`
    ///   hash, with the user's line.
    public init(configuration: UserStoreConfiguration) throws {
        var accounts: [[UInt8]: Account] = [:]
        var summaries: [UserSummary] = []
        var firstPlainText: PasswordHash?
        // The first hash of each distinct method and cost setting, in configuration order.
        var hashesBySetting: [PasswordHash] = []
        var settings: Set<String> = []

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
            if let setting = password.costSetting {
                if settings.insert(setting).inserted { hashesBySetting.append(password) }
            } else if firstPlainText == nil {
                firstPlainText = password
            }
        }

        self.accounts = accounts
        self.summaries = summaries
        self.standIn =
            Self.costliest(hashesBySetting) ?? firstPlainText
            ?? PasswordHash(plainText: "stand-in for an empty user store")
    }

    /// Returns the hash that took the most thread CPU time to verify once, or the only one
    /// without timing. Ties keep the earlier hash.
    private static func costliest(_ hashes: [PasswordHash]) -> PasswordHash? {
        guard hashes.count > 1 else { return hashes.first }
        var costliest: PasswordHash?
        var maximumTime: Int64 = -1
        for hash in hashes {
            let start = threadCPUTimeNanoseconds()
            _ = hash.verify("trial password for timing")
            let elapsed = threadCPUTimeNanoseconds() - start
            if elapsed > maximumTime {
                costliest = hash
                maximumTime = elapsed
            }
        }
        return costliest
    }

    private static func threadCPUTimeNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// Registers the file store in `registry` under `UserStoreRegistry.fileStoreName`, the
    /// name a `<userStore>` without a `class` attribute uses.
    public static func register(in registry: UserStoreRegistry) {
        registry.register([UserStoreRegistry.fileStoreName]) { configuration, _ in
            try FileUserStore(configuration: configuration)
        }
    }

    /// Checks a username and password. Returns nil for an unknown user and for a wrong
    /// password alike. An unknown user costs one check against the costliest stored hash.
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
