import COpenSSL
import CShims
import InternalAPISecurity

#if canImport(Glibc)
    import Glibc
#endif

/// An OpenSSL server context (`SSL_CTX`) with the protocol floor, ciphers, certificate, key and
/// client verification the transport uses for every TLS connection.
///
/// TLS 1.0 and 1.1 are never offered. Compression and renegotiation are off, and the server's
/// cipher order wins. With client verification on, a client whose certificate fails
/// verification fails the handshake, so its requests never reach the responder.
///
/// Thread safety: immutable after `init`; OpenSSL allows one `SSL_CTX` to be shared by
/// connections on many threads, which is why the class is `@unchecked Sendable`.
public final class TLSServerContext: @unchecked Sendable {
    /// The lowest protocol version the server accepts.
    public enum MinimumVersion: Sendable {
        case tls12
        /// TLS 1.3 only.
        case tls13
    }

    /// Whether the server requests a client certificate.
    public enum ClientVerification: Sendable {
        /// No client certificate is requested.
        case none
        /// A certificate is requested; a client may send none, but one that it sends must verify.
        case optional
        /// A certificate that verifies against the trusted certificates is required.
        case require
    }

    /// Protocol, cipher and client-verification settings.
    public struct Options: Sendable {
        /// Forward-secret AEAD suites only, for TLS 1.2 (OpenSSL cipher-list syntax).
        public static let defaultCipherList = "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20"

        public var minimumVersion: MinimumVersion = .tls12
        /// The TLS 1.2 cipher list, in OpenSSL's syntax (`openssl ciphers -v '<list>'` shows
        /// what it selects).
        public var cipherList: String = Options.defaultCipherList
        /// The TLS 1.3 cipher suites, colon-separated, or nil for OpenSSL's default.
        public var cipherSuites: String?
        public var clientVerification: ClientVerification = .none

        public init(
            minimumVersion: MinimumVersion = .tls12,
            cipherList: String = Options.defaultCipherList,
            cipherSuites: String? = nil,
            clientVerification: ClientVerification = .none
        ) {
            self.minimumVersion = minimumVersion
            self.cipherList = cipherList
            self.cipherSuites = cipherSuites
            self.clientVerification = clientVerification
        }
    }

    /// The OpenSSL context. Owned by this object and freed with it.
    let context: OpaquePointer

    /// Builds a context from PEM files.
    ///
    /// - Parameters:
    ///   - certificateChainFile: the server certificate followed by any intermediates.
    ///   - privateKeyFile: the unencrypted private key of the server certificate.
    ///   - trustedCertificatesFile: PEM certificates that client certificates must chain to;
    ///     required unless `options.clientVerification` is `.none`.
    /// - Throws: `SecurityError` with code `.fileNotReadable` when a file cannot be loaded and
    ///   `.tlsConfigurationFailed` when the key does not match or an option is invalid.
    public convenience init(
        certificateChainFile: String,
        privateKeyFile: String,
        trustedCertificatesFile: String? = nil,
        options: Options = Options()
    ) throws {
        let context = try Self.makeContext(options: options, hasTrust: trustedCertificatesFile != nil) { context in
            guard SSL_CTX_use_certificate_chain_file(context, certificateChainFile) == 1 else {
                throw SecurityError(
                    .fileNotReadable, reason: "Cannot load the TLS certificate chain", value: certificateChainFile,
                    fix: "Give a readable PEM file with the server certificate first", underlying: OpenSSLError.drain())
            }
            guard SSL_CTX_use_PrivateKey_file(context, privateKeyFile, SSL_FILETYPE_PEM) == 1 else {
                guard access(privateKeyFile, R_OK) == 0 else {
                    throw SecurityError(
                        .fileNotReadable, reason: "Cannot read the TLS private key file", value: privateKeyFile,
                        fix: "Check the path and the file permissions", underlying: OpenSSLError.drain())
                }
                // OpenSSL also fails here when the key does not match the certificate.
                throw SecurityError(
                    .tlsConfigurationFailed, reason: "Cannot use the TLS private key with the certificate",
                    value: privateKeyFile,
                    fix: "Give the unencrypted PEM key that the certificate was issued for",
                    underlying: OpenSSLError.drain())
            }
            if let trustedCertificatesFile {
                guard SSL_CTX_load_verify_file(context, trustedCertificatesFile) == 1,
                    let names = SSL_load_client_CA_file(trustedCertificatesFile)
                else {
                    throw SecurityError(
                        .fileNotReadable, reason: "Cannot load the trusted client certificates",
                        value: trustedCertificatesFile, fix: "Give a readable file of PEM certificates",
                        underlying: OpenSSLError.drain())
                }
                // The context takes ownership of the list of names it sends to clients.
                SSL_CTX_set_client_CA_list(context, names)
            }
        }
        self.init(adopting: context)
    }

    /// Builds a context from OpenSSL objects already loaded, for example from a PKCS#12 or JKS
    /// key store.
    ///
    /// The context takes its own references (`up_ref`), so the caller keeps ownership of the
    /// objects it passes and may free them afterwards.
    ///
    /// - Parameters:
    ///   - privateKey: an `EVP_PKEY *`.
    ///   - certificateChain: `X509 *` values, the server certificate first.
    ///   - trustedCertificates: `X509 *` values that client certificates must chain to.
    /// - Throws: `SecurityError` with code `.tlsConfigurationFailed` when the chain is empty, the
    ///   key does not match the certificate, or an option is invalid.
    public init(
        privateKey: OpaquePointer,
        certificateChain: [OpaquePointer],
        trustedCertificates: [OpaquePointer] = [],
        options: Options = Options()
    ) throws {
        context = try Self.makeContext(options: options, hasTrust: !trustedCertificates.isEmpty) { context in
            guard let leaf = certificateChain.first else {
                throw SecurityError(
                    .tlsConfigurationFailed, reason: "The TLS certificate chain is empty",
                    fix: "Pass the server certificate first, then any intermediates")
            }
            guard SSL_CTX_use_certificate(context, leaf) == 1, SSL_CTX_use_PrivateKey(context, privateKey) == 1 else {
                throw SecurityError(
                    .tlsConfigurationFailed, reason: "OpenSSL rejected the TLS certificate or private key",
                    fix: "Check that the key is an RSA or EC key of at least 2048 bits (RSA) or 256 bits (EC)",
                    underlying: OpenSSLError.drain())
            }
            for intermediate in certificateChain.dropFirst() {
                guard cshims_SSL_CTX_add1_chain_cert(context, intermediate) == 1 else {
                    throw SecurityError(
                        .tlsConfigurationFailed, reason: "OpenSSL rejected an intermediate certificate",
                        underlying: OpenSSLError.drain())
                }
            }
            if !trustedCertificates.isEmpty, let store = SSL_CTX_get_cert_store(context) {
                for certificate in trustedCertificates {
                    guard X509_STORE_add_cert(store, certificate) == 1, SSL_CTX_add_client_CA(context, certificate) == 1
                    else {
                        throw SecurityError(
                            .tlsConfigurationFailed, reason: "Cannot add a trusted client certificate",
                            underlying: OpenSSLError.drain())
                    }
                }
            }
        }
    }

    private init(adopting context: OpaquePointer) {
        self.context = context
    }

    deinit {
        SSL_CTX_free(context)
    }

    private static func makeContext(
        options: Options, hasTrust: Bool, loadCredentials: (OpaquePointer) throws -> Void
    ) throws -> OpaquePointer {
        _ = OpenSSLError.drain()
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw SecurityError(
                .tlsConfigurationFailed, reason: "SSL_CTX_new failed", underlying: OpenSSLError.drain())
        }
        do {
            try configure(context, options: options, hasTrust: hasTrust)
            try loadCredentials(context)
            guard SSL_CTX_check_private_key(context) == 1 else {
                throw SecurityError(
                    .tlsConfigurationFailed, reason: "The TLS private key does not match the certificate",
                    fix: "Use the key that the certificate was issued for", underlying: OpenSSLError.drain())
            }
            return context
        } catch {
            SSL_CTX_free(context)
            throw error
        }
    }

    private static func configure(_ context: OpaquePointer, options: Options, hasTrust: Bool) throws {
        let floor = options.minimumVersion == .tls13 ? TLS1_3_VERSION : TLS1_2_VERSION
        guard cshims_SSL_CTX_set_min_proto_version(context, floor) == 1 else {
            throw SecurityError(
                .tlsConfigurationFailed, reason: "Cannot set the minimum TLS version", underlying: OpenSSLError.drain())
        }
        _ = cshims_SSL_CTX_set_options(
            context,
            cshims_SSL_OP_NO_COMPRESSION() | cshims_SSL_OP_NO_RENEGOTIATION() | cshims_SSL_OP_CIPHER_SERVER_PREFERENCE()
        )
        _ = cshims_SSL_CTX_set_mode(context, cshims_SSL_MODE_RELEASE_BUFFERS())

        guard SSL_CTX_set_cipher_list(context, options.cipherList) == 1 else {
            throw SecurityError(
                .tlsConfigurationFailed, reason: "No usable cipher in the TLS 1.2 cipher list",
                value: options.cipherList, fix: "Use OpenSSL cipher-list syntax, for example ECDHE+AESGCM",
                underlying: OpenSSLError.drain())
        }
        if let suites = options.cipherSuites {
            guard SSL_CTX_set_ciphersuites(context, suites) == 1 else {
                throw SecurityError(
                    .tlsConfigurationFailed, reason: "Invalid TLS 1.3 cipher suites", value: suites,
                    fix: "Use names such as TLS_AES_128_GCM_SHA256, separated by colons",
                    underlying: OpenSSLError.drain())
            }
        }

        // Session resumption with client verification needs a session id context.
        let sessionContext = Array("eventhttp".utf8)
        _ = SSL_CTX_set_session_id_context(context, sessionContext, UInt32(sessionContext.count))

        switch options.clientVerification {
        case .none:
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        case .optional, .require:
            guard hasTrust else {
                throw SecurityError(
                    .tlsConfigurationFailed, reason: "Client verification is on but no trusted certificate is given",
                    fix: "Pass the certificates that client certificates must chain to, or turn verification off")
            }
            var mode = SSL_VERIFY_PEER
            if options.clientVerification == .require {
                mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT
            }
            SSL_CTX_set_verify(context, mode, nil)
        }
    }

    /// Returns the subject of the peer certificate in RFC 2253 form, or nil when the peer sent
    /// none or it did not verify.
    static func verifiedPeerSubject(_ ssl: OpaquePointer) -> String? {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(certificate) }
        guard SSL_get_verify_result(ssl) == X509_V_OK, let name = X509_get_subject_name(certificate),
            let bio = BIO_new(BIO_s_mem())
        else { return nil }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, cshims_XN_FLAG_RFC2253()) >= 0 else { return nil }
        var data: UnsafeMutablePointer<CChar>?
        let length = cshims_BIO_get_mem_data(bio, &data)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }
}
