import Foundation
import InternalAPISecurity
import SampleExtensions
import Testing

/// Checks that the custom server sample's configuration loads and that the sample extensions it
/// names work as its comments say.
@Suite("Custom server sample")
struct CustomServerSampleTests {
    /// `Samples/custom-server`, found from this file's path so the test reads the shipped files.
    static let sampleFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Samples/custom-server").path

    private struct Sample {
        let configuration: InternalAPIsConfiguration
        let userStore: any UserStore
        let chain: SecurityHandlerChain
    }

    /// Loads the sample and builds the handlers that the core and the sample extensions provide.
    /// The JWT handler lives in another module, so it is left out of the chain.
    private func loadSample() throws -> Sample {
        let handlers = HandlerRegistry()
        APIKeyHandler.register(in: handlers)
        AuthorizationHandler.register(in: handlers)
        let userStores = UserStoreRegistry()
        JSONFileUserStore.register(in: userStores)

        let configuration = try InternalAPIsLoader().load(
            file: Self.sampleFolder + "/internal-apis.xml", home: Self.sampleFolder,
            secretResolver: UnconfiguredSecretResolver(), logger: .disabled())
        let storeConfiguration = try #require(configuration.userStore)
        let userStore = try userStores.makeUserStore(
            storeConfiguration, context: UserStoreFactoryContext(home: Self.sampleFolder))

        let api = try #require(configuration.api(named: "ManagementApi"))
        let context = HandlerFactoryContext(userStore: userStore, home: Self.sampleFolder)
        let built = try api.handlers.filter { handlers.contains($0.className) }.map {
            try handlers.makeHandler($0, context: context)
        }
        return Sample(configuration: configuration, userStore: userStore, chain: SecurityHandlerChain(built))
    }

    @Test func sampleNamesExpectedHandlers() throws {
        let sample = try loadSample()

        let api = try #require(sample.configuration.api(named: "ManagementApi"))
        #expect(api.handlers.map(\.name) == ["JWTTokenSecurityHandler", "APIKeyHandler", "AuthorizationHandler"])
        #expect(sample.configuration.userStore?.className == "com.example.JSONFileUserStore")
        #expect(sample.configuration.warnings.isEmpty)
    }

    @Test func sampleKeyReachesArtifacts() async throws {
        let sample = try loadSample()
        let request = SecurityRequest(
            method: "GET", path: "/proxy-services", headers: ["X-API-Key": "sample-ci-key-replace-me"])

        let decision = try await sample.chain.evaluate(request, logger: .disabled(), events: DiscardingEventSink())

        #expect(decision == .allowed(Principal(username: "ci-bot")))
    }

    @Test func artifactsNeedKey() async throws {
        let sample = try loadSample()

        let decision = try await sample.chain.evaluate(
            SecurityRequest(method: "GET", path: "/apis"), logger: .disabled(), events: DiscardingEventSink())

        guard case .responded(let response, let handler) = decision else {
            Issue.record("/apis was reached without a key")
            return
        }
        #expect(response.status == 401)
        #expect(handler == "APIKeyHandler")
    }

    @Test func sampleUsersAuthenticate() async throws {
        let sample = try loadSample()

        #expect(
            try await sample.userStore.authenticate(username: "admin", password: "admin")
                == Principal(username: "admin", isAdmin: true))
        #expect(
            try await sample.userStore.authenticate(username: "monitor", password: "monitor-password")
                == Principal(username: "monitor"))
        #expect(try await sample.userStore.authenticate(username: "admin", password: "monitor-password") == nil)
    }
}
