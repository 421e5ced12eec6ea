import Foundation

/// The location of the secure vault's secret repository and of the RSA key that decrypts it.
///
/// Relative paths resolve against `homeDirectory`, as WSO2 Micro Integrator resolves them
/// against its home folder.
public struct SecureVaultConfiguration: Sendable, Equatable {
    /// The secret repository: a Java properties file of `alias=<base64 ciphertext>` lines.
    public var repositoryPath: String
    /// The PEM file or PKCS #12 key store holding the RSA private key.
    public var keyStorePath: String
    /// The key store format, or nil to infer it from the file name (see `KeyStoreType.inferred`).
    public var keyStoreType: KeyStoreType?
    /// The alias of the private key in a PKCS #12 store, compared ignoring ASCII case, or nil for
    /// the first private key. Ignored for PEM files.
    public var keyAlias: String?
    /// The padding the secrets were encrypted with.
    public var transformation: CipherTransformation
    /// The folder that relative paths resolve against.
    public var homeDirectory: String
    /// The source of the key store password. For a PEM file this is the passphrase of an
    /// encrypted private key, and it is asked for only when the key is encrypted.
    public var keyStorePassword: PasswordSource
    /// The source of the key password of a PKCS #12 store, or nil when it equals the store
    /// password (as `keytool` writes PKCS #12 stores).
    public var keyPassword: PasswordSource?
    /// Whether OpenSSL's legacy provider may be loaded for PKCS #12 files encrypted with RC2 or
    /// other legacy algorithms. When false, this module never loads the provider, and such a file
    /// fails with an error that explains how to export it again with current algorithms (unless
    /// another part of the process has loaded the provider already).
    public var allowsLegacyProvider: Bool

    public init(
        repositoryPath: String,
        keyStorePath: String,
        keyStoreType: KeyStoreType? = nil,
        keyAlias: String? = nil,
        transformation: CipherTransformation = .rsaOAEPWithSHA1,
        homeDirectory: String = FileManager.default.currentDirectoryPath,
        keyStorePassword: PasswordSource = .keyStoreDefault,
        keyPassword: PasswordSource? = nil,
        allowsLegacyProvider: Bool = true
    ) {
        self.repositoryPath = repositoryPath
        self.keyStorePath = keyStorePath
        self.keyStoreType = keyStoreType
        self.keyAlias = keyAlias
        self.transformation = transformation
        self.homeDirectory = homeDirectory
        self.keyStorePassword = keyStorePassword
        self.keyPassword = keyPassword
        self.allowsLegacyProvider = allowsLegacyProvider
    }

    /// The key store type to use: the configured one, or the one the file name suggests.
    public var effectiveKeyStoreType: KeyStoreType {
        keyStoreType ?? KeyStoreType.inferred(fromPath: keyStorePath)
    }

    /// Returns `path` unchanged when it is absolute, else joined to `homeDirectory`.
    public func resolve(path: String) -> String {
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: homeDirectory).appendingPathComponent(path).path
    }
}
