import Foundation
import InternalAPISecurity

@testable import SecureVault

/// A temporary folder with an RSA key pair made by the `openssl` command, and helpers that
/// build vault configurations and ciphertexts from it.
struct VaultFixture {
    let folder: TemporaryFolder
    /// Unencrypted PKCS #8 private key.
    let privateKeyPath: String
    /// The matching public key.
    let publicKeyPath: String
    /// A self-signed certificate for the key.
    let certificatePath: String

    init() throws {
        folder = try TemporaryFolder()
        privateKeyPath = folder.file("vault-key.pem")
        publicKeyPath = folder.file("vault-public.pem")
        certificatePath = folder.file("vault-cert.pem")
        try ExternalCommand.succeed([
            "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", privateKeyPath,
        ])
        try ExternalCommand.succeed(["openssl", "pkey", "-in", privateKeyPath, "-pubout", "-out", publicKeyPath])
        try ExternalCommand.succeed([
            "openssl", "req", "-new", "-x509", "-key", privateKeyPath, "-subj", "/CN=vault", "-days", "1",
            "-out", certificatePath,
        ])
    }

    /// A configuration that reads `repository` in the fixture folder with the given key file.
    func configuration(
        repository: String = "secrets.properties", keyStore: String? = nil,
        transformation: CipherTransformation = .rsaOAEPWithSHA1
    ) -> SecureVaultConfiguration {
        SecureVaultConfiguration(
            repositoryPath: repository, keyStorePath: keyStore ?? privateKeyPath, transformation: transformation,
            homeDirectory: folder.path,
            keyStorePassword: PasswordSource(
                environmentVariable: "INTERNAL_API_SECURITY_KEYSTORE_PASSWORD", passwordFile: "password-tmp",
                promptsOnTerminal: false))
    }

    /// Returns base64 of `plaintext` encrypted with the fixture's public key.
    func encrypt(_ plaintext: String, transformation: CipherTransformation = .rsaOAEPWithSHA1) throws -> String {
        let padding =
            transformation == .rsaOAEPWithSHA1
            ? ["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha1", "-pkeyopt", "rsa_mgf1_md:sha1"]
            : ["-pkeyopt", "rsa_padding_mode:pkcs1"]
        let plaintextPath = folder.file("plaintext-\(UUID().uuidString)")
        let ciphertextPath = plaintextPath + ".bin"
        defer {
            try? FileManager.default.removeItem(atPath: plaintextPath)
            try? FileManager.default.removeItem(atPath: ciphertextPath)
        }
        try Data(plaintext.utf8).write(to: URL(fileURLWithPath: plaintextPath))
        try ExternalCommand.succeed(
            [
                "openssl", "pkeyutl", "-encrypt", "-pubin", "-inkey", publicKeyPath, "-in", plaintextPath,
                "-out", ciphertextPath,
            ] + padding)
        return try Data(contentsOf: URL(fileURLWithPath: ciphertextPath)).base64EncodedString()
    }

    /// Makes a PKCS #12 store of the fixture's key with `openssl pkcs12 -export`.
    func exportPKCS12(name: String, password: String, alias: String = "vault", extraArguments: [String] = []) throws
        -> String
    {
        let path = folder.file(name)
        try ExternalCommand.succeed(
            [
                "openssl", "pkcs12", "-export", "-inkey", privateKeyPath, "-in", certificatePath, "-name", alias,
                "-out", path, "-passout", "pass:\(password)",
            ] + extraArguments)
        return path
    }

    func loadResolver(
        _ configuration: SecureVaultConfiguration, environment: [String: String] = [:],
        capture: LogCapture = LogCapture()
    ) throws -> SecureVaultResolver {
        try SecureVaultResolver(
            configuration: configuration, environment: environment, prompt: .unavailable,
            logger: capture.logger())
    }
}
