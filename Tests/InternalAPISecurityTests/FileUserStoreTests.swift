import Testing

@testable import InternalAPISecurity

@Suite("FileUserStore")
struct FileUserStoreTests {
    private static func makeStore(_ users: [UserEntry]) throws -> FileUserStore {
        try FileUserStore(
            configuration: UserStoreConfiguration(
                className: nil, users: users, element: ConfigElement(name: "userStore", file: "users.xml")))
    }

    private static func hashedUser(_ name: String, _ password: String, method: String, cost: Int = 0) throws
        -> UserEntry
    {
        let hash = try PasswordHash.makeCryptHash(password: password, methodPrefix: method, cost: cost)
        return UserEntry(
            username: name, password: PasswordHash.cryptMarker + hash, passwordSource: .hash, isAdmin: false, line: 1)
    }

    @Test func plainPasswordAuthenticates() async throws {
        let store = try Self.makeStore([
            UserEntry(username: "admin", password: "s3cret ", passwordSource: .plainText, isAdmin: true, line: 3),
            UserEntry(username: "viewer", password: "$view", passwordSource: .plainText, isAdmin: false, line: 7),
        ])

        #expect(
            try await store.authenticate(username: "admin", password: "s3cret ")
                == Principal(username: "admin", isAdmin: true))
        #expect(try await store.authenticate(username: "viewer", password: "$view") == Principal(username: "viewer"))
        #expect(try await store.authenticate(username: "admin", password: "s3cret") == nil)
        #expect(try await store.authenticate(username: "admin", password: "S3cret ") == nil)
        #expect(try await store.authenticate(username: "Admin", password: "s3cret ") == nil)
        #expect(try await store.authenticate(username: "ghost", password: "s3cret ") == nil)
    }

    @Test func plainPasswordNotNormalised() async throws {
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        let store = try Self.makeStore([
            UserEntry(username: "u", password: composed, passwordSource: .secret, isAdmin: false, line: 1)
        ])

        #expect(try await store.authenticate(username: "u", password: composed) != nil)
        #expect(try await store.authenticate(username: "u", password: decomposed) == nil)
    }

    @Test(arguments: [("$2b$", 4), ("$2y$", 5), ("$6$", 1000), ("$5$", 1000), ("$y$", 0)])
    func hashedPasswordAuthenticates(method: String, cost: Int) async throws {
        let store = try Self.makeStore([try Self.hashedUser("alice", "correct horse", method: method, cost: cost)])

        #expect(
            try await store.authenticate(username: "alice", password: "correct horse") == Principal(username: "alice"))
        #expect(try await store.authenticate(username: "alice", password: "correct horse ") == nil)
        #expect(try await store.authenticate(username: "alice", password: "") == nil)
    }

    @Test func passwordWithNULRejected() async throws {
        let store = try Self.makeStore([try Self.hashedUser("alice", "abc", method: "$6$")])

        #expect(try await store.authenticate(username: "alice", password: "abc\u{0}def") == nil)
    }

    @Test func unknownUserCostsOneHash() async throws {
        let store = try Self.makeStore([
            try Self.hashedUser("alice", "pw", method: "$2b$", cost: 4),
            UserEntry(username: "bob", password: "plain", passwordSource: .plainText, isAdmin: false, line: 2),
        ])

        _ = try await store.authenticate(username: "alice", password: "wrong")
        let afterWrongPassword = store.verificationCounts
        _ = try await store.authenticate(username: "nobody", password: "wrong")
        let afterUnknownUser = store.verificationCounts

        #expect(afterWrongPassword.crypt == 1)
        #expect(afterWrongPassword.plainText == 0)
        #expect(afterUnknownUser.crypt == 2)
        #expect(afterUnknownUser.plainText == 0)
    }

    @Test func standInIsCostliestMethod() throws {
        let viewer = try Self.hashedUser("viewer", "pw", method: "$6$", cost: 1000)
        let admin = try Self.hashedUser("admin", "pw", method: "$2b$", cost: 10)
        let store = try Self.makeStore([
            viewer,
            UserEntry(username: "bob", password: "plain", passwordSource: .plainText, isAdmin: false, line: 2),
            admin,
        ])

        #expect(store.standIn == (try PasswordHash(storedValue: admin.password, source: .hash)))
    }

    @Test func standInIsHighestBcryptCost() throws {
        let cheap = try Self.hashedUser("cheap", "pw", method: "$2b$", cost: 4)
        let costly = try Self.hashedUser("costly", "pw", method: "$2b$", cost: 9)
        let store = try Self.makeStore([cheap, costly])

        #expect(store.standIn == (try PasswordHash(storedValue: costly.password, source: .hash)))
    }

    @Test func standInWithOneSettingIsFirst() throws {
        let first = try Self.hashedUser("first", "pw", method: "$2b$", cost: 4)
        let second = try Self.hashedUser("second", "pw", method: "$2b$", cost: 4)
        let store = try Self.makeStore([first, second])

        #expect(store.standIn == (try PasswordHash(storedValue: first.password, source: .hash)))
    }

    @Test(arguments: [
        ("$2b$", 5, "$2b$05$"), ("$6$", 2000, "$6$rounds=2000$"), ("$5$", 0, "$5$"), ("$y$", 0, "$y$j9T$"),
    ])
    func costSettingOmitsSalt(method: String, cost: Int, expected: String) throws {
        let hash = try PasswordHash(
            cryptHash: PasswordHash.makeCryptHash(password: "pw", methodPrefix: method, cost: cost))

        #expect(hash.costSetting == expected)
        #expect(PasswordHash(plainText: "$2b$05$").costSetting == nil)
    }

    @Test func unknownUserCostsOneComparison() async throws {
        let store = try Self.makeStore([
            UserEntry(username: "bob", password: "plain", passwordSource: .plainText, isAdmin: false, line: 2)
        ])

        _ = try await store.authenticate(username: "bob", password: "wrong")
        _ = try await store.authenticate(username: "nobody", password: "wrong")

        #expect(store.verificationCounts.plainText == 2)
        #expect(store.verificationCounts.crypt == 0)
    }

    @Test func usersListedInOrder() async throws {
        let store = try Self.makeStore([
            UserEntry(username: "zed", password: "a", passwordSource: .plainText, isAdmin: true, line: 1),
            UserEntry(username: "amy", password: "b", passwordSource: .plainText, isAdmin: false, line: 2),
        ])

        #expect(
            try await store.users() == [
                UserSummary(username: "zed", isAdmin: true), UserSummary(username: "amy", isAdmin: false),
            ])
    }

    @Test func duplicateUserRejected() {
        let entry = UserEntry(username: "amy", password: "b", passwordSource: .plainText, isAdmin: false, line: 4)
        let error = #expect(throws: SecurityError.self) { try Self.makeStore([entry, entry]) }
        #expect(error?.description.contains("users.xml:4 <user>") == true)
        #expect(error?.description.contains("'amy'") == true)
    }

    @Test func weakHashMethodRejected() {
        let entry = UserEntry(
            username: "amy", password: "{crypt}$1$salt$hash", passwordSource: .hash, isAdmin: false, line: 4)
        let error = #expect(throws: SecurityError.self) { try Self.makeStore([entry]) }
        #expect(error?.description.contains("not accepted") == true)
        #expect(error?.description.contains("users.xml:4") == true)
    }

    @Test func loadedDocumentAuthenticates() async throws {
        let hash = try PasswordHash.makeCryptHash(password: "grüße", methodPrefix: "$2b$", cost: 4)
        let document = handlerDocument(
            users: """
                <user><username>hashed</username><password>{crypt}\(hash)</password></user>
                <user><username>plain</username><password>$2b$not-a-hash</password></user>
                """)
        let configuration = try LoaderFixture().load(document)
        let store = try FileUserStore(configuration: try #require(configuration.userStore))

        #expect(try await store.authenticate(username: "hashed", password: "grüße") != nil)
        #expect(try await store.authenticate(username: "hashed", password: "{crypt}\(hash)") == nil)
        #expect(try await store.authenticate(username: "plain", password: "$2b$not-a-hash") != nil)
    }
}
