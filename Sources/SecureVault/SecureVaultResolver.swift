import Foundation
import InternalAPISecurity

/// Resolves `$secret{alias}` references from a WSO2-style secret repository: a Java properties
/// file of `alias=<base64 RSA ciphertext>` lines, decrypted with an RSA private key.
///
/// Every alias is decrypted once, when the resolver is created, so a repository with a bad
/// entry fails at start-up instead of at first use, and the key is not kept afterwards.
/// The resolver is an immutable value and safe to share between threads.
///
/// NOTE: the decrypted secrets stay in memory as Swift strings, which cannot be wiped. Only
/// OpenSSL's buffers are cleansed.
public struct SecureVaultResolver: SecretResolver {
    private let secrets: [String: String]
    /// The absolute path of the secret repository the secrets came from.
    public let repositoryPath: String

    /// Loads the key and the repository named by `configuration` and decrypts every alias.
    ///
    /// The key store password is read from `environment`, then a password file, then `prompt`
    /// (see `PasswordSource`).
    ///
    /// - Throws: `SecurityError` with code `fileNotReadable` for a missing repository or key
    ///   file, `keyStoreFailed` for a wrong password or unusable key, and `secretNotResolved`
    ///   naming the first alias whose value does not decrypt.
    public init(
        configuration: SecureVaultConfiguration,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        prompt: PasswordPrompt = .terminal,
        logger: Logger
    ) throws {
        let repositoryPath = configuration.resolve(path: configuration.repositoryPath)
        let document = try PropertiesDocument.load(path: repositoryPath)
        let passwords = PasswordReader(
            environment: environment, homeDirectory: configuration.homeDirectory, prompt: prompt, logger: logger)
        let key = try VaultKeyLoader(configuration: configuration, passwords: passwords).loadPrivateKey()

        try self.init(
            document: document, repositoryPath: repositoryPath, key: key,
            transformation: configuration.transformation)
        logger.info(
            "Secure vault loaded",
            metadata: [
                "repository": repositoryPath, "aliases": "\(secrets.count)",
                "transformation": configuration.transformation.rawValue,
            ])
    }

    init(document: PropertiesDocument, repositoryPath: String, key: RSAKey, transformation: CipherTransformation) throws
    {
        var encoded: [String: String] = [:]
        for entry in try document.entries() {
            encoded[entry.key] = entry.value
        }

        var secrets: [String: String] = [:]
        for (alias, value) in encoded {
            secrets[alias] = try Self.decrypt(
                value, alias: alias, key: key, transformation: transformation, repositoryPath: repositoryPath)
        }
        self.secrets = secrets
        self.repositoryPath = repositoryPath
    }

    /// The aliases in the repository, sorted.
    public var aliases: [String] {
        secrets.keys.sorted()
    }

    /// Returns the secret for `alias`.
    ///
    /// - Throws: `SecurityError` with code `secretNotResolved` naming the alias when the
    ///   repository has no such alias.
    public func resolve(alias: String) throws -> String {
        guard let secret = secrets[alias] else {
            throw SecurityError(
                .secretNotResolved, reason: "Secret alias not found in the secret repository", value: alias,
                fix:
                    "add it with 'ciphertool encrypt --alias \(alias) --repository \(repositoryPath)' or correct the reference"
            )
        }
        return secret
    }

    /// Decodes the base64 `value` of `alias` and decrypts it.
    ///
    /// - Throws: `SecurityError` with code `secretNotResolved` naming the alias, never the value.
    static func decrypt(
        _ value: String, alias: String, key: RSAKey, transformation: CipherTransformation, repositoryPath: String
    ) throws -> String {
        // Older cipher tools wrapped base64 at 76 characters, which continuation lines keep.
        let compact = value.filter { !$0.isWhitespace }
        guard !compact.isEmpty, let ciphertext = Data(base64Encoded: compact) else {
            throw SecurityError(
                .secretNotResolved, reason: "The value of the secret alias is not valid base64", value: alias,
                fix:
                    "encrypt the secret again with 'ciphertool encrypt --alias \(alias)' (repository \(repositoryPath))"
            )
        }
        do {
            return try RSACipher.decrypt(Array(ciphertext), with: key, transformation: transformation)
        } catch let error as SecurityError {
            throw SecurityError(
                .secretNotResolved,
                reason: "The secret alias could not be decrypted with this key and transformation (\(transformation))",
                value: alias,
                fix: "encrypt it again with the vault's key, or select the transformation it was written with "
                    + "(repository \(repositoryPath))",
                underlying: error.underlying ?? error.reason)
        }
    }
}
