import Foundation
import InternalAPISecurity
import SampleExtensions
import Testing

@Suite("APIKeyHandler")
struct APIKeyHandlerTests {
    /// A `<handlers>` document with the API key handler on `/apis` and `/users`.
    static let document = """
        <handlers>
            <handler class="com.example.APIKeyHandler" name="APIKeyHandler">
                <keys>
                    <key user="ci-bot">$secret{ci-key}</key>
                    <key user="ops" isAdmin="true"> ops-plain-key </key>
                </keys>
                <resources>
                    <resource>/apis</resource>
                    <resource>/users</resource>
                </resources>
            </handler>
        </handlers>
        """

    static let challenge = "APIKey realm=\"Management API\", header=\"X-API-Key\""

    @Test func vaultKeyAuthenticates() async throws {
        let fixture = try ExtensionFixture()
        let chain = try fixture.makeChain(Self.document)

        let decision = try await fixture.evaluate(chain, path: "/apis", headers: ["X-API-Key": "ci-key-from-vault"])

        #expect(decision == .allowed(Principal(username: "ci-bot", isAdmin: false)))
    }

    @Test func plainKeyAuthenticatesAdmin() async throws {
        let fixture = try ExtensionFixture()
        let chain = try fixture.makeChain(Self.document)

        let decision = try await fixture.evaluate(chain, path: "/users/amy", headers: ["x-api-key": "ops-plain-key"])

        #expect(decision == .allowed(Principal(username: "ops", isAdmin: true)))
    }

    @Test func wrongKeyRejected() async throws {
        let fixture = try ExtensionFixture()
        let chain = try fixture.makeChain(Self.document)

        for key in ["ci-key-from-vaulT", "ci-key-from-vault ", "ci-key", "", "$secret{ci-key}"] {
            let decision = try await fixture.evaluate(chain, path: "/apis", headers: ["X-API-Key": key])

            guard case .responded(let response, let handler) = decision else {
                Issue.record("key '\(key)' was accepted")
                continue
            }
            #expect(response.status == 401)
            #expect(handler == "APIKeyHandler")
            #expect(response.headers["WWW-Authenticate"] == Self.challenge)
            #expect(response.headers["Cache-Control"] == "no-store")
            #expect(response.bodyText == #"{"Error":"Invalid API key"}"#)
        }
    }

    @Test func missingKeyRejected() async throws {
        let fixture = try ExtensionFixture()
        let chain = try fixture.makeChain(Self.document)

        let decision = try await fixture.evaluate(chain, path: "/apis", headers: ["Authorization": "Basic YTpi"])

        guard case .responded(let response, _) = decision else {
            Issue.record("a request without a key was accepted")
            return
        }
        #expect(response.status == 401)
        #expect(response.headers["WWW-Authenticate"] == Self.challenge)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.bodyText == #"{"Error":"Authentication is required: send an X-API-Key header"}"#)
    }

    @Test func repeatedHeaderRejected() async throws {
        let fixture = try ExtensionFixture()
        let chain = try fixture.makeChain(Self.document)
        let headers = HTTPHeaders([("X-API-Key", "ops-plain-key"), ("X-API-Key", "ci-key-from-vault")])

        let decision = try await fixture.evaluate(chain, path: "/apis", headers: headers)

        guard case .responded(let response, _) = decision else {
            Issue.record("a request with two keys was accepted")
            return
        }
        #expect(response.status == 401)
        #expect(response.bodyText == #"{"Error":"The request has more than one X-API-Key header"}"#)
    }

    @Test func unprotectedPathSkipsHandler() async throws {
        let fixture = try ExtensionFixture()
        let chain = try fixture.makeChain(Self.document)

        #expect(try await fixture.evaluate(chain, path: "/server") == .allowed(nil))
        #expect(try await fixture.evaluate(chain, path: "/apisX") == .allowed(nil))
        #expect(try await fixture.evaluate(chain, path: "/") == .allowed(nil))
    }

    @Test func rejectionLoggedWithoutKey() async throws {
        let fixture = try ExtensionFixture()
        let chain = try fixture.makeChain(Self.document)

        _ = try await fixture.evaluate(chain, path: "/apis", headers: ["X-API-Key": "guessed-key-1234"])

        let lines = fixture.logs.entries(withMessage: APIKeyHandler.rejectionLogMessage.text)
        #expect(lines.count == 1)
        #expect(lines.first?.metadata["reason"] == "invalid-credentials")
        #expect(!fixture.logs.allText.contains("guessed-key-1234"))
    }

    @Test func registeredUnderBothNames() throws {
        let registry = HandlerRegistry()
        APIKeyHandler.register(in: registry)

        #expect(registry.contains("com.example.APIKeyHandler"))
        #expect(registry.contains("APIKeyHandler"))
    }
}

@Suite("APIKeyHandler settings")
struct APIKeyHandlerSettingsTests {
    static let unusedContentMessage = "Configuration content is not used"

    @Test func keysElementNotReported() throws {
        let fixture = try ExtensionFixture()

        _ = try fixture.makeChain(APIKeyHandlerTests.document)

        #expect(fixture.logs.entries(withMessage: Self.unusedContentMessage).isEmpty)
    }

    @Test func misspeltElementReported() throws {
        let fixture = try ExtensionFixture()
        let document = APIKeyHandlerTests.document.replacingOccurrences(
            of: "<resources>", with: "<realm>typo</realm><resources>")

        _ = try fixture.makeChain(document)

        let lines = fixture.logs.entries(withMessage: Self.unusedContentMessage)
        #expect(lines.count == 1)
        #expect(lines.first?.metadata["element"] == "realm")
    }
}
