import Foundation
import Testing

/// Drives the secure vault through the real binaries: keys from `openssl` and `keytool`,
/// secrets from `ciphertool`, and `management-server` started with the vault options.
@Suite("End to end: secure vault", .serialized)
struct SecureVaultEndToEndTests {
    static let adminPassword = "Vaulted admin pw-7"
    static let vaultStorePassword = "vault-store-pw-3"
    static let serverStorePassword = "server-store-pw-5"

    /// The kind of file that contains the vault's RSA private key.
    enum VaultKey: String, CaseIterable, CustomTestStringConvertible {
        case pem
        case pkcs12

        var testDescription: String { rawValue }
    }

    // MARK: - Logins with a vaulted password

    @Test func cipherToolRoundTrip() throws {
        let fixture = try SecureVaultFixture()
        let key = try fixture.makePEMKey()

        try fixture.encrypt(Self.adminPassword, alias: "admin-password", keyStore: key)
        let common = ["--repository", fixture.path("secret-repository.properties"), "--keystore", key]
        let listed = try fixture.runCipherTool(["list"] + common)
        let decrypted = try fixture.runCipherTool(["decrypt", "--alias", "admin-password"] + common)
        let repository = try String(contentsOfFile: fixture.path("secret-repository.properties"), encoding: .utf8)

        #expect(listed.status == 0)
        #expect(listed.output == "admin-password\n")
        #expect(decrypted.status == 0)
        #expect(decrypted.output == Self.adminPassword + "\n")
        #expect(repository.hasPrefix("admin-password="))
        #expect(!repository.contains(Self.adminPassword))
    }

    @Test(arguments: VaultKey.allCases)
    func vaultedPasswordLogsIn(_ kind: VaultKey) throws {
        let fixture = try SecureVaultFixture()
        let (key, storePassword) = try makeVaultKey(kind, in: fixture)
        try fixture.encrypt(Self.adminPassword, alias: "admin-password", keyStore: key, storePassword: storePassword)

        // Trace is the most the server logs, so a secret that leaks anywhere shows here.
        let server = try EndToEndServer(
            configuration: Self.configuration(password: "<password>$secret{admin-password}</password>"),
            arguments: fixture.serverArguments(keyStore: key) + ["--log-level", "trace"],
            environment: [SecureVaultFixture.keyStorePasswordVariable: storePassword ?? ""])

        try expectOnlyTheSecretLogsIn(server, literalText: "$secret{admin-password}")
        #expect(server.stop() == 0)
        expectLog(server.log, hides: [Self.adminPassword, Self.basicCredentials(Self.adminPassword)])
        if let storePassword {
            expectLog(server.log, hides: [storePassword])
        }
    }

    @Test func secretAliasAttributeLogsIn() throws {
        let fixture = try SecureVaultFixture()
        let key = try fixture.makePEMKey()
        try fixture.encrypt(Self.adminPassword, alias: "admin-password", keyStore: key)

        // Micro Integrator's files keep a placeholder text next to the attribute. The attribute
        // takes precedence, so that text must not log in either.
        let server = try EndToEndServer(
            configuration: Self.configuration(
                password: #"<password svns:secretAlias="admin-password">placeholder-text</password>"#),
            arguments: fixture.serverArguments(keyStore: key))

        try expectOnlyTheSecretLogsIn(server, literalText: "placeholder-text")
        #expect(server.stop() == 0)
        expectLog(server.log, hides: [Self.adminPassword])
    }

    @Test func passwordFileInHomeFolder() throws {
        let fixture = try SecureVaultFixture()
        let (key, storePassword) = try makeVaultKey(.pkcs12, in: fixture)
        try fixture.encrypt(Self.adminPassword, alias: "admin-password", keyStore: key, storePassword: storePassword)

        let server = try EndToEndServer(
            configuration: Self.configuration(password: "<password>$secret{admin-password}</password>"),
            files: ["password-tmp": (storePassword ?? "") + "\n"],
            arguments: fixture.serverArguments(keyStore: key),
            environment: [SecureVaultFixture.keyStorePasswordVariable: ""])

        let login = try login(server, password: Self.adminPassword)
        #expect(login.status == 200)
        // Without --delete-password-file the file stays.
        let passwordFile = server.directory.appendingPathComponent("password-tmp").path
        #expect(FileManager.default.fileExists(atPath: passwordFile))
        #expect(server.stop() == 0)
        expectLog(server.log, hides: [Self.adminPassword, Self.vaultStorePassword])
    }

    @Test func passwordFileDeletedWhenAsked() throws {
        let fixture = try SecureVaultFixture()
        let (key, storePassword) = try makeVaultKey(.pkcs12, in: fixture)
        try fixture.encrypt(Self.adminPassword, alias: "admin-password", keyStore: key, storePassword: storePassword)

        let server = try EndToEndServer(
            configuration: Self.configuration(password: "<password>$secret{admin-password}</password>"),
            files: ["password-tmp": (storePassword ?? "") + "\n"],
            arguments: fixture.serverArguments(keyStore: key) + ["--delete-password-file"],
            environment: [SecureVaultFixture.keyStorePasswordVariable: ""])

        let login = try login(server, password: Self.adminPassword)
        #expect(login.status == 200)
        let passwordFile = server.directory.appendingPathComponent("password-tmp").path
        #expect(!FileManager.default.fileExists(atPath: passwordFile))
        #expect(server.stop() == 0)
    }

    // MARK: - TLS key store password from the vault

    @Test func vaultedKeyStorePasswordServesCertificate() throws {
        let fixture = try SecureVaultFixture()
        let key = try fixture.makePEMKey()
        let serverStore = try fixture.makePKCS12Store(
            named: "server.p12", password: Self.serverStorePassword, alias: "server",
            distinguishedName: "CN=localhost,O=Secure Vault E2E")
        try fixture.encrypt(Self.adminPassword, alias: "admin-password", keyStore: key)
        try fixture.encrypt(Self.serverStorePassword, alias: "keystore-password", keyStore: key)

        let server = try EndToEndServer(
            configuration: Self.configuration(
                password: "<password>$secret{admin-password}</password>",
                sslConfig: Self.sslConfig(keyStore: serverStore, password: "$secret{keystore-password}")),
            arguments: fixture.serverArguments(keyStore: key))

        let port = try #require(server.httpsPort)
        let handshake = try SecureVaultCommand.run(
            ["openssl", "s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost"], input: "",
            in: fixture.folder)
        #expect(handshake.output.contains("subject=O = Secure Vault E2E, CN = localhost"))

        let login = try login(server, password: Self.adminPassword)
        #expect(login.status == 200)
        #expect(server.stop() == 0)
        expectLog(server.log, hides: [Self.adminPassword, Self.serverStorePassword])
    }

    @Test func sampleConfigurationStarts() throws {
        let fixture = try SecureVaultFixture()
        let key = try fixture.makePEMKey()
        _ = try fixture.makePKCS12Store(
            named: "server.p12", password: Self.serverStorePassword, alias: "server",
            distinguishedName: "CN=localhost,O=Secure Vault Sample")
        try fixture.encrypt(Self.adminPassword, alias: "admin.password", keyStore: key)
        try fixture.encrypt("Operator pw-9", alias: "operator.password", keyStore: key)
        try fixture.encrypt(Self.serverStorePassword, alias: "keystore.password", keyStore: key)
        let sample = try String(
            contentsOf: Self.packageRoot.appendingPathComponent(
                "Samples/secure-vault/internal-apis.xml"), encoding: .utf8)

        // The sample names server.p12 relative to the home folder, so the fixture folder is the
        // home: the later --home replaces the one EndToEndServer passes.
        let server = try EndToEndServer(
            configuration: sample, arguments: fixture.serverArguments(keyStore: key) + ["--home", fixture.folder])

        let port = try #require(server.httpsPort)
        let handshake = try SecureVaultCommand.run(
            ["openssl", "s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost"], input: "",
            in: fixture.folder)
        #expect(handshake.output.contains("subject=O = Secure Vault Sample, CN = localhost"))
        #expect(try login(server, password: Self.adminPassword).status == 200)
        #expect(try login(server, user: "operator", password: "Operator pw-9").status == 200)
        #expect(try login(server, user: "operator", password: "password").status == 401)
        #expect(try login(server, user: "operator", password: "operator.password").status == 401)
        #expect(server.stop() == 0)
        expectLog(server.log, hides: [Self.adminPassword, "Operator pw-9", Self.serverStorePassword])
    }

    // MARK: - Refusals at start

    @Test func aliasMissingFromRepository() throws {
        let fixture = try SecureVaultFixture()
        let key = try fixture.makePEMKey()
        try fixture.encrypt(Self.adminPassword, alias: "admin-password", keyStore: key)

        let log = try #require(
            startupFailure(
                configuration: Self.configuration(password: "<password>$secret{no-such-alias}</password>"),
                arguments: fixture.serverArguments(keyStore: key)))

        #expect(log.contains("no-such-alias"))
        #expect(log.contains("not found in the secret repository"))
        expectLog(log, hides: [Self.adminPassword])
    }

    @Test func ciphertextForAnotherKey() throws {
        let fixture = try SecureVaultFixture()
        let key = try fixture.makePEMKey()
        let otherKey = try fixture.makePEMKey(named: "other-key.pem")
        try fixture.encrypt(Self.adminPassword, alias: "admin-password", keyStore: otherKey)

        let log = try #require(
            startupFailure(
                configuration: Self.configuration(password: "<password>$secret{admin-password}</password>"),
                arguments: fixture.serverArguments(keyStore: key)))

        #expect(log.contains("'admin-password'"))
        #expect(log.contains("could not be decrypted"))
        expectLog(log, hides: [Self.adminPassword])
    }

    @Test func wrongKeyStorePassword() throws {
        let fixture = try SecureVaultFixture()
        let (key, storePassword) = try makeVaultKey(.pkcs12, in: fixture)
        try fixture.encrypt(Self.adminPassword, alias: "admin-password", keyStore: key, storePassword: storePassword)

        let log = try #require(
            startupFailure(
                configuration: Self.configuration(password: "<password>$secret{admin-password}</password>"),
                arguments: fixture.serverArguments(keyStore: key),
                environment: [SecureVaultFixture.keyStorePasswordVariable: "wrong-store-pw"]))

        #expect(log.contains(key))
        #expect(log.contains("password is wrong"))
        expectLog(log, hides: [Self.adminPassword, Self.vaultStorePassword, "wrong-store-pw"])
    }

    @Test func missingKeyFile() throws {
        let fixture = try SecureVaultFixture()
        let key = try fixture.makePEMKey()
        try fixture.encrypt(Self.adminPassword, alias: "admin-password", keyStore: key)

        let log = try #require(
            startupFailure(
                configuration: Self.configuration(password: "<password>$secret{admin-password}</password>"),
                arguments: fixture.serverArguments(keyStore: fixture.path("missing-key.pem"))))

        #expect(log.contains(fixture.path("missing-key.pem")))
        #expect(log.contains("not found"))
        expectLog(log, hides: [Self.adminPassword])
    }

    @Test func missingRepositoryFile() throws {
        let fixture = try SecureVaultFixture()
        let key = try fixture.makePEMKey()

        let log = try #require(
            startupFailure(
                configuration: Self.configuration(password: "<password>$secret{admin-password}</password>"),
                arguments: fixture.serverArguments(keyStore: key, repository: "missing-repository.properties")))

        #expect(log.contains(fixture.path("missing-repository.properties")))
        #expect(log.contains("not found"))
    }

    @Test func secretWithoutVaultOptions() throws {
        let log = try #require(
            startupFailure(
                configuration: Self.configuration(password: "<password>$secret{admin-password}</password>")))

        #expect(log.contains("'admin-password'"))
        #expect(log.contains("no secure vault is configured"))
        #expect(log.contains("--secret-repository"))
        #expect(log.contains("--secret-keystore"))
    }

    @Test func wrongVaultedKeyStorePassword() throws {
        let fixture = try SecureVaultFixture()
        let key = try fixture.makePEMKey()
        let serverStore = try fixture.makePKCS12Store(
            named: "server.p12", password: Self.serverStorePassword, alias: "server")
        try fixture.encrypt(Self.adminPassword, alias: "admin-password", keyStore: key)
        try fixture.encrypt("not-the-store-pw", alias: "keystore-password", keyStore: key)

        let log = try #require(
            startupFailure(
                configuration: Self.configuration(
                    password: "<password>$secret{admin-password}</password>",
                    sslConfig: Self.sslConfig(keyStore: serverStore, password: "$secret{keystore-password}")),
                arguments: fixture.serverArguments(keyStore: key)))

        #expect(log.contains(serverStore))
        expectLog(log, hides: [Self.adminPassword, Self.serverStorePassword, "not-the-store-pw"])
    }

    // MARK: - Helpers

    /// Makes the vault key: a PEM key needs no password, a PKCS #12 store gets `vaultStorePassword`.
    private func makeVaultKey(_ kind: VaultKey, in fixture: SecureVaultFixture) throws
        -> (path: String, storePassword: String?)
    {
        switch kind {
        case .pem:
            return (try fixture.makePEMKey(), nil)
        case .pkcs12:
            let path = try fixture.makePKCS12Store(
                named: "vault.p12", password: Self.vaultStorePassword, alias: "vault",
                distinguishedName: "CN=secure-vault")
            return (path, Self.vaultStorePassword)
        }
    }

    /// Checks that `adminPassword` logs in and its token reads `/apis`, while the literal
    /// configuration text and the alias name are rejected.
    private func expectOnlyTheSecretLogsIn(_ server: EndToEndServer, literalText: String) throws {
        let login = try login(server, password: Self.adminPassword)
        #expect(login.status == 200)
        let token = try #require(Self.accessToken(in: login.body))
        let apis = try CurlClient.request("\(server.managementURL)/apis", headers: ["Authorization": "Bearer \(token)"])
        #expect(apis.status == 200)

        let literal = try self.login(server, password: literalText)
        #expect(literal.status == 401)
        #expect(!literal.body.contains("AccessToken"))
        let aliasName = try self.login(server, password: "admin-password")
        #expect(aliasName.status == 401)
        #expect(!aliasName.body.contains("AccessToken"))
    }

    private func login(_ server: EndToEndServer, user: String = "admin", password: String) throws -> CurlResponse {
        try CurlClient.request(
            "\(server.managementURL)/login",
            headers: ["Authorization": "Basic \(Self.basicCredentials(password, user: user))"])
    }

    /// Starts the server expecting it to exit before it listens, and returns its log.
    ///
    /// Records an issue and returns nil when the server started or failed in another way.
    private func startupFailure(
        configuration: String, arguments: [String] = [], environment: [String: String] = [:]
    ) -> String? {
        let error = #expect(throws: EndToEndError.self) {
            _ = try EndToEndServer(configuration: configuration, arguments: arguments, environment: environment)
        }
        guard case .exited(let status, let log) = error else {
            Issue.record("expected the server to exit, got \(String(describing: error))")
            return nil
        }
        #expect(status != 0)
        #expect(!log.contains("listening"))
        #expect(log.contains("server failed to start"))
        return log
    }

    private func expectLog(
        _ log: String, hides secrets: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for secret in secrets {
            #expect(!log.contains(secret), "the log contains \(secret)", sourceLocation: sourceLocation)
        }
    }

    private static func basicCredentials(_ password: String, user: String = "admin") -> String {
        Data("\(user):\(password)".utf8).base64EncodedString()
    }

    /// The package root: `Tests/ManagementServerTests/EndToEnd/` is three folders below it.
    private static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private static func accessToken(in body: String) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body.utf8))
        return (object as? [String: Any])?["AccessToken"] as? String
    }

    /// Returns a full document with a JWT-secured management API and the user `admin`, whose
    /// password element is `password`. The `sslConfig` text is inserted as written.
    static func configuration(password: String, sslConfig: String = "") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <internalApis xmlns:svns="http://org.wso2.securevault/configuration">
            <apis>
                <api name="ManagementApi" protocol="https"
                     class="org.wso2.micro.integrator.management.apis.ManagementInternalApi">
                    <handlers>
                        <handler class="org.wso2.micro.integrator.management.apis.security.handler.JWTTokenSecurityHandler"
                                 name="JWTTokenSecurityHandler"/>
                    </handlers>
                </api>
            </apis>
            <userStore>
                <users>
                    <user><username>admin</username>\(password)<isAdmin>true</isAdmin></user>
                </users>
            </userStore>
            \(sslConfig)
        </internalApis>
        """
    }

    /// Returns an `<sslConfig>` whose PKCS #12 key store at `keyStore` has the `<Password>` `password`.
    static func sslConfig(keyStore: String, password: String) -> String {
        """
        <sslConfig>
                <parameter name="keystore">
                    <KeyStore>
                        <Location>\(keyStore)</Location>
                        <Type>PKCS12</Type>
                        <Password>\(password)</Password>
                    </KeyStore>
                </parameter>
            </sslConfig>
        """
    }
}
