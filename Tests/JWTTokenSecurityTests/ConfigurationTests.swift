import Foundation
import InternalAPISecurity
import JWTTokenSecurity
import Testing

@Suite("JWT handler configuration")
struct ConfigurationTests {
    private func configuration(_ children: [ConfigElement] = [], tokenStore: TokenStoreSettings = TokenStoreSettings())
        throws
        -> HandlerConfiguration
    {
        HandlerConfiguration(
            name: "JWTTokenSecurityHandler", className: "JWTTokenSecurityHandler",
            resources: try ResourceSet(["/apis"]),
            tokenStore: tokenStore,
            element: ConfigElement(name: "handler", children: children, line: 3, file: "internal-apis.xml"))
    }

    private func context(home: String = "/nonexistent") -> HandlerFactoryContext {
        HandlerFactoryContext(userStore: FixedUserStore(), home: home)
    }

    @Test func registersUnderBothNames() {
        let registry = HandlerRegistry()

        JWTTokenSecurityModule.register(in: registry)

        #expect(registry.contains("JWTTokenSecurityHandler"))
        #expect(registry.contains("org.wso2.micro.integrator.management.apis.security.handler.JWTTokenSecurityHandler"))
    }

    @Test func unknownChildGetsWarning() throws {
        let folder = try TemporaryFolder()
        try TestKeys.signing.privateKeyPEM().write(toFile: folder.path("k.pem"), atomically: true, encoding: .utf8)
        let registry = HandlerRegistry()
        JWTTokenSecurityModule.register(in: registry)
        let logs = LogCapture()
        var factoryContext = context(home: folder.url.path)
        factoryContext.logger = logs.logger()

        _ = try registry.makeHandler(
            try configuration([
                ConfigElement(name: "KeyFile", text: "k.pem"), ConfigElement(name: "KeyFiel", text: "x"),
            ]),
            context: factoryContext)
        let warned = logs.entries.filter { $0.level == .warning }.compactMap { $0.metadata["element"] }

        #expect(warned == ["KeyFiel"])
    }

    @Test func keyFileLoadsRelativeToHome() throws {
        let folder = try TemporaryFolder()
        try TestKeys.signing.privateKeyPEM().write(
            toFile: folder.path("signing.pem"), atomically: true, encoding: .utf8)
        let registry = HandlerRegistry()
        JWTTokenSecurityModule.register(in: registry)

        let handler = try registry.makeHandler(
            try configuration([ConfigElement(name: "KeyFile", text: " signing.pem ")]),
            context: context(home: folder.url.path))
        let jwt = try #require(handler as? JWTTokenSecurityHandler)

        #expect(jwt.issuer.keyID == (try TestKeys.signing.publicKey.keyID()))
        #expect(jwt.tokenStore.limits == TokenStoreLimits(maxSize: 200, removeOldestOnOverflow: true))
        #expect(jwt.cleanup.interval == .seconds(600))
    }

    @Test func issuerAndRealmFromElement() throws {
        let folder = try TemporaryFolder()
        try TestKeys.signing.privateKeyPEM().write(toFile: folder.path("k.pem"), atomically: true, encoding: .utf8)

        let handler = try JWTTokenSecurityHandler.make(
            try configuration([
                ConfigElement(name: "KeyFile", text: folder.path("k.pem")),
                ConfigElement(name: "Issuer", text: "node-a"),
                ConfigElement(name: "Realm", text: "Ops"),
            ]), context: context())

        #expect(handler.issuer.issuer == "node-a")
        #expect(handler.realm == "Ops")
    }

    @Test func missingKeyFileNamesPath() throws {
        let error = try #require(throws: SecurityError.self) {
            try JWTTokenSecurityHandler.make(
                try configuration([
                    ConfigElement(name: "KeyFile", text: "absent.pem", line: 7, file: "internal-apis.xml")
                ]),
                context: context(home: "/tmp/jwt-home"))
        }

        #expect(error.code == .fileNotReadable)
        #expect(error.value == "/tmp/jwt-home/absent.pem")
        #expect(error.location?.line == 7)
    }

    @Test func nonRSAKeyFileRejected() throws {
        let folder = try TemporaryFolder()
        let ecKey = try openSSLOutput(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
        try ecKey.write(toFile: folder.path("ec.pem"), atomically: true, encoding: .utf8)

        let error = try #require(throws: SecurityError.self) {
            try JWTTokenSecurityHandler.make(
                try configuration([ConfigElement(name: "KeyFile", text: "ec.pem")]),
                context: context(home: folder.url.path))
        }

        #expect(error.code == .invalidArgument)
        #expect(error.location != nil)
    }

    @Test func zeroMaxSizeRejectedAtElement() throws {
        let error = try #require(throws: SecurityError.self) {
            try JWTTokenSecurityHandler.make(
                try configuration(tokenStore: TokenStoreSettings(maxSize: 0)), context: context())
        }

        #expect(error.value == "0")
        #expect(error.location?.file == "internal-apis.xml")
    }
}
