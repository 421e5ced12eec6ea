import InternalAPISecurity

/// The file format of the key that decrypts the secret repository.
public enum KeyStoreType: String, Sendable, CaseIterable, CustomStringConvertible {
    /// A PEM file: an RSA private key (PKCS #8 or PKCS #1, optionally encrypted), and for
    /// encryption also a certificate or a public key.
    case pem = "PEM"
    /// A PKCS #12 key store, as `keytool -storetype PKCS12` or `openssl pkcs12 -export` write it.
    case pkcs12 = "PKCS12"
    /// A Java `JKS` key store, such as Micro Integrator's `wso2carbon.jks`, read by the
    /// `KeyStores` module.
    case jks = "JKS"

    public var description: String { rawValue }

    /// Parses a key store type name, ignoring case: `PEM`, `PKCS12` (also `P12`, `PFX`) or `JKS`.
    ///
    /// - Throws: `SecurityError` with code `invalidArgument`. A Java `JCEKS` store gets a fix
    ///   that shows how to convert it with `keytool -importkeystore`.
    public init(name: String) throws {
        switch name.lowercased() {
        case "pem": self = .pem
        case "pkcs12", "p12", "pfx": self = .pkcs12
        case "jks": self = .jks
        case "jceks":
            throw SecurityError(
                .invalidArgument, reason: "JCEKS key stores are not supported", value: name,
                fix: "convert the store with 'keytool -importkeystore -srckeystore STORE.jks "
                    + "-destkeystore STORE.p12 -deststoretype PKCS12' and use type PKCS12")
        default:
            throw SecurityError(
                .invalidArgument, reason: "Unknown key store type", value: name, fix: "use PEM, PKCS12 or JKS")
        }
    }

    /// Returns the type that a file name suggests: PKCS12 for `.p12` and `.pfx`, JKS for `.jks`,
    /// else PEM.
    public static func inferred(fromPath path: String) -> KeyStoreType {
        let lowercased = path.lowercased()
        if lowercased.hasSuffix(".jks") { return .jks }
        return lowercased.hasSuffix(".p12") || lowercased.hasSuffix(".pfx") ? .pkcs12 : .pem
    }
}
