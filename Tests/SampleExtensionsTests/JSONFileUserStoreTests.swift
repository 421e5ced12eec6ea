import Foundation
import InternalAPISecurity
import SampleExtensions
import Testing

@Suite("JSONFileUserStore")
struct JSONFileUserStoreTests {
    /// A top-level JSON user store behind the API key handler, in the full document shape.
    static let document = """
        <internalApis>
            <apis>
                <api name="ManagementApi" protocol="https"
                     class="org.wso2.micro.integrator.management.apis.ManagementInternalApi">
                    <handlers>
                        <handler class="com.example.APIKeyHandler" name="APIKeyHandler">
                            <keys><key user="ci-bot">$secret{ci-key}</key></keys>
                        </handler>
                    </handlers>
                </api>
            </apis>
            <userStore class="com.example.JSONFileUserStore">
                <file>users.json</file>
            </userStore>
        </internalApis>
        """

    private func makeStore(_ fixture: ExtensionFixture, users json: String) throws -> any UserStore {
        try fixture.write(json, to: "users.json")
        return try fixture.makeUserStore(try fixture.load(Self.document))
    }

    private func storeError(_ json: String?) throws -> SecurityError {
        let fixture = try ExtensionFixture()
        if let json { try fixture.write(json, to: "users.json") }
        let configuration = try fixture.load(Self.document)
        return try #require(throws: SecurityError.self) {
            _ = try fixture.makeUserStore(configuration)
        }
    }

    @Test func plainPasswordAuthenticates() async throws {
        let fixture = try ExtensionFixture()
        let store = try makeStore(
            fixture,
            users: """
                {"users": [
                    {"username": "admin", "password": "admin pass ", "isAdmin": true},
                    {"username": "viewer", "password": "view"}
                ]}
                """)

        #expect(store.kind == "json-file")
        #expect(
            try await store.authenticate(username: "admin", password: "admin pass ")
                == Principal(username: "admin", isAdmin: true))
        #expect(try await store.authenticate(username: "viewer", password: "view") == Principal(username: "viewer"))
        #expect(try await store.authenticate(username: "admin", password: "admin pass") == nil)
        #expect(try await store.authenticate(username: "ghost", password: "view") == nil)
    }

    @Test func cryptHashAuthenticates() async throws {
        let fixture = try ExtensionFixture()
        let hash = try PasswordHash.makeCryptHash(password: "correct horse", methodPrefix: "$2b$", cost: 4)
        let store = try makeStore(
            fixture, users: #"{"users": [{"username": "alice", "password": "{crypt}\#(hash)"}]}"#)

        #expect(
            try await store.authenticate(username: "alice", password: "correct horse") == Principal(username: "alice"))
        #expect(try await store.authenticate(username: "alice", password: "correct horse!") == nil)
    }

    @Test func vaultPasswordAuthenticates() async throws {
        let fixture = try ExtensionFixture()
        let store = try makeStore(
            fixture, users: #"{"users": [{"username": "monitor", "password": "$secret{monitor-password}"}]}"#)

        #expect(try await store.authenticate(username: "monitor", password: "monitor-from-vault") != nil)
        #expect(try await store.authenticate(username: "monitor", password: "$secret{monitor-password}") == nil)
    }

    @Test func usersListedInFileOrder() async throws {
        let fixture = try ExtensionFixture()
        let store = try makeStore(
            fixture,
            users:
                #"{"users": [{"username": "b", "password": "1"}, {"username": "a", "password": "2", "isAdmin": true}]}"#
        )

        let users = try await store.users()

        #expect(users == [UserSummary(username: "b", isAdmin: false), UserSummary(username: "a", isAdmin: true)])
    }

    @Test func missingFileRejected() throws {
        let error = try storeError(nil)

        #expect(error.code == .fileNotReadable)
        #expect(error.reason == "Users file not found")
        #expect(error.value?.hasSuffix("/users.json") == true)
    }

    @Test func invalidJSONRejected() throws {
        let error = try storeError("{\"users\": [\n  {\"username\": \"a\" \"password\": \"b\"}\n]}")

        #expect(error.code == .invalidConfiguration)
        #expect(error.reason == "Users file is not valid JSON")
        #expect(error.underlying == "Invalid value around character 31 (line 2, column 20)")
    }

    @Test func truncatedJSONRejected() throws {
        let error = try storeError(#"{"users": [{"username": "a", "password": "b"}]"#)

        #expect(error.reason == "Users file is not valid JSON")
        #expect(error.underlying == "Unexpected end of file during JSON parse.")
    }

    @Test func wrongShapeRejected() throws {
        let error = try storeError(#"{"people": []}"#)

        #expect(error.reason == "Users file does not have the expected shape")
        #expect(error.underlying?.contains("users") == true)
    }

    @Test func wrongShapeNamesField() throws {
        let error = try storeError(#"{"users": [{"username": "a", "password": "b", "isAdmin": "yes"}]}"#)

        #expect(error.underlying?.hasPrefix("users[0].isAdmin: ") == true)
    }

    @Test func userWithoutPasswordRejected() throws {
        let error = try storeError(#"{"users": [{"username": "a", "password": "b"}, {"username": "c"}]}"#)

        #expect(error.reason == "User has no password")
        #expect(error.value == "c")
        #expect(error.location?.file.hasSuffix("/users.json") == true)
    }

    @Test func emptyPasswordRejected() throws {
        let error = try storeError(#"{"users": [{"username": "a", "password": ""}]}"#)

        #expect(error.reason == "User has no password")
    }

    @Test func userWithoutUsernameRejected() throws {
        let error = try storeError(#"{"users": [{"password": "b"}]}"#)

        #expect(error.reason == "User has no username")
        #expect(error.value == "users[0]")
    }

    @Test func duplicateUserRejected() throws {
        let error = try storeError(
            #"{"users": [{"username": "a", "password": "1"}, {"username": "a", "password": "2"}]}"#)

        #expect(error.reason == "Username is listed twice in the users file")
        #expect(error.value == "a")
    }

    @Test func malformedHashRejected() throws {
        let error = try storeError(#"{"users": [{"username": "a", "password": "{crypt}$2b$04$short"}]}"#)

        #expect(error.reason == "Password hash is malformed")
        #expect(error.value == "a")
    }

    @Test func missingFileElementRejected() throws {
        let fixture = try ExtensionFixture()
        let configuration = try fixture.load(
            Self.document.replacingOccurrences(of: "<file>users.json</file>", with: ""))

        let error = try #require(throws: SecurityError.self) {
            _ = try fixture.makeUserStore(configuration)
        }

        #expect(error.reason == "JSON user store has no <file> element")
        #expect(error.location?.element == "userStore")
    }
}
