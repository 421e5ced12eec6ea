import InternalAPISecurity

/// The file formats a key store can have.
public enum KeyStoreType: String, Sendable, CaseIterable {
    /// Java's original key store format (magic number 0xFEEDFEED).
    case jks = "JKS"
    /// PKCS#12, as written by `openssl pkcs12 -export` and by `keytool -storetype PKCS12`.
    case pkcs12 = "PKCS12"
    /// PEM text holding certificates and optionally a private key.
    case pem = "PEM"

    /// Parses a type name as written in a configuration: `JKS`, `PKCS12`, `P12`, `PKCS#12` or
    /// `PEM`, in any letter case. Returns nil for any other name.
    public init?(name: String) {
        switch name.trimmingWhitespace().uppercased() {
        case "JKS": self = .jks
        case "PKCS12", "P12", "PKCS#12", "PFX": self = .pkcs12
        case "PEM": self = .pem
        default: return nil
        }
    }

    /// Detects the format from the file's first bytes. Returns nil when they match no known format.
    ///
    /// - Throws: `SecurityError` with code `.keyStoreFailed` for a JCEKS file, which is
    ///   recognized but not supported, with the `keytool` command that converts it.
    static func detect(_ bytes: [UInt8], path: String) throws -> KeyStoreType? {
        if bytes.starts(with: [0xFE, 0xED, 0xFE, 0xED]) { return .jks }
        if bytes.starts(with: [0xCE, 0xCE, 0xCE, 0xCE]) { throw KeyStoreErrors.jceksNotSupported(path) }
        // A PKCS#12 file is a DER SEQUENCE (0x30) longer than 127 bytes, so its length takes the
        // long form (0x81 to 0x84). Text never starts that way.
        if bytes.count > 1, bytes[0] == 0x30, bytes[1] >= 0x80 { return .pkcs12 }
        if containsPEMBoundary(bytes) { return .pem }
        return nil
    }

    private static func containsPEMBoundary(_ bytes: [UInt8]) -> Bool {
        let marker = Array("-----BEGIN ".utf8)
        guard bytes.count >= marker.count else { return false }
        for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] {
            if bytes[start..<(start + marker.count)].elementsEqual(marker) { return true }
        }
        return false
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let characters = Substring(self).drop { $0.isWhitespace }
        return String(characters.reversed().drop { $0.isWhitespace }.reversed())
    }
}
