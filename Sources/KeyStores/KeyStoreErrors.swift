import InternalAPISecurity

/// The errors this module throws, in one place so their wording and fixes stay consistent.
///
/// No factory takes a password: messages name the file and the alias only.
enum KeyStoreErrors {
    static func fileNotReadable(_ path: String, reason: String) -> SecurityError {
        SecurityError(
            .fileNotReadable, reason: "The key store file cannot be read: \(reason)", value: path,
            fix: "Check that the path is correct and that the server's user can read the file")
    }

    static func damaged(_ path: String, type: String, detail: String, underlying: String? = nil) -> SecurityError {
        SecurityError(
            .keyStoreFailed, reason: "The \(type) key store is invalid or damaged: \(detail)", value: path,
            fix: "Check that the file is a complete \(type) key store and was copied in binary mode",
            underlying: underlying)
    }

    static func damagedJKS(_ path: String, detail: String, underlying: String? = nil) -> SecurityError {
        SecurityError(
            .keyStoreFailed, reason: "The JKS key store cannot be read: \(detail)", value: path,
            fix: "Check that the file is complete, or convert it with "
                + "'keytool -importkeystore -srckeystore \(path) -destkeystore \(path).p12 -deststoretype PKCS12'"
                + " and configure the .p12 file with type PKCS12",
            underlying: underlying)
    }

    static func wrongStorePassword(_ path: String, type: String, underlying: String? = nil) -> SecurityError {
        SecurityError(
            .keyStoreFailed, reason: "The \(type) key store password is wrong, or the file is damaged", value: path,
            fix: "Check the key store password in the configuration (the secret it names, if it is a $secret{...})",
            underlying: underlying)
    }

    static func wrongKeyPassword(_ path: String, alias: String?, underlying: String? = nil) -> SecurityError {
        SecurityError(
            .keyStoreFailed,
            reason: "The private key password is wrong, or the key is damaged" + aliasClause(alias), value: path,
            fix: "Check the key password in the configuration; when it is not set, the store password is used",
            underlying: underlying)
    }

    static func missingPassword(_ path: String, alias: String?) -> SecurityError {
        SecurityError(
            .keyStoreFailed, reason: "No password is configured for the private key" + aliasClause(alias),
            value: path, fix: "Set the key store password (and the key password if it differs)")
    }

    static func aliasNotFound(_ path: String, alias: String, aliases: [String]) -> SecurityError {
        let known = aliases.isEmpty ? "none" : aliases.joined(separator: ", ")
        return SecurityError(
            .keyStoreFailed, reason: "The key store has no private key entry with alias '\(alias)'", value: path,
            fix: "Use one of the key store's aliases (\(known)), or remove the alias to use the first key")
    }

    static func unknownType(_ path: String, type: String) -> SecurityError {
        SecurityError(
            .keyStoreFailed, reason: "Unknown key store type '\(type)' for \(path)", value: type,
            fix: "Use JKS, PKCS12 (or P12) or PEM, or leave the type out to detect it from the file")
    }

    static func unknownFormat(_ path: String) -> SecurityError {
        SecurityError(
            .keyStoreFailed, reason: "The file is not a JKS, PKCS#12 or PEM key store", value: path,
            fix: "Configure a JKS, PKCS#12 or PEM file, or convert the store with keytool or openssl")
    }

    static func jceksNotSupported(_ path: String) -> SecurityError {
        SecurityError(
            .keyStoreFailed, reason: "JCEKS key stores are not supported", value: path,
            fix: "Convert it with 'keytool -importkeystore -srckeystore \(path) -srcstoretype JCEKS "
                + "-destkeystore \(path).p12 -deststoretype PKCS12' and configure the .p12 file with type PKCS12")
    }

    static func legacyPKCS12Unavailable(_ path: String, underlying: String?) -> SecurityError {
        SecurityError(
            .keyStoreFailed,
            reason:
                "The PKCS#12 file uses a legacy cipher (such as RC2) and OpenSSL's legacy provider is not available",
            value: path,
            fix: "Re-export it with a current cipher: 'openssl pkcs12 -export' without '-legacy', or "
                + "'keytool -importkeystore -srckeystore \(path) -destkeystore \(path).new.p12 -deststoretype PKCS12' "
                + "with a current JDK",
            underlying: underlying)
    }

    static func outOfMemory() -> SecurityError {
        SecurityError(
            .cryptographyFailed, reason: "OpenSSL could not allocate memory", underlying: OpenSSLErrorQueue.drainText())
    }

    private static func aliasClause(_ alias: String?) -> String {
        alias.map { " (alias '\($0)')" } ?? ""
    }
}
