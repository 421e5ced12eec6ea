import COpenSSL
import CShims
import Foundation
import InternalAPISecurity

/// Makes self-signed RSA certificates, for a server that has no certificate configured.
///
/// - Warning: Clients cannot verify a self-signed certificate against a certificate authority.
///   Use it for local development and tests, and configure a real certificate elsewhere.
public enum SelfSignedCertificate {
    /// The smallest RSA key accepted, in bits.
    public static let minimumKeyBits = 2048

    /// Generates an RSA key and a self-signed X.509 v3 certificate for it.
    ///
    /// The certificate is signed with SHA-256, valid from now for `validDays`, has a random
    /// 159-bit serial number, and is marked for TLS server use (not a CA).
    ///
    /// - Parameters:
    ///   - commonName: The subject and issuer common name.
    ///   - subjectAlternativeNames: Host names and IPv4 or IPv6 addresses the certificate is
    ///     valid for. An entry that parses as an IP address becomes an IP name.
    ///   - keyBits: The RSA key size, at least `minimumKeyBits`.
    ///   - validDays: The validity period in days, at least 1.
    /// - Throws: `SecurityError` with code `.invalidArgument` for a key size below 2048, a
    ///   validity below one day or an empty or comma-containing name, and `.cryptographyFailed`
    ///   when OpenSSL fails.
    public static func make(
        commonName: String = "localhost", subjectAlternativeNames: [String] = ["localhost", "127.0.0.1", "::1"],
        keyBits: Int = 2048, validDays: Int = 365
    ) throws -> (PrivateKey, Certificate) {
        try validate(commonName: commonName, names: subjectAlternativeNames, keyBits: keyBits, validDays: validDays)

        OpenSSLErrorQueue.clear()
        let key = try generateRSAKey(bits: keyBits)
        guard let certificatePointer = X509_new() else { throw KeyStoreErrors.outOfMemory() }
        let certificate = Certificate(taking: certificatePointer)

        try check(X509_set_version(certificatePointer, 2), "setting the certificate version")
        try setRandomSerialNumber(certificatePointer)
        guard let name = X509_get_subject_name(certificatePointer) else { throw failure("reading the subject name") }
        try check(
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, commonName, -1, -1, 0), "setting the common name")
        try check(X509_set_issuer_name(certificatePointer, name), "setting the issuer name")
        guard X509_gmtime_adj(X509_getm_notBefore(certificatePointer), 0) != nil,
            X509_time_adj_ex(X509_getm_notAfter(certificatePointer), Int32(validDays), 0, nil) != nil
        else { throw failure("setting the validity period") }
        try check(X509_set_pubkey(certificatePointer, key.pointer), "setting the public key")

        let extensions: [(Int32, String)] = [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, "critical,digitalSignature,keyEncipherment"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_key_identifier, "hash"),
            (NID_subject_alt_name, alternativeNameList(subjectAlternativeNames)),
        ]
        for (nid, value) in extensions where !value.isEmpty {
            try check(cshims_keystores_add_extension(certificatePointer, nid, value), "adding extension \(value)")
        }

        guard X509_sign(certificatePointer, key.pointer, EVP_sha256()) > 0 else { throw failure("signing") }
        return (key, certificate)
    }

    private static func validate(commonName: String, names: [String], keyBits: Int, validDays: Int) throws {
        guard keyBits >= minimumKeyBits, keyBits <= 16384 else {
            throw SecurityError(
                .invalidArgument, reason: "The RSA key size must be between \(minimumKeyBits) and 16384 bits",
                value: String(keyBits), fix: "Use 2048, 3072 or 4096")
        }
        guard validDays >= 1, validDays <= 36500 else {
            throw SecurityError(
                .invalidArgument, reason: "The validity must be between 1 and 36500 days", value: String(validDays),
                fix: "Use a validity such as 365 days")
        }
        guard !commonName.isEmpty, commonName.utf8.count <= 64 else {
            throw SecurityError(
                .invalidArgument, reason: "The common name must have 1 to 64 bytes", value: commonName,
                fix: "Use the server's host name")
        }
        for name in names where name.isEmpty || name.contains(",") || name.contains(where: \.isWhitespace) {
            throw SecurityError(
                .invalidArgument, reason: "A subject alternative name is empty or contains a comma or a space",
                value: name, fix: "Give each host name or IP address as its own entry")
        }
    }

    /// Builds OpenSSL's `subjectAltName` value, for example `DNS:localhost,IP:127.0.0.1`.
    private static func alternativeNameList(_ names: [String]) -> String {
        names.map { name in
            var address = in6_addr()
            let isIPv4 = inet_pton(AF_INET, name, &address) == 1
            let isIPv6 = inet_pton(AF_INET6, name, &address) == 1
            return (isIPv4 || isIPv6 ? "IP:" : "DNS:") + name
        }.joined(separator: ",")
    }

    private static func generateRSAKey(bits: Int) throws -> PrivateKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else {
            throw failure("creating the key context")
        }
        defer { EVP_PKEY_CTX_free(context) }
        try check(EVP_PKEY_keygen_init(context), "starting key generation")
        try check(EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)), "setting the key size")
        var key: OpaquePointer?
        guard EVP_PKEY_generate(context, &key) == 1, let key else { throw failure("generating the RSA key") }
        return PrivateKey(taking: key)
    }

    private static func setRandomSerialNumber(_ certificate: OpaquePointer) throws {
        guard let number = BN_new() else { throw KeyStoreErrors.outOfMemory() }
        defer { BN_free(number) }
        // 159 bits keeps the DER integer positive and within the 20 octets RFC 5280 allows.
        try check(BN_rand(number, 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "generating the serial number")
        guard BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate)) != nil else {
            throw failure("setting the serial number")
        }
    }

    private static func check(_ result: Int32, _ step: String) throws {
        guard result == 1 else { throw failure(step) }
    }

    private static func failure(_ step: String) -> SecurityError {
        SecurityError(
            .cryptographyFailed, reason: "Making the self-signed certificate failed while \(step)",
            underlying: OpenSSLErrorQueue.drainText())
    }
}
