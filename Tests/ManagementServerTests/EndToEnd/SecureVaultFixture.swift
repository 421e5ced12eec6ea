import Foundation

/// A temporary folder for one secure-vault test: RSA keys made by `openssl` and `keytool`, and
/// secret repositories written by the real `ciphertool` binary.
///
/// The server under test gets absolute paths into this folder, because its own folder (see
/// `EndToEndServer`) only takes text files.
final class SecureVaultFixture {
    /// The variable the server and `ciphertool` read the vault key store password from first.
    static let keyStorePasswordVariable = "INTERNAL_API_SECURITY_KEYSTORE_PASSWORD"

    let folder: String

    init() throws {
        folder =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("secure-vault-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Returns the absolute path of `name` in the fixture folder.
    func path(_ name: String) -> String {
        URL(fileURLWithPath: folder).appendingPathComponent(name).path
    }

    /// Writes an unencrypted 2048-bit RSA private key with `openssl genpkey` and returns its path.
    func makePEMKey(named name: String = "vault-key.pem") throws -> String {
        let keyPath = path(name)
        try SecureVaultCommand.succeed(
            ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keyPath],
            in: folder)
        return keyPath
    }

    /// Writes a PKCS #12 store with one RSA key and a self-signed certificate for localhost
    /// (`keytool -genkeypair -storetype PKCS12`) and returns its path. `keytool` gives the key
    /// the store password.
    func makePKCS12Store(
        named name: String, password: String, alias: String, distinguishedName: String = "CN=localhost"
    ) throws -> String {
        let storePath = path(name)
        try SecureVaultCommand.succeed(
            [
                "keytool", "-genkeypair", "-storetype", "PKCS12", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-alias", alias, "-dname", distinguishedName,
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", storePath, "-storepass", password,
            ],
            in: folder)
        return storePath
    }

    /// Encrypts `value` under `alias` with `ciphertool encrypt --value-from-stdin`.
    ///
    /// - Parameter storePassword: the password of a PKCS #12 `keyStore`, passed in the
    ///   environment as an operator's script would; nil for a PEM key.
    func encrypt(
        _ value: String, alias: String, keyStore: String, repository: String = "secret-repository.properties",
        storePassword: String? = nil
    ) throws {
        let result = try runCipherTool(
            [
                "encrypt", "--alias", alias, "--value-from-stdin", "--repository", path(repository),
                "--keystore", keyStore,
            ],
            input: value + "\n", storePassword: storePassword)
        guard result.status == 0 else {
            throw EndToEndError.commandFailed("ciphertool encrypt exited with status \(result.status): \(result.error)")
        }
    }

    /// Runs the built `ciphertool` in the fixture folder.
    func runCipherTool(_ arguments: [String], input: String? = nil, storePassword: String? = nil) throws
        -> SecureVaultCommand.Result
    {
        // An empty value hides a password the test runner may have in its own environment.
        try SecureVaultCommand.run(
            [try Self.cipherToolExecutable().path] + arguments, input: input,
            environment: [Self.keyStorePasswordVariable: storePassword ?? ""], in: folder)
    }

    /// Returns the server options that load the vault from `repository` with the key in `keyStore`.
    func serverArguments(keyStore: String, repository: String = "secret-repository.properties") -> [String] {
        ["--secret-repository", path(repository), "--secret-keystore", keyStore]
    }

    /// Finds `ciphertool`, which SwiftPM builds next to `management-server`.
    static func cipherToolExecutable() throws -> URL {
        let candidate = try EndToEndServer.serverExecutable().deletingLastPathComponent()
            .appendingPathComponent("ciphertool")
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
            throw EndToEndError.commandFailed(
                "ciphertool not found at \(candidate.path); build it with `swift build --build-tests`")
        }
        return candidate
    }
}
