import Foundation
import Testing

/// Micro Integrator's `internal-apis.xml` structure in a folder laid out like its home, with key
/// stores made by the real `keytool`. The server must start with the file unchanged and behave as
/// Micro Integrator does, checked over real TLS with curl and `openssl s_client`.
@Suite("End to end: Micro Integrator compatibility", .serialized)
struct MicroIntegratorCompatibilityTests {
    typealias Document = MicroIntegratorDocument

    static func basic(_ user: String, _ password: String) -> [String: String] {
        ["Authorization": "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
    }

    static func bearer(_ token: String) -> [String: String] {
        ["Authorization": "Bearer \(token)"]
    }

    /// Logs in at `managementURL/login` and returns the access token.
    static func login(
        _ managementURL: String, user: String, password: String, extraArguments: [String] = []
    ) throws -> String {
        let response = try CurlClient.request(
            "\(managementURL)/login", headers: basic(user, password), extraArguments: extraArguments)
        try #require(response.status == 200, "login of \(user) returned \(response.status): \(response.body)")
        let json = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        return try #require(json?["AccessToken"] as? String)
    }

    /// Waits up to five seconds for `text` in the server's log, because the server may log a
    /// failed handshake just after the client has given up.
    static func waitForLog(_ server: EndToEndServer, containing text: String) -> Bool {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if server.log.contains(text) { return true }
            usleep(50_000)
        }
        return server.log.contains(text)
    }

    // MARK: - The shipped structure, served

    @Test(arguments: MicroIntegratorHome.StoreType.allCases)
    func shippedStructureServes(storeType: MicroIntegratorHome.StoreType) throws {
        let home = try MicroIntegratorHome(storeType: storeType)
        let configuration = try home.writeConfiguration(home.document())
        let server = try EndToEndServer(configurationFile: configuration, home: home.root)
        let httpsPort = try #require(server.httpsPort)
        let httpPort = try #require(server.httpPort)
        let plainManagementURL = "http://127.0.0.1:\(httpPort)/management"

        let obsoleteWarnings = server.log.split(separator: "\n").filter { $0.contains("obsolete TLS versions") }
        #expect(obsoleteWarnings.count == 1)
        #expect(obsoleteWarnings.first?.contains(" warning ") == true)
        #expect(obsoleteWarnings.first?.contains("TLSv1,TLSv1.1") == true)

        let tls11 = try MicroIntegratorTLSProbe.handshakeWithTLS11(port: httpsPort)
        #expect(tls11.status != 0)
        #expect(tls11.combinedOutput.contains("alert protocol version"))

        let served = try MicroIntegratorTLSProbe.servedCertificate(port: httpsPort)
        let servedFingerprint = try MicroIntegratorTLSProbe.fingerprint(served)
        let keyStoreFingerprint = try MicroIntegratorTLSProbe.fingerprint(home.serverCertificatePEM)
        #expect(servedFingerprint == keyStoreFingerprint)
        let subject = try MicroIntegratorTLSProbe.subject(served)
        #expect(subject.contains(home.serverOrganization))
        #expect(subject.contains("CN = localhost"))

        let adminToken = try Self.login(
            server.managementURL, user: Document.adminName, password: Document.adminPassword)
        let adminUsers = try CurlClient.request("\(server.managementURL)/users", headers: Self.bearer(adminToken))
        #expect(adminUsers.status == 200)
        #expect(adminUsers.body.contains("\"count\""))

        let monitorToken = try Self.login(
            server.managementURL, user: Document.monitorName, password: Document.monitorPassword)
        let monitor = Self.bearer(monitorToken)
        let monitorUsers = try CurlClient.request("\(server.managementURL)/users", headers: monitor)
        #expect(monitorUsers.status == 403)
        let monitorOneUser = try CurlClient.request("\(server.managementURL)/users/admin", headers: monitor)
        #expect(monitorOneUser.status == 403)
        let monitorAPIs = try CurlClient.request("\(server.managementURL)/apis", headers: monitor)
        #expect(monitorAPIs.status == 200)
        let monitorInbound = try CurlClient.request("\(server.managementURL)/inbound-endpoints", headers: monitor)
        #expect(monitorInbound.status == 200)

        // `protocol="https http"`: the same API, handlers and tokens on the HTTP port.
        let plainAdminUsers = try CurlClient.request("\(plainManagementURL)/users", headers: Self.bearer(adminToken))
        #expect(plainAdminUsers.status == 200)
        let plainMonitorUsers = try CurlClient.request("\(plainManagementURL)/users", headers: monitor)
        #expect(plainMonitorUsers.status == 403)
        let plainMonitorAPIs = try CurlClient.request("\(plainManagementURL)/apis", headers: monitor)
        #expect(plainMonitorAPIs.status == 200)
        let plainAnonymous = try CurlClient.request("\(plainManagementURL)/apis")
        #expect(plainAnonymous.status == 401)
        let plainToken = try Self.login(
            plainManagementURL, user: Document.monitorName, password: Document.monitorPassword)
        #expect(plainToken.split(separator: ".").count == 3)

        // `protocol="http"`: metrics and probes on the HTTP port only, without credentials.
        let metrics = try CurlClient.request(server.metricsURL)
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("# TYPE"))
        let metricsOverHTTPS = try CurlClient.request("https://127.0.0.1:\(httpsPort)/metric-service/metrics")
        #expect(metricsOverHTTPS.status == 404)
        let readiness = try CurlClient.request("http://127.0.0.1:\(httpPort)/healthz")
        #expect(readiness.status == 200)
        let liveness = try CurlClient.request("http://127.0.0.1:\(httpPort)/liveness")
        #expect(liveness.status == 200)

        let preflight = try CurlClient.request(
            "\(server.managementURL)/users", method: "OPTIONS",
            headers: ["Origin": Document.allowedOrigin, "Access-Control-Request-Method": "GET"])
        #expect((200..<300).contains(preflight.status))
        #expect(preflight.header("Access-Control-Allow-Origin") == Document.allowedOrigin)

        #expect(server.stop() == 0)
        let log = server.log
        #expect(log.contains("SSL parameter 'sslProtocol' is not used"))
        #expect(log.contains("SSL parameter 'certificateRevocationVerifier' is not used"))
        #expect(!log.contains(adminToken))
        #expect(!log.contains(monitorToken))
        #expect(!log.contains(Document.monitorPassword))
    }

    @Test func sampleStartsInHome() throws {
        let home = try MicroIntegratorHome(storeType: .jks)
        let sample = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Samples/configs/internal-apis.xml")
        try FileManager.default.copyItem(at: sample, to: home.configurationFile)
        let server = try EndToEndServer(configurationFile: home.configurationFile, home: home.root)

        let adminToken = try Self.login(server.managementURL, user: "admin", password: "admin")
        let adminUsers = try CurlClient.request("\(server.managementURL)/users", headers: Self.bearer(adminToken))
        #expect(adminUsers.status == 200)
        let monitorToken = try Self.login(server.managementURL, user: "monitor", password: "monitor-password")
        let monitorUsers = try CurlClient.request("\(server.managementURL)/users", headers: Self.bearer(monitorToken))
        #expect(monitorUsers.status == 403)
        let plainManagement = try CurlClient.request("http://127.0.0.1:\(server.httpPort ?? 0)/management/apis")
        #expect(plainManagement.status == 404)

        #expect(server.stop() == 0)
        #expect(server.log.contains("subject=\"CN=localhost,O=\(home.serverOrganization)\""))
        #expect(!server.log.contains("Configuration content is not used"))
        #expect(!server.log.contains("obsolete TLS versions"))
    }

    /// The key store password named by `svns:secretAlias` and the admin password by
    /// `$secret{alias}`, both decrypted at start by the secure vault with the server's own
    /// key pair, as Micro Integrator's vault uses its primary key store.
    @Test func vaultSecretsInDocument() throws {
        let home = try MicroIntegratorHome(storeType: .pkcs12)
        let adminPassword = "admin-from-the-vault"
        let repository = try Self.makeSecretRepository(
            in: home,
            secrets: ["keystore.password": MicroIntegratorHome.storePassword, "admin.password": adminPassword])
        var document = home.document()
        document.keyStorePasswordAlias = "keystore.password"
        document.adminPasswordText = "$secret{admin.password}"
        let configuration = try home.writeConfiguration(document)

        let server = try EndToEndServer(
            arguments: [
                "--secret-repository", repository, "--secret-keystore", home.path(home.keyStoreLocation),
                "--secret-key-alias", MicroIntegratorHome.keyAlias,
            ],
            environment: ["INTERNAL_API_SECURITY_KEYSTORE_PASSWORD": MicroIntegratorHome.storePassword],
            configurationFile: configuration, home: home.root)

        let served = try MicroIntegratorTLSProbe.servedCertificate(port: try #require(server.httpsPort))
        #expect(try MicroIntegratorTLSProbe.subject(served).contains(home.serverOrganization))
        let token = try Self.login(server.managementURL, user: Document.adminName, password: adminPassword)
        let users = try CurlClient.request("\(server.managementURL)/users", headers: Self.bearer(token))
        #expect(users.status == 200)
        let oldPassword = try CurlClient.request(
            "\(server.managementURL)/login", headers: Self.basic(Document.adminName, Document.adminPassword))
        #expect(oldPassword.status == 401)
        #expect(server.stop() == 0)
        #expect(!server.log.contains(adminPassword))
    }

    /// Writes `conf/cipher-text.properties` with each secret encrypted by `openssl pkeyutl` under
    /// the server certificate's public key (RSA-OAEP with SHA-1, the vault's default), and
    /// returns its path.
    static func makeSecretRepository(in home: MicroIntegratorHome, secrets: [String: String]) throws -> String {
        let certificate = home.path("client/server-certificate.pem")
        try home.serverCertificatePEM.write(toFile: certificate, atomically: true, encoding: .utf8)
        let publicKey = home.path("client/server-public-key.pem")
        try MicroIntegratorTool.openssl(["x509", "-in", certificate, "-pubkey", "-noout", "-out", publicKey])

        var lines: [String] = []
        for (alias, secret) in secrets.sorted(by: { $0.key < $1.key }) {
            let plain = home.path("client/\(alias).plain")
            let encrypted = home.path("client/\(alias).encrypted")
            try secret.write(toFile: plain, atomically: true, encoding: .utf8)
            try MicroIntegratorTool.openssl([
                "pkeyutl", "-encrypt", "-pubin", "-inkey", publicKey, "-pkeyopt", "rsa_padding_mode:oaep",
                "-in", plain, "-out", encrypted,
            ])
            try FileManager.default.removeItem(atPath: plain)
            let ciphertext = try Data(contentsOf: URL(fileURLWithPath: encrypted))
            lines.append("\(alias)=\(ciphertext.base64EncodedString())")
        }
        let repository = home.path("conf/cipher-text.properties")
        try (lines.joined(separator: "\n") + "\n").write(toFile: repository, atomically: true, encoding: .utf8)
        return repository
    }

    // MARK: - --check-config

    @Test func checkConfigDescribesDocument() throws {
        let home = try MicroIntegratorHome(storeType: .jks)
        let configuration = try home.writeConfiguration(home.document())

        let result = try MicroIntegratorTool.run(
            EndToEndServer.serverExecutable().path, ["--check-config", configuration.path, "--home", home.root.path])

        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains("API PrometheusApi: Prometheus metrics at /metric-service, over http"))
        #expect(lines.contains("API ReadinessProbe: readiness probe at /healthz, over http"))
        #expect(lines.contains("API LivenessProbe: liveness probe at /liveness, over http"))
        #expect(lines.contains("API ManagementApi: management API at /management, over http and https"))
        #expect(
            lines.contains("handler 1: JWTTokenSecurityHandler (\(Document.handlerPackage).JWTTokenSecurityHandler)"))
        #expect(lines.contains("handler 2: AuthorizationHandler (\(Document.handlerPackage).AuthorizationHandler)"))
        #expect(lines.contains("protects: /users"))
        #expect(lines.contains("only users with the admin flag pass; others get 403"))
        #expect(lines.contains("User store: file, 2 users (1 admin)"))
        #expect(!result.output.contains("added: not in the document"))

        let tlsLine = try #require(lines.first { $0.hasPrefix("TLS:") })
        #expect(tlsLine.contains("key store \(home.path(home.keyStoreLocation)) (JKS)"))
        #expect(tlsLine.contains("trust store \(home.path(home.trustStoreLocation))"))
        #expect(tlsLine.contains("client certificates none"))
        let protocolsLine = try #require(lines.first { $0.hasPrefix("protocols:") })
        #expect(protocolsLine.contains("TLS 1.2 and 1.3"))
        #expect(protocolsLine.contains("TLSv1, TLSv1.1"))
    }

    @Test func checkConfigNamesUnregisteredClass() throws {
        let home = try MicroIntegratorHome(storeType: .jks)
        var document = home.document()
        document.livenessAPIClass = "com.example.probes.HealthProbe"
        let configuration = try home.writeConfiguration(document, name: "internal-apis-unregistered.xml")

        let result = try MicroIntegratorTool.run(
            EndToEndServer.serverExecutable().path, ["--check-config", configuration.path, "--home", home.root.path])

        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains("com.example.probes.HealthProbe"))
        #expect(result.errors.contains("internal-apis-unregistered.xml:"))
        #expect(result.errors.contains(Document.livenessClass))
        #expect(result.errors.contains(Document.managementClass))
    }

    // MARK: - sslVerifyClient

    @Test func requiredClientCertificate() throws {
        let home = try MicroIntegratorHome(storeType: .jks)
        var document = home.document()
        document.verifyClient = "require"
        let configuration = try home.writeConfiguration(document)
        let server = try EndToEndServer(
            arguments: ["--log-level", "debug"], configurationFile: configuration, home: home.root)
        let admin = Self.basic(Document.adminName, Document.adminPassword)
        let trusted = ["--cert", home.clientCertificate, "--key", home.clientKey]
        let untrusted = ["--cert", home.untrustedCertificate, "--key", home.untrustedKey]

        #expect(throws: EndToEndError.self) {
            try CurlClient.request("\(server.managementURL)/login", headers: admin)
        }
        #expect(throws: EndToEndError.self) {
            try CurlClient.request("\(server.managementURL)/login", headers: admin, extraArguments: untrusted)
        }
        #expect(Self.waitForLog(server, containing: "peer did not return a certificate"))
        #expect(Self.waitForLog(server, containing: "certificate verify failed"))
        let logOfRejected = server.log
        #expect(!logOfRejected.contains("request_id="))
        #expect(!logOfRejected.contains("login"))

        let token = try Self.login(
            server.managementURL, user: Document.adminName, password: Document.adminPassword,
            extraArguments: trusted)
        let users = try CurlClient.request(
            "\(server.managementURL)/users", headers: Self.bearer(token), extraArguments: trusted)
        #expect(users.status == 200)
        #expect(server.log.contains("login succeeded"))
        #expect(server.stop() == 0)
    }

    @Test func optionalClientCertificate() throws {
        let home = try MicroIntegratorHome(storeType: .pkcs12)
        var document = home.document()
        document.verifyClient = "optional"
        let configuration = try home.writeConfiguration(document)
        let server = try EndToEndServer(
            arguments: ["--log-level", "debug"], configurationFile: configuration, home: home.root)
        let trusted = ["--cert", home.clientCertificate, "--key", home.clientKey]
        let untrusted = ["--cert", home.untrustedCertificate, "--key", home.untrustedKey]

        let withoutCertificate = try Self.login(
            server.managementURL, user: Document.monitorName, password: Document.monitorPassword)
        #expect(!withoutCertificate.isEmpty)
        let withCertificate = try Self.login(
            server.managementURL, user: Document.monitorName, password: Document.monitorPassword,
            extraArguments: trusted)
        #expect(!withCertificate.isEmpty)

        let logBeforeUntrusted = server.log
        #expect(throws: EndToEndError.self) {
            try CurlClient.request(
                "\(server.managementURL)/login", headers: Self.basic(Document.adminName, Document.adminPassword),
                extraArguments: untrusted)
        }
        #expect(Self.waitForLog(server, containing: "certificate verify failed"))
        let logOfUntrusted = String(server.log.dropFirst(logBeforeUntrusted.count))
        #expect(!logOfUntrusted.contains("request_id="))
        #expect(server.stop() == 0)
    }

    // MARK: - Key stores that cannot be read

    @Test func wrongJKSPasswordStopsStart() throws {
        let home = try MicroIntegratorHome(storeType: .jks)
        var document = home.document()
        document.keyStorePassword = "not-the-store-password"
        let configuration = try home.writeConfiguration(document)

        let error = #expect(throws: EndToEndError.self) {
            try EndToEndServer(configurationFile: configuration, home: home.root)
        }

        guard case .exited(let status, let log)? = error else {
            Issue.record("the server did not exit: \(String(describing: error))")
            return
        }
        #expect(status == 1)
        #expect(!log.contains("listening"))
        #expect(log.contains("server failed to start"))
        #expect(log.contains(home.path(home.keyStoreLocation)))
        #expect(log.contains("key store password is wrong"))
        #expect(log.contains("Check the key store password"))
        #expect(!log.contains("not-the-store-password"))
    }

    @Test func checkConfigOpensKeyStore() throws {
        let home = try MicroIntegratorHome(storeType: .jks)
        var document = home.document()
        document.keyStorePassword = "not-the-store-password"
        let configuration = try home.writeConfiguration(document, name: "internal-apis-wrong-password.xml")

        let result = try MicroIntegratorTool.run(
            EndToEndServer.serverExecutable().path, ["--check-config", configuration.path, "--home", home.root.path])

        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains(home.path(home.keyStoreLocation)))
        #expect(result.errors.contains("key store password is wrong"))
        #expect(!result.errors.contains("not-the-store-password"))
    }

    @Test func damagedJKSNamesConversion() throws {
        let home = try MicroIntegratorHome(storeType: .jks)
        let keyStore = URL(fileURLWithPath: home.path(home.keyStoreLocation))
        let complete = try Data(contentsOf: keyStore)
        try complete.prefix(complete.count / 2).write(to: keyStore)
        let configuration = try home.writeConfiguration(home.document())

        let error = #expect(throws: EndToEndError.self) {
            try EndToEndServer(configurationFile: configuration, home: home.root)
        }

        guard case .exited(let status, let log)? = error else {
            Issue.record("the server did not exit: \(String(describing: error))")
            return
        }
        #expect(status == 1)
        #expect(!log.contains("listening"))
        #expect(log.contains(keyStore.path))
        #expect(log.contains("keytool -importkeystore -srckeystore \(keyStore.path)"))
        #expect(log.contains("-deststoretype PKCS12"))
    }
}
