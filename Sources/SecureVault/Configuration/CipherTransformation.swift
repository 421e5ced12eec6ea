import Foundation
import InternalAPISecurity

/// The RSA padding used for secure-vault ciphertexts, named as Java's JCE names it.
public enum CipherTransformation: String, Sendable, CaseIterable, CustomStringConvertible {
    /// RSA OAEP with SHA-1 as the digest and MGF1 with SHA-1, Java's
    /// `RSA/ECB/OAEPwithSHA1andMGF1Padding`. The default.
    case rsaOAEPWithSHA1 = "RSA/ECB/OAEPwithSHA1andMGF1Padding"
    /// RSA PKCS #1 v1.5 padding, Java's `RSA/ECB/PKCS1Padding`, for secrets written by older
    /// cipher tools.
    ///
    /// - Warning: PKCS #1 v1.5 encryption padding is open to padding-oracle attacks. Use it only
    ///   to read secrets that were already written with it.
    case rsaPKCS1 = "RSA/ECB/PKCS1Padding"

    /// The Java transformation name.
    public var description: String { rawValue }

    /// Parses a Java transformation name, ignoring case.
    ///
    /// `RSA` alone means `RSA/ECB/PKCS1Padding`, as it does for Java's `Cipher.getInstance`.
    ///
    /// - Throws: `SecurityError` with code `invalidArgument` naming the value and the supported names.
    public init(javaName: String) throws {
        let name = javaName.trimmingCharacters(in: .whitespaces).lowercased()
        if name == "rsa" {
            self = .rsaPKCS1
            return
        }
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == name }) else {
            throw SecurityError(
                .invalidArgument, reason: "Unsupported cipher transformation", value: javaName,
                fix: "use one of: \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = match
    }
}
