import InternalAPISecurity
import Testing

/// A handler that responds to every request it protects with a fixed status, for registry and
/// chain tests.
struct FixedStatusHandler: SecurityHandler {
    var name: String
    var resources: ResourceSet
    var status: Int?

    func handle(_ request: SecurityRequest, context: SecurityContext) async throws -> SecurityOutcome {
        guard let status else { return .proceed(Principal(username: name)) }
        return .respond(SecurityResponse(status: status))
    }
}

@Suite("Registries")
struct RegistryTests {
    private func loadHandlers(_ document: String) throws -> InternalAPIsConfiguration {
        try LoaderFixture().load(document)
    }

    @Test func handlerBuiltFromClassName() throws {
        let registry = HandlerRegistry()
        registry.register(["com.example.FixedStatusHandler"]) { configuration, _ in
            FixedStatusHandler(name: configuration.name, resources: configuration.resources, status: 418)
        }
        let configuration = try loadHandlers(
            """
            <handler class="com.example.FixedStatusHandler" name="teapot">
              <resources><resource>/brew</resource></resources>
            </handler>
            """)
        let handlerConfiguration = try #require(configuration.apis.first?.handlers.first)

        let store = try FileUserStore(
            configuration: UserStoreConfiguration(
                className: nil, users: [], element: ConfigElement(name: "userStore")))
        let handler = try registry.makeHandler(
            handlerConfiguration, context: HandlerFactoryContext(userStore: store, home: "/"))

        #expect(handler.name == "teapot")
        #expect(handler.protects(path: "/brew/now"))
        #expect(!handler.protects(path: "/brewery"))
        #expect(throws: Never.self) { try configuration.validateHandlerClasses(registry: registry) }
    }

    @Test func undeclaredHandlerSettingWarns() throws {
        let registry = HandlerRegistry()
        registry.register(["com.example.FixedStatusHandler"], settings: ["Status"]) { configuration, _ in
            FixedStatusHandler(name: configuration.name, resources: configuration.resources, status: 418)
        }
        let configuration = try loadHandlers(
            """
            <handler class="com.example.FixedStatusHandler" name="teapot">
              <Status>418</Status>
              <TokenStoreConfg><MaxSize>1</MaxSize></TokenStoreConfg>
              <resources><resource>/brew</resource></resources>
            </handler>
            """)
        let handlerConfiguration = try #require(configuration.apis.first?.handlers.first)
        let store = try FileUserStore(
            configuration: UserStoreConfiguration(
                className: nil, users: [], element: ConfigElement(name: "userStore")))
        let logs = LogCapture()

        _ = try registry.makeHandler(
            handlerConfiguration, context: HandlerFactoryContext(userStore: store, logger: logs.logger(), home: "/"))

        let warnings = logs.entries(withMessage: "Configuration content is not used")
        #expect(warnings.count == 1)
        #expect(warnings.first?.metadata["element"] == "TokenStoreConfg")
        #expect(warnings.first?.metadata["line"] == "3")
        let returned = registry.undeclaredSettings(of: handlerConfiguration)
        #expect(returned.map(\.location.element) == ["TokenStoreConfg"])
        #expect(returned.first?.location.line == 3)
    }

    @Test func repeatedDeclaredSettingRejected() throws {
        let registry = HandlerRegistry()
        registry.register(["com.example.FixedStatusHandler"], settings: ["Status"]) { configuration, _ in
            FixedStatusHandler(name: configuration.name, resources: configuration.resources, status: 418)
        }
        let configuration = try loadHandlers(
            """
            <handler class="com.example.FixedStatusHandler" name="teapot">
              <Status>418</Status>
              <Status>200</Status>
            </handler>
            """)
        let handlerConfiguration = try #require(configuration.apis.first?.handlers.first)
        let store = try FileUserStore(
            configuration: UserStoreConfiguration(
                className: nil, users: [], element: ConfigElement(name: "userStore")))

        let error = #expect(throws: SecurityError.self) {
            try registry.makeHandler(handlerConfiguration, context: HandlerFactoryContext(userStore: store, home: "/"))
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.description.contains("<Status> appears twice") == true)
        #expect(error?.description.contains("lines 2 and 3") == true)
    }

    @Test func unknownHandlerClassListsNames() throws {
        let registry = HandlerRegistry()
        registry.registerBuiltIn(shortName: "BasicSecurityHandler") { configuration, _ in
            FixedStatusHandler(name: configuration.name, resources: configuration.resources, status: nil)
        }
        let configuration = try loadHandlers("<handlers>\n<handler class=\"Missing\" name=\"m\"/></handlers>")

        let error = #expect(throws: SecurityError.self) { try configuration.validateHandlerClasses(registry: registry) }
        #expect(error?.code == .unknownClass)
        #expect(error?.description.contains("test.xml:2 <handler>") == true)
        #expect(error?.description.contains("'Missing'") == true)
        #expect(
            error?.description.contains(
                "BasicSecurityHandler, org.wso2.micro.integrator.management.apis.security.handler.BasicSecurityHandler")
                == true)
    }

    @Test func fileStoreRegisteredAsDefault() async throws {
        let registry = UserStoreRegistry()
        FileUserStore.register(in: registry)
        let configuration = try loadHandlers(
            handlerDocument(users: "<user><username>a</username><password>pw</password><isAdmin>true</isAdmin></user>"))
        let storeConfiguration = try #require(configuration.userStore)

        let store = try registry.makeUserStore(storeConfiguration, context: UserStoreFactoryContext(home: "/"))

        #expect(store.kind == "file")
        #expect(try await store.authenticate(username: "a", password: "pw") == Principal(username: "a", isAdmin: true))
        #expect(registry.registeredNames == ["file"])
    }

    @Test func unknownUserStoreClassListsNames() throws {
        let registry = UserStoreRegistry()
        FileUserStore.register(in: registry)
        let configuration = UserStoreConfiguration(
            className: "ldap", users: [], element: ConfigElement(name: "userStore", line: 9, file: "x.xml"))

        let error = #expect(throws: SecurityError.self) {
            try registry.makeUserStore(configuration, context: UserStoreFactoryContext(home: "/"))
        }
        #expect(error?.description.contains("x.xml:9 <userStore>") == true)
        #expect(error?.description.contains("'ldap'") == true)
        #expect(error?.description.contains("use one of: file") == true)
    }

    @Test func apiRegistryKnowsMicroIntegrator() {
        let registry = APIClassRegistry()

        #expect(registry.kind(for: "org.wso2.micro.integrator.management.apis.ManagementInternalApi") == .management)
        #expect(registry.kind(for: "org.wso2.micro.integrator.observability.metric.publisher.MetricAPI") == .prometheus)
        #expect(registry.kind(for: "org.wso2.micro.integrator.probes.ReadinessProbe") == .readiness)
        #expect(registry.kind(for: "org.wso2.micro.integrator.probes.LivenessProbe") == .liveness)
        #expect(registry.kind(for: "MetricAPI") == .prometheus)
        #expect(registry.kind(for: "com.example.Other") == nil)
    }

    @Test func apiRegistryAcceptsNewClass() throws {
        let registry = APIClassRegistry()
        registry.register("com.example.Health", kind: .liveness)
        let document = #"<internalApis><apis><api name="h" class="com.example.Health"/></apis></internalApis>"#

        let configuration = try InternalAPIsLoader(apiClasses: registry).load(
            data: Array(document.utf8), home: "/", secretResolver: LoaderFixture.secrets, logger: .disabled())

        #expect(configuration.apis.first?.kind == .liveness)
    }
}
