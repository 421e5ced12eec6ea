import Foundation

/// A temporary folder laid out like a Micro Integrator home, with key stores made by the real
/// `keytool` and client certificates made by `openssl`.
///
/// Layout, as Micro Integrator ships it:
/// - `conf/internal-apis.xml`, written by `writeConfiguration(_:)`;
/// - `repository/resources/security/wso2carbon.<ext>`: the server key pair, alias `wso2carbon`,
///   store and key password `wso2carbon`, certificate for `CN=localhost`;
/// - `repository/resources/security/client-truststore.<ext>`: the client CA and an unrelated CA,
///   because the trust store Micro Integrator ships contains many authorities.
///
/// The client side lives outside the home in `client/`: a certificate signed by the client CA and
/// a self-signed one that no trust store lists, both PEM for curl.
final class MicroIntegratorHome {
    /// The key store formats `keytool -storetype` writes that Micro Integrator reads.
    enum StoreType: String, CaseIterable, CustomStringConvertible {
        case jks = "JKS"
        case pkcs12 = "PKCS12"

        var fileExtension: String {
            switch self {
            case .jks: "jks"
            case .pkcs12: "p12"
            }
        }

        var description: String { rawValue }
    }

    /// The store and key password Micro Integrator ships with.
    static let storePassword = "wso2carbon"
    static let keyAlias = "wso2carbon"

    let root: URL
    let storeType: StoreType
    /// The organization in the server certificate's subject, unique to the store type, so a test
    /// can tell which key store the server serves.
    let serverOrganization: String
    /// The server certificate as `keytool -exportcert -rfc` prints it.
    let serverCertificatePEM: String

    init(storeType: StoreType) throws {
        self.storeType = storeType
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("micro-integrator-home-\(UUID().uuidString)")
        self.root = root
        serverOrganization = "MI Compatibility \(storeType.rawValue)"
        for folder in ["conf", Self.securityFolder, "client"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }

        let keyStorePath = root.appendingPathComponent(Self.location("wso2carbon", storeType)).path
        try Self.makeServerKeyStore(at: keyStorePath, type: storeType, organization: serverOrganization)
        serverCertificatePEM = try Self.exportCertificate(from: keyStorePath, type: storeType)
        try makeClientCertificates()
        try makeTrustStore()
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    static let securityFolder = "repository/resources/security"

    /// The key store path as `<Location>` writes it, relative to the home.
    var keyStoreLocation: String { Self.location("wso2carbon", storeType) }
    /// The trust store path as `<Location>` writes it, relative to the home.
    var trustStoreLocation: String { Self.location("client-truststore", storeType) }

    private static func location(_ baseName: String, _ type: StoreType) -> String {
        "\(securityFolder)/\(baseName).\(type.fileExtension)"
    }

    var configurationFile: URL { root.appendingPathComponent("conf/internal-apis.xml") }
    var clientCertificate: String { path("client/client.pem") }
    var clientKey: String { path("client/client.key") }
    var untrustedCertificate: String { path("client/untrusted.pem") }
    var untrustedKey: String { path("client/untrusted.key") }

    /// Returns the absolute path of `relativePath` inside the home.
    func path(_ relativePath: String) -> String {
        root.appendingPathComponent(relativePath).path
    }

    /// Makes a document that names this home's key stores.
    func document() -> MicroIntegratorDocument {
        MicroIntegratorDocument(
            storeType: storeType.rawValue, keyStoreLocation: keyStoreLocation, trustStoreLocation: trustStoreLocation)
    }

    /// Writes `document` in its declared encoding (ISO-8859-1) to `conf/<name>` and returns the file.
    @discardableResult
    func writeConfiguration(_ document: MicroIntegratorDocument, name: String = "internal-apis.xml") throws -> URL {
        let file = root.appendingPathComponent("conf/\(name)")
        try document.latin1Bytes().write(to: file)
        return file
    }

    // MARK: - Key material

    private static func makeServerKeyStore(at path: String, type: StoreType, organization: String) throws {
        try MicroIntegratorTool.keytool([
            "-genkeypair", "-alias", keyAlias, "-keyalg", "RSA", "-keysize", "2048",
            "-dname", "CN=localhost, O=\(organization)", "-ext", "san=dns:localhost,ip:127.0.0.1",
            "-validity", "30", "-storetype", type.rawValue, "-keystore", path,
            "-storepass", storePassword, "-keypass", storePassword,
        ])
    }

    private static func exportCertificate(from path: String, type: StoreType) throws -> String {
        let result = try MicroIntegratorTool.run(
            "/usr/bin/keytool",
            [
                "-exportcert", "-rfc", "-alias", keyAlias, "-storetype", type.rawValue, "-keystore", path,
                "-storepass", storePassword,
            ])
        guard result.status == 0, let pem = MicroIntegratorTLSProbe.firstCertificate(in: result.output) else {
            throw EndToEndError.commandFailed("keytool -exportcert failed: \(result.combinedOutput)")
        }
        return pem
    }

    /// Makes the client CA, a client certificate it signs, a self-signed stranger and an
    /// unrelated CA for the trust store, all with `openssl`.
    private func makeClientCertificates() throws {
        try makeAuthority(name: "Client CA", key: "client/ca.key", certificate: "client/ca.pem")
        try makeAuthority(
            name: "Unrelated Root CA", key: "client/unrelated-ca.key", certificate: "client/unrelated-ca.pem")

        try MicroIntegratorTool.openssl([
            "req", "-newkey", "rsa:2048", "-nodes", "-keyout", clientKey, "-out", path("client/client.csr"),
            "-subj", "/CN=mi-compatibility-client",
        ])
        try MicroIntegratorTool.openssl([
            "x509", "-req", "-in", path("client/client.csr"), "-CA", path("client/ca.pem"),
            "-CAkey", path("client/ca.key"), "-set_serial", "4097", "-days", "30", "-out", clientCertificate,
        ])

        try MicroIntegratorTool.openssl([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", untrustedKey, "-out", untrustedCertificate,
            "-days", "30", "-subj", "/CN=mi-compatibility-stranger",
        ])
    }

    private func makeAuthority(name: String, key: String, certificate: String) throws {
        try MicroIntegratorTool.openssl([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path(key), "-out", path(certificate),
            "-days", "30", "-subj", "/CN=MI Compatibility \(name)",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
    }

    private func makeTrustStore() throws {
        for (alias, certificate) in [("unrelatedca", "client/unrelated-ca.pem"), ("clientca", "client/ca.pem")] {
            try MicroIntegratorTool.keytool([
                "-importcert", "-noprompt", "-alias", alias, "-file", path(certificate),
                "-storetype", storeType.rawValue, "-keystore", path(trustStoreLocation),
                "-storepass", Self.storePassword,
            ])
        }
    }
}
