import Foundation
import InternalAPISecurity
import JWTTokenSecurity
import Testing

@Suite("JWT handler logout")
struct LogoutTests {
    @Test func logoutRevokesPresentedToken() async throws {
        let fixture = try HandlerFixture()
        let token = try #require(try await fixture.login())

        let logout = try await fixture.bearer(token, path: "/logout", method: "POST")
        let afterwards = try await fixture.bearer(token)

        #expect(logout.response?.status == 200)
        #expect(logout.response?.headers["Cache-Control"] == "no-store")
        #expect(logout.response?.headers["Content-Type"] == "application/json")
        #expect(afterwards.response?.status == 401)
        #expect(fixture.store.count() == 0)
        #expect(fixture.events.events.contains(.logout(handler: "JWTTokenSecurityHandler")))
        #expect(fixture.logs.entries(withMessage: "logout succeeded").first?.metadata["user"] == "alice")
    }

    @Test func secondLogoutRejected() async throws {
        let fixture = try HandlerFixture()
        let token = try #require(try await fixture.login())

        _ = try await fixture.bearer(token, path: "/logout")
        let second = try await fixture.bearer(token, path: "/logout")

        #expect(second.response?.status == 401)
        #expect(second.response?.headers["WWW-Authenticate"] == "Bearer realm=\"Test Realm\", error=\"invalid_token\"")
    }

    @Test func otherTokensStayValid() async throws {
        let fixture = try HandlerFixture()
        let revoked = try #require(try await fixture.login())
        let kept = try #require(try await fixture.login())

        _ = try await fixture.bearer(revoked, path: "/logout")

        #expect(revoked != kept)
        #expect(try await fixture.bearer(kept).principal?.username == "alice")
        #expect(fixture.store.count() == 1)
    }

    @Test func concurrentLogoutsSucceedOnce() async throws {
        let fixture = try HandlerFixture(maxSize: 100)
        for round in 0..<20 {
            let token = try #require(try await fixture.login())

            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        let outcome = try await fixture.bearer(token, path: "/logout", context: fixture.parallelContext)
                        return outcome.response?.status ?? 0
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            #expect(statuses.sorted() == [200, 401], "round \(round)")
        }
    }

    @Test func expiredTokenCannotLogOut() async throws {
        let fixture = try HandlerFixture(lifetime: 10)
        let token = try #require(try await fixture.login())
        fixture.clock.advance(by: 10)

        let outcome = try await fixture.bearer(token, path: "/logout")

        #expect(outcome.response?.status == 401)
    }

    @Test func logoutWithoutTokenRejected() async throws {
        let fixture = try HandlerFixture()

        let outcome = try await fixture.handle(HandlerFixture.request("/logout"))

        #expect(outcome.response?.status == 401)
        #expect(outcome.response?.headers["WWW-Authenticate"] == "Bearer realm=\"Test Realm\"")
    }
}
