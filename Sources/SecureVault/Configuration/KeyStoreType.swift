import InternalAPISecurity

/// The file format of the key that decrypts the secret repository.
public enum KeyStoreType: String, Sendable, CaseIterable, CustomStringConvertible {
    /// A PEM file: an RSA private key (PKCS #8 or PKCS #1, optionally encrypted), and for
    /// encryption also a certificate or a public key.
    case pem = "PEM"
    /// A PKCS #12 key store, as `keytool -storetype PKCS12` or `openssl pkcs12 -export` write it.
    case pkcs12 = "PKCS12"

    public var description: String { rawValue }

    /// Parses a key store type name, ignoring case: `PEM`, or `PKCS12` (also `P12`, `PFX`).
    ///
    /// - Throws: `SecurityError` with code `invalidArgument`. A Java `JKS` or `JCEKS` store gets
    ///   a fix that shows how to convert it with `keytool -importkeystore`.
    public init(name: String) throws {
        switch name.lowercased() {
        case "pem": self = .pem
        case "pkcs12", "p12", "pfx": self = .pkcs12
        case "jks", "jceks":
            throw SecurityError(
                .invalidArgument, reason: "Java key store formats are not supported", value: name,
                fix: "convert the store with 'keytool -importkeystore -srckeystore STORE.jks "
                    + "-destkeystore STORE.p12 -deststoretype PKCS12' and use type PKCS12")
        default:
            throw SecurityError(
                .invalidArgument, reason: "Unknown key store type", value: name, fix: "use PEM or PKCS12")
        }
    }

    /// Returns the type that a file name suggests: PKCS12 for `.p12` and `.pfx`, else PEM.
    public static func inferred(fromPath path: String) -> KeyStoreType {
        let lowercased = path.lowercased()
        return lowercased.hasSuffix(".p12") || lowercased.hasSuffix(".pfx") ? .pkcs12 : .pem
    }
}
