import InternalAPISecurity
import Testing

@Suite("InternalAPIsLoader shapes")
struct LoaderShapeTests {
    @Test func bareHandlerLoads() throws {
        let fixture = LoaderFixture()
        let configuration = try fixture.loadFixture("handler.xml")

        #expect(configuration.shape == .handler)
        #expect(configuration.apis.count == 1)
        let api = try #require(configuration.apis.first)
        #expect(api.name == "ManagementApi")
        #expect(api.protocols == [.https])
        #expect(api.kind == .management)
        let handler = try #require(api.handlers.first)
        #expect(handler.name == "JWTTokenSecurityHandler")
        #expect(handler.className.hasSuffix(".JWTTokenSecurityHandler"))
        #expect(
            handler.tokenStore == TokenStoreSettings(maxSize: 50, cleanupInterval: 120, removeOldestOnOverflow: false))
        #expect(handler.token == TokenSettings(expiry: 900, keySize: 3072))
        #expect(handler.resources.matchesEverything)
    }

    @Test func bareHandlerUserKeepsPasswordSpaces() throws {
        let configuration = try LoaderFixture().loadFixture("handler.xml")

        let user = try #require(configuration.userStore?.users.first)
        #expect(user.username == "operator")
        #expect(user.password == " spaced secret ")
        #expect(user.passwordSource == .plainText)
        #expect(user.isAdmin)
        #expect(user.line == 16)
    }

    @Test func bareHandlersLoad() throws {
        let configuration = try LoaderFixture().loadFixture("handlers.xml")

        #expect(configuration.shape == .handlers)
        let handlers = try #require(configuration.apis.first?.handlers)
        #expect(handlers.map(\.name) == ["basic", "authorization"])
        #expect(handlers.first?.resources.prefixes == ["/users", "/logging"])
        #expect(handlers.last?.tokenStore == TokenStoreSettings())
        #expect(configuration.userStore?.users.first?.password == "$not-a-secret")
        #expect(configuration.userStore?.users.first?.passwordSource == .plainText)
    }

    @Test func fullDocumentReadsAPIs() throws {
        let configuration = try LoaderFixture().loadFixture("internal-apis.xml")

        #expect(configuration.shape == .internalApis)
        #expect(
            configuration.apis.map(\.name) == ["PrometheusApi", "ReadinessProbe", "LivenessProbe", "ManagementApi"])
        #expect(configuration.apis.map(\.kind) == [.prometheus, .readiness, .liveness, .management])
        #expect(configuration.api(named: "PrometheusApi")?.protocols == [.http])
        #expect(configuration.api(named: "PrometheusApi")?.handlers.isEmpty == true)

        let management = try #require(configuration.api(named: "ManagementApi"))
        #expect(management.protocols == [.http, .https])
        #expect(management.handlers.map(\.name) == ["JWTTokenSecurityHandler", "AuthorizationHandler"])
        #expect(
            management.handlers.first?.tokenStore
                == TokenStoreSettings(maxSize: 300, cleanupInterval: 60, removeOldestOnOverflow: false))
        #expect(management.handlers.first?.token == TokenSettings(expiry: 1800, keySize: 4096))
        #expect(management.handlers.last?.resources.prefixes == ["/users"])
        #expect(
            management.cors
                == CORSConfiguration(
                    enabled: true, allowedOrigins: ["https://a.example", "https://b.example"],
                    allowedHeaders: ["Authorization", "Content-Type"]))
    }

    @Test func fullDocumentResolvesUsers() throws {
        let configuration = try LoaderFixture().loadFixture("internal-apis.xml")

        let users = try #require(configuration.userStore?.users)
        #expect(users.map(\.username) == ["admin", "monitor", "auditor"])
        #expect(users.map(\.password) == ["vault-admin-pass", " vault monitor ", "plain words"])
        #expect(users.map(\.passwordSource) == [.secret, .secret, .plainText])
        #expect(users.map(\.isAdmin) == [true, false, false])
        #expect(configuration.userStore?.className == nil)
    }

    @Test func fullDocumentReadsSSLConfig() throws {
        let configuration = try LoaderFixture().loadFixture("internal-apis.xml")

        let ssl = try #require(configuration.sslConfig)
        #expect(
            ssl.keyStore
                == KeyStoreReference(
                    path: "/opt/management/repository/resources/security/server.p12", type: "PKCS12",
                    password: "vault-store-pass", keyPassword: "vault-key-pass", alias: nil))
        #expect(
            ssl.trustStore
                == KeyStoreReference(
                    path: "/etc/management/truststore.p12", type: "PKCS12", password: "trust-pass", keyPassword: nil,
                    alias: nil))
        #expect(ssl.verifyClient == .optional)
        #expect(ssl.httpsProtocols == ["TLSv1.2", "TLSv1.3"])
        #expect(ssl.preferredCiphers == ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"])
    }

    @Test func unusedSSLParametersWarnWithLines() throws {
        let fixture = LoaderFixture()
        let configuration = try fixture.loadFixture("internal-apis.xml")

        let lines = configuration.warnings.compactMap(\.location.line)
        #expect(lines == [63, 79])
        #expect(configuration.warnings.first?.message.contains("sslProtocol") == true)
        #expect(configuration.warnings.last?.message.contains("certificateRevocationVerifier") == true)
        let logged = fixture.logs.entries(withMessage: "Configuration content is not used")
        #expect(logged.count == 2)
        #expect(logged.allSatisfy { $0.level == .warning })
        #expect(logged.first?.metadata["line"] == "63")
    }

    @Test func missingSettingsGetDefaults() throws {
        let configuration = try LoaderFixture().load(#"<handler class="JWTTokenSecurityHandler" name="jwt"/>"#)

        let handler = try #require(configuration.apis.first?.handlers.first)
        #expect(handler.tokenStore.maxSize == 200)
        #expect(handler.tokenStore.cleanupInterval == 600)
        #expect(handler.tokenStore.removeOldestOnOverflow == true)
        #expect(handler.token.expiry == 3600)
        #expect(handler.token.keySize == 2048)
        #expect(configuration.userStore == nil)
        #expect(configuration.warnings.isEmpty)
    }

    @Test func partialSettingsKeepOtherDefaults() throws {
        let document = """
            <handler class="JWTTokenSecurityHandler" name="jwt">
              <TokenStoreConfig><MaxSize>7</MaxSize></TokenStoreConfig>
              <TokenConfig><size>2048</size></TokenConfig>
            </handler>
            """
        let handler = try #require(try LoaderFixture().load(document).apis.first?.handlers.first)

        #expect(
            handler.tokenStore == TokenStoreSettings(maxSize: 7, cleanupInterval: 600, removeOldestOnOverflow: true))
        #expect(handler.token == TokenSettings(expiry: 3600, keySize: 2048))
    }

    @Test func unknownElementsWarnWithLines() throws {
        let document = """
            <internalApis>
              <apis>
                <api name="ManagementApi" class="ManagementInternalApi" color="blue">
                  <handlers>
                    <handler class="JWTTokenSecurityHandler" name="jwt">
                      <TokenStoreConfg><MaxSize>1</MaxSize></TokenStoreConfg>
                    </handler>
                  </handlers>
                </api>
              </apis>
              <metrics/>
            </internalApis>
            """
        let configuration = try LoaderFixture().load(document)

        let warnings = configuration.warnings.map { "\($0.location.line ?? 0) \($0.location.element ?? "")" }
        #expect(warnings.sorted() == ["11 metrics", "3 api"])
        #expect(configuration.warnings.contains { $0.message.contains("'color'") })
    }

    @Test func topLevelUserStoreWinsOverHandler() throws {
        let document = """
            <internalApis>
              <apis>
                <api name="ManagementApi" class="ManagementInternalApi">
                  <handlers>
                    <handler class="BasicSecurityHandler" name="basic">
                      <UserStore><users><user><username>inner</username><password>a</password></user></users></UserStore>
                    </handler>
                  </handlers>
                </api>
              </apis>
              <userStore><users><user><username>outer</username><password>b</password></user></users></userStore>
            </internalApis>
            """
        let configuration = try LoaderFixture().load(document)

        #expect(configuration.userStore?.users.map(\.username) == ["outer"])
        #expect(configuration.warnings.count == 1)
        #expect(configuration.warnings.first?.location.line == 6)
        #expect(configuration.warnings.first?.message.contains("top-level") == true)
    }

    @Test func missingProtocolMeansHTTPS() throws {
        let document = #"<internalApis><apis><api name="m" class="ManagementInternalApi"/></apis></internalApis>"#
        let configuration = try LoaderFixture().load(document)

        #expect(configuration.apis.first?.protocols == [.https])
    }

    @Test func latin1PasswordIsDecoded() throws {
        let configuration = try LoaderFixture().loadFixture("latin1.xml")

        let user = try #require(configuration.userStore?.users.first)
        #expect(user.username == "jürgen")
        #expect(user.password == "grüße-été")
        #expect(Array(user.password.utf8) == Array("grüße-été".utf8))
    }

    @Test func cryptMarkerMakesHash() throws {
        let hash = try PasswordHash.makeCryptHash(password: "pw", methodPrefix: "$2b$", cost: 4)
        let document = handlerDocument(users: "<user><username>u</username><password>{crypt}\(hash)</password></user>")
        let user = try #require(try LoaderFixture().load(document).userStore?.users.first)

        #expect(user.passwordSource == .hash)
        #expect(user.password == "{crypt}" + hash)
    }

    @Test func paddedCryptMarkerMakesHash() async throws {
        let hash = try PasswordHash.makeCryptHash(password: "pw", methodPrefix: "$2b$", cost: 4)
        let document = handlerDocument(
            users: "<user><username>u</username><password>\n   {crypt}\(hash) \n</password></user>")
        let configuration = try LoaderFixture().load(document)
        let user = try #require(configuration.userStore?.users.first)
        let storeConfiguration = try #require(configuration.userStore)
        let store = try FileUserStore(configuration: storeConfiguration)

        #expect(user.passwordSource == .hash)
        #expect(user.password == "{crypt}" + hash)
        #expect(try await store.authenticate(username: "u", password: "pw") == Principal(username: "u"))
        #expect(try await store.authenticate(username: "u", password: " {crypt}\(hash)") == nil)
        #expect(try await store.authenticate(username: "u", password: "\n   {crypt}\(hash) \n") == nil)
    }

    @Test func paddedMalformedCryptRejected() {
        let document = handlerDocument(users: "<user><username>u</username><password> {crypt}plain</password></user>")

        #expect(throws: SecurityError.self) { try LoaderFixture().load(document) }
    }
}
