import Foundation
import InternalAPISecurity
import JWTTokenSecurity
import Testing

@Suite("JWT handler login")
struct LoginTests {
    @Test(arguments: ["GET", "POST"])
    func loginReturnsToken(method: String) async throws {
        let fixture = try HandlerFixture()

        let outcome = try await fixture.handle(
            HandlerFixture.request(
                "/login", method: method, authorization: HandlerFixture.basicHeader("alice", "alice-secret")))
        let response = try #require(outcome.response)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String])

        #expect(response.status == 200)
        #expect(response.headers["Cache-Control"] == "no-store")
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(body.keys.sorted() == ["AccessToken"])
        #expect(body["AccessToken"]?.split(separator: ".").count == 3)
        #expect(fixture.store.count() == 1)
        #expect(fixture.events.events.contains(.login(handler: "JWTTokenSecurityHandler")))
    }

    @Test func wrongPasswordGetsBasicChallenge() async throws {
        let fixture = try HandlerFixture()

        let outcome = try await fixture.handle(
            HandlerFixture.request("/login", authorization: HandlerFixture.basicHeader("alice", "wrong")))
        let response = try #require(outcome.response)

        #expect(response.status == 401)
        #expect(response.headers["WWW-Authenticate"] == "Basic realm=\"Test Realm\", charset=\"UTF-8\"")
        #expect(response.headers["Cache-Control"] == "no-store")
        #expect(response.bodyText.contains("Invalid username or password"))
        #expect(fixture.store.count() == 0)
        #expect(fixture.events.events == [.rejected(handler: "JWTTokenSecurityHandler", reason: "invalid-credentials")])
    }

    @Test func unknownUserGetsSameAnswer() async throws {
        let fixture = try HandlerFixture()

        let unknown = try await fixture.handle(
            HandlerFixture.request("/login", authorization: HandlerFixture.basicHeader("mallory", "x")))
        let wrong = try await fixture.handle(
            HandlerFixture.request("/login", authorization: HandlerFixture.basicHeader("alice", "x")))

        #expect(unknown.response?.status == 401)
        #expect(unknown.response == wrong.response)
    }

    @Test(arguments: [nil, "Basic", "Basic !!!", "Bearer abc", "Digest x=1"])
    func badCredentialsGetChallenge(authorization: String?) async throws {
        let fixture = try HandlerFixture()

        let outcome = try await fixture.handle(HandlerFixture.request("/login", authorization: authorization))
        let response = try #require(outcome.response)

        #expect(response.status == 401)
        #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Basic realm=") == true)
        #expect(fixture.store.count() == 0)
    }

    @Test func unsupportedMethodGets405() async throws {
        let fixture = try HandlerFixture()

        let outcome = try await fixture.handle(
            HandlerFixture.request(
                "/login", method: "DELETE", authorization: HandlerFixture.basicHeader("alice", "alice-secret")))

        #expect(outcome.response?.status == 405)
        #expect(outcome.response?.headers["Allow"] == "GET, POST")
        #expect(fixture.store.count() == 0)
    }

    @Test func fullStoreGets503WithRetryAfter() async throws {
        let fixture = try HandlerFixture(maxSize: 2, removeOldestOnOverflow: false, lifetime: 100)
        _ = try await fixture.login()
        fixture.clock.advance(by: 30)
        _ = try await fixture.login()
        fixture.clock.advance(by: 10)

        let outcome = try await fixture.handle(
            HandlerFixture.request("/login", authorization: HandlerFixture.basicHeader("alice", "alice-secret")))
        let response = try #require(outcome.response)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String])

        #expect(response.status == 503)
        #expect(response.headers["Retry-After"] == "60")
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(body["Error"] != nil)
        #expect(fixture.store.count() == 2)
        #expect(fixture.events.events.contains(.tokenStoreFull(handler: "JWTTokenSecurityHandler")))
    }

    @Test func overflowEvictsOldestToken() async throws {
        let fixture = try HandlerFixture(maxSize: 2, removeOldestOnOverflow: true)
        let first = try #require(try await fixture.login())
        fixture.clock.advance(by: 1)
        let second = try #require(try await fixture.login())
        fixture.clock.advance(by: 1)
        _ = try await fixture.bearer(first)
        fixture.clock.advance(by: 1)

        let third = try #require(try await fixture.login())

        #expect(try await fixture.bearer(first).principal != nil)
        #expect(try await fixture.bearer(second).response?.status == 401)
        #expect(try await fixture.bearer(third).principal != nil)
        #expect(fixture.events.events.contains(.tokensEvicted(handler: "JWTTokenSecurityHandler", count: 1)))
    }

    @Test func parallelLoginsStayBounded() async throws {
        let fixture = try HandlerFixture(maxSize: 10, removeOldestOnOverflow: true)

        let counts = try await withThrowingTaskGroup(of: (Bool, Int).self) { group in
            for _ in 0..<64 {
                group.addTask {
                    let token = try await fixture.login(context: fixture.parallelContext)
                    return (token != nil, fixture.store.count())
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(counts.filter(\.0).count == 64)
        #expect(counts.map(\.1).max() ?? 0 <= 10)
        #expect(fixture.store.count() == 10)
    }

    @Test func loginLogsWithoutSecrets() async throws {
        let fixture = try HandlerFixture()

        let token = try #require(try await fixture.login())
        _ = try await fixture.handle(
            HandlerFixture.request("/login", authorization: HandlerFixture.basicHeader("alice", "wrong-pass")))
        let succeeded = try #require(fixture.logs.entries(withMessage: "login succeeded").first)
        let failed = try #require(fixture.logs.entries(withMessage: "authentication failed").first)

        #expect(succeeded.metadata["user"] == "alice")
        #expect(succeeded.metadata["client"] == "127.0.0.1")
        #expect(succeeded.metadata["request_id"] == "req-1")
        #expect(succeeded.metadata["token_digest"]?.count == 12)
        #expect(failed.metadata["reason"] == "invalid-credentials")
        #expect(!fixture.logs.allText.contains(token))
        #expect(!fixture.logs.allText.contains("alice-secret"))
        #expect(!fixture.logs.allText.contains("wrong-pass"))
    }

    @Test func loginStartsCleanup() async throws {
        let fixture = try HandlerFixture()

        _ = try await fixture.login()
        await fixture.sleeper.waitForSleep(count: 1)

        #expect(fixture.handler.cleanup.isScheduled)
        fixture.handler.shutDown()
    }
}
