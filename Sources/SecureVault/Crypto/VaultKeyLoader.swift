import COpenSSL
import CShims
import Foundation
import InternalAPISecurity
import KeyStores

/// Loads the secure vault's RSA key from a PEM file, a PKCS #12 key store or a Java `JKS` store.
struct VaultKeyLoader: Sendable {
    let configuration: SecureVaultConfiguration
    let passwords: PasswordReader

    var keyStorePath: String {
        configuration.resolve(path: configuration.keyStorePath)
    }

    /// Loads the private key that decrypts secrets.
    ///
    /// - Throws: `SecurityError` with code `fileNotReadable` for a missing file, or
    ///   `keyStoreFailed` for a wrong password, a missing alias or a key that is not RSA.
    func loadPrivateKey() throws -> RSAKey {
        let contents = try readKeyStore()
        let key: RSAKey
        switch configuration.effectiveKeyStoreType {
        case .pem: key = try loadPEMPrivateKey(contents)
        case .pkcs12: key = try loadPKCS12PrivateKey(contents)
        case .jks: key = try loadJavaKeyStorePrivateKey()
        }
        return try requireRSA(key)
    }

    /// Loads a key that can encrypt. A PEM file that contains a private key gives that key, so
    /// a bundle that lists CA certificates before the vault's own never selects a CA's key.
    /// Otherwise the PEM file's one certificate or public key gives it. Other key store types
    /// always give their private key.
    ///
    /// - Throws: `SecurityError` with code `keyStoreFailed` for a PEM file with several
    ///   certificates and no private key, because the file does not show which one is the
    ///   vault's. Also throws the errors of `loadPrivateKey`, which reads the passphrase of an
    ///   encrypted PEM private key.
    func loadPublicKey() throws -> RSAKey {
        guard configuration.effectiveKeyStoreType == .pem else { return try loadPrivateKey() }
        let contents = try readKeyStore()
        let text = String(decoding: contents, as: UTF8.self)

        if text.contains("PRIVATE KEY-----") {
            return try loadPrivateKey()
        }
        let certificateCount = text.components(separatedBy: "-----BEGIN CERTIFICATE-----").count - 1
        if certificateCount > 1 {
            throw SecurityError(
                .keyStoreFailed,
                reason: "The PEM file contains \(certificateCount) certificates and no private key, "
                    + "so the vault's certificate is unknown",
                value: keyStorePath,
                fix: "give a PEM file with the vault's certificate alone, or with the vault's private key")
        }
        if certificateCount == 1 {
            return try requireRSA(
                try withBIO(contents) { bio in
                    guard let certificate = PEM_read_bio_X509(bio, nil, nil, nil) else { return nil }
                    defer { X509_free(certificate) }
                    return X509_get_pubkey(certificate).map { RSAKey(taking: $0, isPrivate: false) }
                } ?? invalidPEM("The certificate in the PEM file cannot be read"))
        }
        if text.contains("-----BEGIN PUBLIC KEY-----") {
            return try requireRSA(
                try withBIO(contents) { bio in
                    PEM_read_bio_PUBKEY(bio, nil, nil, nil).map { RSAKey(taking: $0, isPrivate: false) }
                } ?? invalidPEM("The public key in the PEM file cannot be read"))
        }
        return try loadPrivateKey()
    }

    // MARK: - PEM

    private func loadPEMPrivateKey(_ contents: Data) throws -> RSAKey {
        let text = String(decoding: contents, as: UTF8.self)
        guard text.contains("PRIVATE KEY-----") else {
            throw SecurityError(
                .keyStoreFailed, reason: "The PEM file contains no private key", value: keyStorePath,
                fix: "point the key store at the PEM file of the RSA private key")
        }

        // Always pass a passphrase, even an empty one, because with none OpenSSL prompts on
        // the terminal by itself.
        let isEncrypted = text.contains("ENCRYPTED")
        let passphrase =
            isEncrypted
            ? try passwords.readPassword(from: configuration.keyStorePassword, purpose: "key store", for: keyStorePath)
            : ""
        let key = try withBIO(contents) { bio in
            passphrase.withCString { pointer in
                PEM_read_bio_PrivateKey(bio, nil, nil, UnsafeMutableRawPointer(mutating: pointer))
            }
        }
        guard let key else {
            let underlying = OpenSSLErrors.drain()
            throw SecurityError(
                .keyStoreFailed,
                reason: isEncrypted
                    ? "The private key could not be decrypted: the password is wrong"
                    : "The private key cannot be read",
                value: keyStorePath, fix: isEncrypted ? "give the key's passphrase" : "check the PEM file",
                underlying: underlying)
        }
        return RSAKey(taking: key, isPrivate: true)
    }

    private func invalidPEM(_ reason: String) throws -> RSAKey {
        throw SecurityError(
            .keyStoreFailed, reason: reason, value: keyStorePath, fix: "check the PEM file",
            underlying: OpenSSLErrors.drain())
    }

    // MARK: - PKCS #12

    private func loadPKCS12PrivateKey(_ contents: Data) throws -> RSAKey {
        let store = try withBIO(contents) { bio in d2i_PKCS12_bio(bio, nil) }
        guard let store else {
            throw SecurityError(
                .keyStoreFailed, reason: "The file is not a PKCS #12 key store", value: keyStorePath,
                fix: "check the path and the key store type (PEM, PKCS12 or JKS)", underlying: OpenSSLErrors.drain())
        }
        defer { PKCS12_free(store) }

        let storePassword = try passwords.readPassword(
            from: configuration.keyStorePassword, purpose: "key store", for: keyStorePath)
        if PKCS12_mac_present(store) == 1, PKCS12_verify_mac(store, storePassword, -1) != 1 {
            OpenSSLErrors.clear()
            throw SecurityError(
                .keyStoreFailed, reason: "The key store password is wrong (integrity check failed)",
                value: keyStorePath, fix: "give the password the key store was created with")
        }
        let keyPassword =
            try configuration.keyPassword.map {
                try passwords.readPassword(from: $0, purpose: "key", for: keyStorePath)
            } ?? storePassword

        var outcome = findKey(in: store, storePassword: storePassword, keyPassword: keyPassword)
        if case .unreadable(_, true) = outcome, configuration.allowsLegacyProvider, !LegacyProvider.isLoaded {
            if LegacyProvider.load() {
                passwords.logger.debug("OpenSSL legacy provider loaded", metadata: ["path": keyStorePath])
                outcome = findKey(in: store, storePassword: storePassword, keyPassword: keyPassword)
            }
        }
        return try outcome.key(
            path: keyStorePath, alias: configuration.keyAlias, allowsLegacy: configuration.allowsLegacyProvider)
    }

    private func findKey(in store: OpaquePointer, storePassword: String, keyPassword: String) -> PKCS12Outcome {
        OpenSSLErrors.clear()
        var key: OpaquePointer?
        var aliases = [CChar](repeating: 0, count: 1024)
        let status = cshims_vault_pkcs12_find_key(
            store, storePassword, keyPassword, configuration.keyAlias, &key, &aliases, aliases.count)
        let names = String(decoding: aliases.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)

        switch Int(status) {
        case Int(CSHIMS_VAULT_P12_OK):
            if let key { return .found(RSAKey(taking: key, isPrivate: true)) }
            return .malformed(nil)
        case Int(CSHIMS_VAULT_P12_KEY_NOT_FOUND):
            return .notFound(names)
        case Int(CSHIMS_VAULT_P12_CONTAINER_UNREADABLE), Int(CSHIMS_VAULT_P12_KEY_UNREADABLE):
            let report = OpenSSLErrors.drainReport()
            return .unreadable(report.text, unsupportedAlgorithm: report.hasUnsupportedAlgorithm)
        default:
            return .malformed(OpenSSLErrors.drain())
        }
    }

    // MARK: - JKS

    private func loadJavaKeyStorePrivateKey() throws -> RSAKey {
        let storePassword = try passwords.readPassword(
            from: configuration.keyStorePassword, purpose: "key store", for: keyStorePath)
        let keyPassword =
            try configuration.keyPassword.map {
                try passwords.readPassword(from: $0, purpose: "key", for: keyStorePath)
            } ?? storePassword
        let loaded = try KeyStore.load(
            path: keyStorePath, type: "JKS", password: storePassword, keyPassword: keyPassword,
            alias: configuration.keyAlias)
        guard let privateKey = loaded.privateKey else {
            throw SecurityError(
                .keyStoreFailed, reason: "The key store has no private key entry", value: keyStorePath,
                fix: "give a key store that holds the vault's RSA private key, and its alias with --secret-key-alias")
        }
        // The vault key owns its reference, so it takes one of its own from the shared key.
        EVP_PKEY_up_ref(privateKey.pointer)
        return RSAKey(taking: privateKey.pointer, isPrivate: true)
    }

    // MARK: - Shared steps

    private func readKeyStore() throws -> Data {
        guard FileManager.default.fileExists(atPath: keyStorePath) else {
            throw SecurityError(
                .fileNotReadable, reason: "Key store file not found", value: keyStorePath,
                fix: "check the key store path (relative paths resolve against \(configuration.homeDirectory))")
        }
        guard let contents = FileManager.default.contents(atPath: keyStorePath) else {
            throw SecurityError(
                .fileNotReadable, reason: "Key store file cannot be read", value: keyStorePath,
                fix: "make the file readable by the user that runs this program")
        }
        return contents
    }

    private func requireRSA(_ key: RSAKey) throws -> RSAKey {
        guard key.isRSA else {
            throw SecurityError(
                .keyStoreFailed, reason: "The key is not an RSA key", value: keyStorePath,
                fix: "use an RSA key pair (for example 'openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048')")
        }
        return key
    }

    private func withBIO<Result>(_ contents: Data, _ body: (OpaquePointer) throws -> Result?) throws -> Result? {
        OpenSSLErrors.clear()
        return try contents.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else {
                throw SecurityError(.cryptographyFailed, reason: "OpenSSL could not allocate a memory BIO")
            }
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }
}

/// The result of a search for the private key in a PKCS #12 store.
private enum PKCS12Outcome {
    case found(RSAKey)
    case notFound(String)
    case unreadable(String?, unsupportedAlgorithm: Bool)
    case malformed(String?)

    func key(path: String, alias: String?, allowsLegacy: Bool) throws -> RSAKey {
        switch self {
        case .found(let key):
            return key
        case .notFound(let names):
            let reason =
                alias == nil
                ? "The key store contains no private key" : "The key store has no private key with this alias"
            throw SecurityError(
                .keyStoreFailed, reason: reason, value: alias.map { "\(path) alias \($0)" } ?? path,
                fix: names.isEmpty ? "import an RSA private key into the store" : "use one of the aliases: \(names)")
        case .unreadable(let underlying, unsupportedAlgorithm: false):
            throw SecurityError(
                .keyStoreFailed, reason: "The private key could not be decrypted: the key password is wrong",
                value: path,
                fix:
                    "give the key password in INTERNAL_API_SECURITY_KEY_PASSWORD (or the configured key password source)",
                underlying: underlying)
        case .unreadable(let underlying, unsupportedAlgorithm: true):
            let reason =
                allowsLegacy
                ? "The key store uses a legacy algorithm (such as RC2) and OpenSSL's legacy provider could not be loaded"
                : "The key store uses a legacy algorithm (such as RC2) and the legacy provider is not allowed"
            throw SecurityError(
                .keyStoreFailed, reason: reason, value: path,
                fix: "export it again with current algorithms: 'openssl pkcs12 -in OLD.p12 -nodes -legacy "
                    + "| openssl pkcs12 -export -out NEW.p12' (OpenSSL 3 defaults to AES-256 and SHA-256)",
                underlying: underlying)
        case .malformed(let underlying):
            throw SecurityError(
                .keyStoreFailed, reason: "The PKCS #12 key store cannot be decoded", value: path,
                fix: "check the file or create the store again", underlying: underlying)
        }
    }
}
