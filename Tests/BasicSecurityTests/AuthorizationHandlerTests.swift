import BasicSecurity
import InternalAPISecurity
import Testing

private let bearerChallenge = "Bearer realm=\"WSO2 Micro Integrator Management API\""

@Suite("AuthorizationHandler")
struct AuthorizationHandlerTests {
    @Test("admin proceeds")
    func adminProceeds() async throws {
        let handler = AuthorizationHandler()
        let admin = Principal(username: "admin", isAdmin: true)
        let context = SecurityContext(principal: admin, logger: .disabled())

        let outcome = try await handler.handle(makeRequest(path: "/users"), context: context)

        #expect(outcome == .proceed(nil))
    }

    @Test("non-admin forbidden")
    func nonAdminForbidden() async throws {
        let handler = AuthorizationHandler()
        let capture = LogCapture()
        let events = RecordingEventSink()
        let context = SecurityContext(
            principal: Principal(username: "jörg", isAdmin: false), logger: capture.logger(), events: events)

        let outcome = try await handler.handle(makeRequest(path: "/users"), context: context)

        let forbidden = try #require(response(of: outcome))
        #expect(forbidden.status == 403)
        #expect(forbidden.headers["Cache-Control"] == "no-store")
        #expect(forbidden.headers["Content-Type"] == "application/json")
        #expect(forbidden.headers["WWW-Authenticate"] == nil)
        #expect(forbidden.bodyText.hasPrefix("{\"Error\":"))
        #expect(events.events == [.rejected(handler: "AuthorizationHandler", reason: "forbidden")])
        let lines = capture.entries(withMessage: AuthorizationHandler.rejectionLogMessage.text)
        #expect(lines.count == 1)
        #expect(lines.first?.metadata["user"] == "jörg")
        #expect(lines.first?.metadata["request_id"] == "req-1")
    }

    @Test("no principal unauthorized")
    func noPrincipalUnauthorized() async throws {
        let handler = AuthorizationHandler()
        let context = SecurityContext(logger: .disabled())

        let outcome = try await handler.handle(makeRequest(path: "/users"), context: context)

        let unauthorized = try #require(response(of: outcome))
        #expect(unauthorized.status == 401)
        #expect(unauthorized.headers["WWW-Authenticate"] == bearerChallenge)
        #expect(unauthorized.headers["Cache-Control"] == "no-store")
        #expect(unauthorized.bodyText.hasPrefix("{\"Error\":"))
    }

    @Test("default resources")
    func defaultResources() {
        let handler = AuthorizationHandler()

        #expect(handler.protects(path: "/users"))
        #expect(handler.protects(path: "/users/alice"))
        #expect(handler.protects(path: "/roles"))
        #expect(handler.protects(path: "/configs"))
        #expect(!handler.protects(path: "/apis"))
        #expect(!handler.protects(path: "/login"))
        #expect(!handler.protects(path: "/usersX"))
    }

    @Test(
        "registry builds both names",
        arguments: [
            "AuthorizationHandler", "org.wso2.micro.integrator.management.apis.security.handler.AuthorizationHandler",
        ])
    func registryBuildsBothNames(className: String) throws {
        let registry = HandlerRegistry()
        AuthorizationHandler.register(in: registry)
        let context = HandlerFactoryContext(userStore: makeUserStore(), home: "/tmp")
        let element = ConfigElement(name: "handler", attributes: ["class": className])

        let defaults = try registry.makeHandler(
            HandlerConfiguration(name: "Admins", className: className, resources: .all, element: element),
            context: context)
        let listed = try registry.makeHandler(
            HandlerConfiguration(
                name: "Admins", className: className, resources: try ResourceSet(["/apis"]), element: element),
            context: context)

        #expect(defaults.name == "Admins")
        #expect(defaults.resources.prefixes == AuthorizationHandler.defaultResources)
        #expect(listed.resources.prefixes == ["/apis"])
        #expect(defaults is AuthorizationHandler)
    }
}

@Suite("Basic then Authorization chain")
struct BasicAuthorizationChainTests {
    private func makeChain(store: CountingUserStore) throws -> SecurityHandlerChain {
        SecurityHandlerChain([try BasicSecurityHandler(userStore: store), AuthorizationHandler()])
    }

    @Test("admin reaches users")
    func adminReachesUsers() async throws {
        let chain = try makeChain(store: makeUserStore())

        let decision = try await chain.evaluate(
            makeRequest(path: "/users", authorization: basicHeader("admin", "admin-secret")), logger: .disabled(),
            events: DiscardingEventSink())

        #expect(decision == .allowed(Principal(username: "admin", isAdmin: true)))
    }

    @Test("non-admin stopped at users")
    func nonAdminStoppedAtUsers() async throws {
        let chain = try makeChain(store: makeUserStore())

        let decision = try await chain.evaluate(
            makeRequest(path: "/users/alice", authorization: basicHeader("jörg", "pässword:with:colons")),
            logger: .disabled(), events: DiscardingEventSink())

        guard case .responded(let response, let handler) = decision else {
            Issue.record("expected a response, got \(decision)")
            return
        }
        #expect(response.status == 403)
        #expect(handler == "AuthorizationHandler")
    }

    @Test("non-admin reaches apis")
    func nonAdminReachesApis() async throws {
        let chain = try makeChain(store: makeUserStore())

        let decision = try await chain.evaluate(
            makeRequest(path: "/apis", authorization: basicHeader("jörg", "pässword:with:colons")),
            logger: .disabled(), events: DiscardingEventSink())

        #expect(decision == .allowed(Principal(username: "jörg", isAdmin: false)))
    }

    @Test("no credentials get Basic challenge")
    func noCredentialsGetBasicChallenge() async throws {
        let chain = try makeChain(store: makeUserStore())

        let decision = try await chain.evaluate(
            makeRequest(path: "/users"), logger: .disabled(), events: DiscardingEventSink())

        guard case .responded(let response, let handler) = decision else {
            Issue.record("expected a response, got \(decision)")
            return
        }
        #expect(response.status == 401)
        #expect(handler == "BasicSecurityHandler")
        #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Basic ") == true)
    }

    @Test("root needs no credentials")
    func rootNeedsNoCredentials() async throws {
        let store = makeUserStore()
        let chain = try makeChain(store: store)

        let decision = try await chain.evaluate(
            makeRequest(path: "/"), logger: .disabled(), events: DiscardingEventSink())

        #expect(decision == .allowed(nil))
        #expect(store.calls.count == 0)
    }
}
