import Foundation
import InternalAPISecurity

/// Loads TLS private keys and certificates from JKS, PKCS#12 and PEM files.
///
/// JKS is read by this module itself, because OpenSSL does not read it. PKCS#12 and PEM are
/// read with OpenSSL. All functions are safe to call from any thread.
public enum KeyStore {
    /// The largest file accepted as a key store, in bytes. Real key stores are a few kilobytes;
    /// the cap only keeps a wrong path (a log file, a disk image) from being read into memory.
    public static let maxFileSize = 16 * 1024 * 1024

    /// Loads the key store at `path`.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - type: `JKS`, `PKCS12` (or `P12`) or `PEM`, in any letter case; nil to detect the
    ///     format from the file's first bytes. Like Java, a file configured as JKS that is
    ///     really PKCS#12 (and the reverse) is read in its real format.
    ///   - password: The store password. For JKS it checks the integrity digest; for PKCS#12
    ///     it checks the MAC and decrypts the contents.
    ///   - keyPassword: The private key password when it differs from `password` (JKS entries
    ///     and encrypted PEM keys); nil to use `password`.
    ///   - alias: The private key entry to use; nil for the first one. Aliases are compared
    ///     without regard to letter case, as `keytool` stores them in lowercase.
    /// - Returns: The selected key and its chain, and the trusted certificates.
    /// - Warning: With a nil `password`, a JKS file's integrity digest is not checked (Java does
    ///   the same), so a changed trust store goes unnoticed. Configure the password.
    /// - Throws: `SecurityError` with code `.fileNotReadable` when the file is missing or
    ///   unreadable, and `.keyStoreFailed` when the type is unknown, a password is wrong, the
    ///   alias is not found or the file is damaged. Errors name the file and the alias, never
    ///   a password.
    public static func load(
        path: String, type: String? = nil, password: String?, keyPassword: String? = nil, alias: String? = nil
    ) throws -> LoadedKeyStore {
        var configuredType: KeyStoreType?
        if let type, !type.trimmingWhitespace().isEmpty {
            guard let parsed = KeyStoreType(name: type) else { throw KeyStoreErrors.unknownType(path, type: type) }
            configuredType = parsed
        }

        let bytes = try readFile(path)
        let detectedType = try KeyStoreType.detect(bytes, path: path)

        let resolvedType: KeyStoreType
        switch (configuredType, detectedType) {
        case (.jks, .pkcs12), (.pkcs12, .jks):
            resolvedType = detectedType ?? .jks
        case (let configured?, _):
            resolvedType = configured
        case (nil, let detected?):
            resolvedType = detected
        case (nil, nil):
            throw KeyStoreErrors.unknownFormat(path)
        }

        switch resolvedType {
        case .jks:
            return try JKSReader(path: path, bytes: bytes).load(
                password: password, keyPassword: keyPassword, alias: alias)
        case .pkcs12:
            return try PKCS12Reader.load(path: path, bytes: bytes, password: password, alias: alias)
        case .pem:
            return try PEMReader.load(path: path, bytes: bytes, keyPassword: keyPassword ?? password)
        }
    }

    /// Loads the key store that a configuration's `<sslConfig>` names.
    ///
    /// - Throws: The errors of `load(path:type:password:keyPassword:alias:)`.
    public static func load(_ reference: KeyStoreReference) throws -> LoadedKeyStore {
        try load(
            path: reference.path, type: reference.type, password: reference.password,
            keyPassword: reference.keyPassword, alias: reference.alias)
    }

    /// Loads a certificate chain and a private key kept in two PEM files.
    ///
    /// - Parameters:
    ///   - certificatePath: PEM certificates, leaf first (the leaf is moved first if the file
    ///     lists it elsewhere).
    ///   - keyPath: The PEM private key: PKCS#8 (encrypted or not) or a traditional RSA or EC key.
    ///   - keyPassword: The password of an encrypted key; nil for a key in the clear.
    /// - Throws: `SecurityError` with code `.fileNotReadable` for a missing file, and
    ///   `.keyStoreFailed` when a file contains no certificate or no key, the password is wrong, or
    ///   the key does not belong to any of the certificates.
    public static func loadPEM(certificatePath: String, keyPath: String, keyPassword: String? = nil) throws
        -> LoadedKeyStore
    {
        let certificateBytes = try readFile(certificatePath)
        let keyBytes = try readFile(keyPath)
        return try PEMReader.load(
            certificatePath: certificatePath, certificateBytes: certificateBytes, keyPath: keyPath, keyBytes: keyBytes,
            keyPassword: keyPassword)
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: path)
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw KeyStoreErrors.fileNotReadable(path, reason: "the file does not exist or cannot be accessed")
        }
        if let fileType = attributes[.type] as? FileAttributeType, fileType == .typeDirectory {
            throw KeyStoreErrors.fileNotReadable(path, reason: "the path is a directory")
        }
        if let size = attributes[.size] as? Int, size > maxFileSize {
            throw KeyStoreErrors.fileNotReadable(path, reason: "the file is larger than \(maxFileSize) bytes")
        }
        guard let data = try? Data(contentsOf: url) else {
            throw KeyStoreErrors.fileNotReadable(path, reason: "reading the file failed")
        }
        guard !data.isEmpty else {
            throw SecurityError(
                .keyStoreFailed, reason: "The key store file is empty", value: path,
                fix: "Configure the complete key store file")
        }
        return [UInt8](data)
    }
}
