import Foundation
import InternalAPISecurity
import JWTTokenSecurity
import Testing

@Suite("JWT handler bearer tokens")
struct BearerTests {
    @Test func validTokenProceeds() async throws {
        let fixture = try HandlerFixture()
        let token = try #require(try await fixture.login("admin", "admin-secret"))

        let outcome = try await fixture.bearer(token, path: "/users/alice")

        #expect(outcome == .proceed(Principal(username: "admin", isAdmin: true)))
        #expect(fixture.events.events.contains(.authenticated(handler: "JWTTokenSecurityHandler")))
    }

    @Test func schemeIsCaseInsensitive() async throws {
        let fixture = try HandlerFixture()
        let token = try #require(try await fixture.login())

        let outcome = try await fixture.handle(HandlerFixture.request("/apis", authorization: "bEaReR " + token))

        #expect(outcome.principal?.username == "alice")
    }

    @Test func expiresAtExactSecond() async throws {
        let fixture = try HandlerFixture(lifetime: 60)
        let token = try #require(try await fixture.login())

        fixture.clock.advance(by: 59)
        let lastValidSecond = try await fixture.bearer(token)
        fixture.clock.advance(by: 1)
        let expired = try await fixture.bearer(token)

        #expect(lastValidSecond.principal != nil)
        #expect(expired.response?.status == 401)
        #expect(expired.response?.headers["WWW-Authenticate"] == "Bearer realm=\"Test Realm\", error=\"invalid_token\"")
    }

    @Test(arguments: ["=", "==", " x", "x"])
    func respelledTokenRejected(suffix: String) async throws {
        let fixture = try HandlerFixture()
        let token = try #require(try await fixture.login())

        let outcome = try await fixture.bearer(token + suffix)

        #expect(outcome.response?.status == 401)
        #expect(outcome.response?.headers["Cache-Control"] == "no-store")
    }

    @Test func caseChangedTokenRejected() async throws {
        let fixture = try HandlerFixture()
        let token = try #require(try await fixture.login())
        let flipped = String(token.prefix(10)) + token.dropFirst(10).prefix(1).uppercased() + token.dropFirst(11)
        let respelled =
            flipped == token
            ? String(token.prefix(10)) + token.dropFirst(10).prefix(1).lowercased() + token.dropFirst(11) : flipped

        let outcome = try await fixture.bearer(respelled)

        #expect(respelled != token)
        #expect(outcome.response?.status == 401)
    }

    @Test func basicOnBearerResourceRejected() async throws {
        let fixture = try HandlerFixture()

        let outcome = try await fixture.handle(
            HandlerFixture.request("/apis", authorization: HandlerFixture.basicHeader("alice", "alice-secret")))
        let response = try #require(outcome.response)

        #expect(response.status == 401)
        #expect(response.headers["WWW-Authenticate"] == "Bearer realm=\"Test Realm\"")
        #expect(response.headers["Cache-Control"] == "no-store")
    }

    @Test func missingHeaderGetsPlainChallenge() async throws {
        let fixture = try HandlerFixture()

        let outcome = try await fixture.handle(HandlerFixture.request("/apis"))

        #expect(outcome.response?.status == 401)
        #expect(outcome.response?.headers["WWW-Authenticate"] == "Bearer realm=\"Test Realm\"")
        #expect(fixture.events.events == [.rejected(handler: "JWTTokenSecurityHandler", reason: "missing-credentials")])
    }

    @Test(arguments: ["Bearer not a token", "Bearer a=b", "Bearer unknown.token.value"])
    func invalidTokenGetsInvalidTokenError(authorization: String) async throws {
        let fixture = try HandlerFixture()

        let outcome = try await fixture.handle(HandlerFixture.request("/apis", authorization: authorization))

        #expect(outcome.response?.status == 401)
        #expect(outcome.response?.headers["WWW-Authenticate"] == "Bearer realm=\"Test Realm\", error=\"invalid_token\"")
    }

    @Test func protectsLoginLogoutAndResources() throws {
        let fixture = try HandlerFixture()

        #expect(fixture.handler.protects(path: "/login"))
        #expect(fixture.handler.protects(path: "/logout"))
        #expect(fixture.handler.protects(path: "/apis/x"))
        #expect(!fixture.handler.protects(path: "/apisX"))
        #expect(!fixture.handler.protects(path: "/server"))
    }

    @Test func failureLogOmitsToken() async throws {
        let fixture = try HandlerFixture()
        let token = try #require(try await fixture.login())
        _ = try await fixture.bearer(token + "x")

        let failed = try #require(fixture.logs.entries(withMessage: "authentication failed").first)

        #expect(failed.metadata["reason"] == "invalid-token")
        #expect(failed.metadata["token_digest"]?.count == 12)
        #expect(!fixture.logs.allText.contains(token))
    }
}
