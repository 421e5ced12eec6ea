import Foundation

/// Key stores made once per test run with the real `keytool` and `openssl`, shared by all
/// tests. Each property is the path of one file in a temporary folder.
struct KeyStoreFixtures: Sendable {
    static let storePassword = "wso2carbon"
    static let splitStorePassword = "store-secret-1"
    static let splitKeyPassword = "key-secret-22"
    static let pkcs12Password = "p12-secret"
    static let pemKeyPassword = "pem-secret"

    /// `wso2carbon.jks`: one RSA-2048 key entry `wso2carbon` for CN=localhost, as MI ships it.
    let jks: String
    /// `split-passwords.jks`: key entry `server` (CN=server.example) with its own key password,
    /// and EC key entry `ec-key` protected by the store password.
    let splitPasswordsJKS: String
    /// `client-truststore.jks`: trusted certificate entries `wso2carbon` and `pem-example`.
    let trustStoreJKS: String
    /// `keytool.p12`: a PKCS#12 store written by keytool, alias `p12key`, CN=p12.example.
    let keytoolPKCS12: String
    /// `openssl.p12` and `legacy.p12`: the PEM pair exported by openssl with AES and with RC2.
    let opensslPKCS12: String
    let legacyPKCS12: String
    /// `store.jceks`: a JCEKS store, which the module rejects.
    let jceks: String
    /// The PEM pair for CN=pem.example: certificate, key, both in one file, encrypted key.
    let pemCertificate: String
    let pemKey: String
    let pemCombined: String
    let pemEncryptedKey: String

    /// Returns the fixtures, making them on first use. The folder is removed when the test
    /// process exits.
    static func shared() throws -> KeyStoreFixtures {
        try fixtures.get()
    }

    private static let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("keystores-fixtures-\(ProcessInfo.processInfo.processIdentifier)")

    private static let fixtures: Result<KeyStoreFixtures, any Error> = Result {
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: KeyStoreFixtures.directory) }
        return try KeyStoreFixtures(in: directory)
    }

    private init(in directory: URL) throws {
        let tools = ToolRunner()
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func keytool(_ arguments: [String]) throws { try tools.run("keytool", arguments, in: directory) }
        func openssl(_ arguments: [String]) throws { try tools.run("openssl", arguments, in: directory) }

        jks = path("wso2carbon.jks")
        try keytool([
            "-genkeypair", "-storetype", "JKS", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
            "-alias", "wso2carbon", "-dname", "CN=localhost", "-keystore", jks,
            "-storepass", Self.storePassword, "-keypass", Self.storePassword,
        ])

        splitPasswordsJKS = path("split-passwords.jks")
        try keytool([
            "-genkeypair", "-storetype", "JKS", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
            "-alias", "server", "-dname", "CN=server.example", "-keystore", splitPasswordsJKS,
            "-storepass", Self.splitStorePassword, "-keypass", Self.splitKeyPassword,
        ])
        try keytool([
            "-genkeypair", "-storetype", "JKS", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
            "-alias", "ec-key", "-dname", "CN=ec.example", "-keystore", splitPasswordsJKS,
            "-storepass", Self.splitStorePassword, "-keypass", Self.splitStorePassword,
        ])

        pemCertificate = path("cert.pem")
        pemKey = path("key.pem")
        try openssl([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", pemKey, "-out", pemCertificate,
            "-subj", "/CN=pem.example", "-days", "30",
        ])
        pemCombined = path("combined.pem")
        let combined =
            try String(contentsOfFile: pemCertificate, encoding: .utf8)
            + String(contentsOfFile: pemKey, encoding: .utf8)
        try combined.write(toFile: pemCombined, atomically: true, encoding: .utf8)
        pemEncryptedKey = path("key-encrypted.pem")
        try openssl([
            "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", pemKey, "-out", pemEncryptedKey,
            "-passout", "pass:\(Self.pemKeyPassword)",
        ])

        let exportedCertificate = path("wso2carbon.crt")
        try keytool([
            "-exportcert", "-rfc", "-alias", "wso2carbon", "-keystore", jks, "-storepass", Self.storePassword,
            "-file", exportedCertificate,
        ])
        trustStoreJKS = path("client-truststore.jks")
        for (alias, file) in [("wso2carbon", exportedCertificate), ("pem-example", pemCertificate)] {
            try keytool([
                "-importcert", "-storetype", "JKS", "-noprompt", "-alias", alias, "-file", file,
                "-keystore", trustStoreJKS, "-storepass", Self.storePassword,
            ])
        }

        keytoolPKCS12 = path("keytool.p12")
        try keytool([
            "-genkeypair", "-storetype", "PKCS12", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
            "-alias", "p12key", "-dname", "CN=p12.example", "-keystore", keytoolPKCS12,
            "-storepass", Self.pkcs12Password, "-keypass", Self.pkcs12Password,
        ])

        opensslPKCS12 = path("openssl.p12")
        legacyPKCS12 = path("legacy.p12")
        for (file, extra) in [(opensslPKCS12, [String]()), (legacyPKCS12, ["-legacy"])] {
            try openssl(
                ["pkcs12", "-export"] + extra + [
                    "-in", pemCertificate, "-inkey", pemKey, "-name", "pem-example", "-out", file,
                    "-passout", "pass:\(Self.pkcs12Password)",
                ])
        }

        jceks = path("store.jceks")
        try keytool([
            "-genkeypair", "-storetype", "JCEKS", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
            "-alias", "jceks", "-dname", "CN=jceks.example", "-keystore", jceks,
            "-storepass", Self.storePassword, "-keypass", Self.storePassword,
        ])
    }

    /// Writes `bytes` to a new file in the fixture folder and returns its path.
    static func write(_ bytes: [UInt8], named name: String) throws -> String {
        _ = try shared()
        let url = directory.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url.path
    }

    static func bytes(of path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
