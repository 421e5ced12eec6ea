import BasicSecurity
import Foundation
import InternalAPISecurity
import Testing

private let microIntegratorClassName =
    "org.wso2.micro.integrator.management.apis.security.handler.BasicSecurityHandler"

/// Makes a `<handler>` configuration with the given setting elements.
private func handlerConfiguration(
    className: String, resources: [String] = [], settings: [(String, String)] = []
) throws -> HandlerConfiguration {
    let element = ConfigElement(
        name: "handler", attributes: ["class": className, "name": "BasicAuth"],
        children: settings.map { ConfigElement(name: $0.0, text: $0.1, line: 7, file: "internal-apis.xml") },
        line: 5, file: "internal-apis.xml")
    return HandlerConfiguration(
        name: "BasicAuth", className: className, resources: try ResourceSet(resources), element: element)
}

private func makeRegistry() -> HandlerRegistry {
    let registry = HandlerRegistry()
    BasicSecurityModule.register(in: registry)
    return registry
}

@Suite("BasicSecurityHandler configuration")
struct BasicSecurityRegistryTests {
    @Test("registry builds both names", arguments: ["BasicSecurityHandler", microIntegratorClassName])
    func registryBuildsBothNames(className: String) async throws {
        let store = makeUserStore()
        let configuration = try handlerConfiguration(className: className, resources: ["/apis"])

        let built = try makeRegistry().makeHandler(
            configuration, context: HandlerFactoryContext(userStore: store, home: "/tmp"))

        let handler = try #require(built as? BasicSecurityHandler)
        #expect(handler.name == "BasicAuth")
        #expect(handler.resources.prefixes == ["/apis"])
        #expect(handler.realm == BasicSecurityHandler.defaultRealm)
        #expect(handler.cacheSettings == BasicSecurityHandler.CacheSettings(capacity: 1024, timeToLive: 60))

        let outcome = try await handler.handle(
            makeRequest(authorization: basicHeader("admin", "admin-secret")),
            context: SecurityContext(logger: .disabled()))
        #expect(principal(of: outcome)?.username == "admin")
        #expect(store.calls.count == 1)
    }

    @Test("settings read from element")
    func settingsReadFromElement() throws {
        let configuration = try handlerConfiguration(
            className: "BasicSecurityHandler",
            settings: [("CacheSize", " 16 "), ("CacheTTL", "5"), ("Realm", " ops ")])

        let built = try makeRegistry().makeHandler(
            configuration, context: HandlerFactoryContext(userStore: makeUserStore(), home: "/tmp"))

        let handler = try #require(built as? BasicSecurityHandler)
        #expect(handler.cacheSettings == BasicSecurityHandler.CacheSettings(capacity: 16, timeToLive: 5))
        #expect(handler.realm == "ops")
    }

    @Test("cache uses context clock")
    func cacheUsesContextClock() async throws {
        let store = makeUserStore()
        let clock = ManualClock()
        let configuration = try handlerConfiguration(
            className: "BasicSecurityHandler", settings: [("CacheTTL", "5")])
        let handler = try makeRegistry().makeHandler(
            configuration, context: HandlerFactoryContext(userStore: store, clock: clock, home: "/tmp"))
        let request = makeRequest(authorization: basicHeader("admin", "admin-secret"))
        let context = SecurityContext(logger: .disabled())

        _ = try await handler.handle(request, context: context)
        _ = try await handler.handle(request, context: context)
        clock.advance(by: 5)
        _ = try await handler.handle(request, context: context)

        #expect(store.calls.count == 2)
    }

    @Test(
        "bad settings name element",
        arguments: [
            ("CacheSize", "lots"), ("CacheSize", "-1"), ("CacheSize", "1000001"), ("CacheTTL", "1.5"),
            ("CacheTTL", "3601"), ("Realm", ""), ("Realm", "caf\u{E9}"),
        ])
    func badSettingsNameElement(element: String, value: String) throws {
        let configuration = try handlerConfiguration(className: "BasicSecurityHandler", settings: [(element, value)])

        let error = #expect(throws: SecurityError.self) {
            try makeRegistry().makeHandler(
                configuration, context: HandlerFactoryContext(userStore: makeUserStore(), home: "/tmp"))
        }

        #expect(error?.code == .invalidConfiguration)
        #expect(error?.location?.element == element)
        #expect(error?.location?.line == 7)
        #expect(error?.location?.file == "internal-apis.xml")
        #expect(error?.fix != nil)
    }

    @Test("zero size turns cache off")
    func zeroSizeTurnsCacheOff() async throws {
        let store = makeUserStore()
        let configuration = try handlerConfiguration(className: "BasicSecurityHandler", settings: [("CacheSize", "0")])
        let handler = try makeRegistry().makeHandler(
            configuration, context: HandlerFactoryContext(userStore: store, home: "/tmp"))
        let request = makeRequest(authorization: basicHeader("admin", "admin-secret"))
        let context = SecurityContext(logger: .disabled())

        _ = try await handler.handle(request, context: context)
        _ = try await handler.handle(request, context: context)

        #expect(store.calls.count == 2)
    }
}
