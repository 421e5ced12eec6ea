import COpenSSL
import EventHTTP
import Foundation
import InternalAPISecurity
import KeyStores

/// Builds the HTTPS listener's TLS context from `<sslConfig>`, or from a self-signed
/// certificate for localhost kept in the state folder when no key store is configured.
enum TLSBootstrap {
    /// Builds the context and logs where its certificate came from.
    ///
    /// - Throws: `SecurityError` naming the key store and a fix when it cannot be read, or when
    ///   no listed protocol or cipher is usable.
    static func makeContext(
        sslConfig: SSLConfiguration?, stateDirectory: String, logger: Logger
    ) throws -> TLSServerContext {
        var options = TLSServerContext.Options()
        var trusted: [Certificate] = []

        if let sslConfig {
            options.minimumVersion = try minimumVersion(sslConfig.httpsProtocols, logger: logger)
            let ciphers = try cipherSelection(sslConfig.preferredCiphers, logger: logger)
            if let cipherList = ciphers.cipherList {
                options.cipherList = cipherList
            }
            if let cipherSuites = ciphers.cipherSuites {
                options.cipherSuites = cipherSuites
            }
            switch sslConfig.verifyClient {
            case .none: options.clientVerification = .none
            case .optional: options.clientVerification = .optional
            case .require: options.clientVerification = .require
            }
            if let trustStore = sslConfig.trustStore {
                let loaded = try KeyStore.load(trustStore)
                trusted = loaded.trustedCertificates + loaded.certificateChain
            }
            if options.clientVerification != .none && trusted.isEmpty {
                throw SecurityError(
                    .invalidConfiguration, reason: "Client certificates are verified but no trust store is configured",
                    value: sslConfig.verifyClient.rawValue,
                    fix: "add a trust store to <sslConfig>, or set sslVerifyClient to false",
                    location: sslConfig.element.location)
            }
        }

        if let keyStore = sslConfig?.keyStore {
            let loaded = try KeyStore.load(keyStore)
            guard let privateKey = loaded.privateKey, let leaf = loaded.certificate else {
                throw SecurityError(
                    .keyStoreFailed, reason: "Key store has no private key entry with a certificate",
                    value: keyStore.path,
                    fix: "give a key store with the server's key and certificate, and set its alias if it has several")
            }
            logger.info(
                "TLS certificate loaded",
                metadata: ["keystore": keyStore.path, "subject": leaf.subject, "alias": loaded.selectedAlias ?? ""])
            return try TLSServerContext(
                privateKey: privateKey.pointer, certificateChain: loaded.certificateChain.map(\.pointer),
                trustedCertificates: trusted.map(\.pointer), options: options)
        }

        let (privateKey, certificate, created) = try SelfSignedCertificate.loadOrCreate(
            in: stateDirectory, logger: logger)
        logger.notice(
            created ? "self-signed certificate created for localhost" : "self-signed certificate reused for localhost",
            metadata: [
                "directory": stateDirectory, "subject": certificate.subject,
                "fix": "configure a key store in <sslConfig> for production use",
            ])
        return try TLSServerContext(
            privateKey: privateKey.pointer, certificateChain: [certificate.pointer],
            trustedCertificates: trusted.map(\.pointer), options: options)
    }

    /// Maps `httpsProtocols` to the lowest version to accept. TLS 1.0 and 1.1 are never
    /// enabled: a list naming them gets one warning and TLS 1.2 as the floor.
    static func minimumVersion(_ protocols: [String], logger: Logger) throws -> TLSServerContext.MinimumVersion {
        let selection = try ProtocolSelection(httpsProtocols: protocols)
        if !selection.obsolete.isEmpty {
            logger.warning(
                "obsolete TLS versions in httpsProtocols stay disabled",
                metadata: ["versions": selection.obsolete.joined(separator: ","), "minimum": "TLSv1.2"])
        }
        return selection.minimum
    }

    /// The TLS 1.3 cipher suites, which OpenSSL configures apart from the TLS 1.2 cipher list
    /// and names as IANA does.
    static let tls13Suites: Set<String> = [
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256",
    ]

    /// Converts `preferredCiphers`, written with the IANA names Java uses
    /// (`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`), to an OpenSSL TLS 1.2 cipher list and a
    /// TLS 1.3 suite list. Either is nil when the configuration names none of its kind, so
    /// OpenSSL's defaults (restricted as `TLSServerContext.Options` documents) stay. Names
    /// OpenSSL does not know are skipped with a warning.
    ///
    /// - Throws: `invalidConfiguration` when no listed name is usable.
    static func cipherSelection(_ ciphers: [String], logger: Logger) throws -> (
        cipherList: String?, cipherSuites: String?
    ) {
        guard !ciphers.isEmpty else { return (nil, nil) }
        var openSSLNames: [String] = []
        var suites: [String] = []
        var skipped: [String] = []
        for cipher in ciphers {
            let name = cipher.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            if tls13Suites.contains(name) {
                suites.append(name)
            } else if let converted = OPENSSL_cipher_name(name), case let text = String(cString: converted),
                text != "(NONE)"
            {
                openSSLNames.append(text)
            } else if name.contains("-") || name.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "-" }) {
                // Already an OpenSSL name such as ECDHE-RSA-AES128-GCM-SHA256.
                openSSLNames.append(name)
            } else {
                skipped.append(name)
            }
        }
        if !skipped.isEmpty {
            logger.warning(
                "unknown ciphers in preferredCiphers are ignored", metadata: ["ciphers": skipped.joined(separator: ",")]
            )
        }
        guard !openSSLNames.isEmpty || !suites.isEmpty else {
            throw SecurityError(
                .invalidConfiguration, reason: "preferredCiphers names no cipher OpenSSL knows",
                value: ciphers.joined(separator: ","),
                fix: "use IANA names such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, or remove preferredCiphers")
        }
        return (
            openSSLNames.isEmpty ? nil : openSSLNames.joined(separator: ":"),
            suites.isEmpty ? nil : suites.joined(separator: ":")
        )
    }
}

extension TLSBootstrap {
    /// The TLS versions an `httpsProtocols` list enables, and the obsolete ones it names that stay off.
    ///
    /// Micro Integrator ships `TLSv1,TLSv1.1,TLSv1.2`. This server accepts such a list but never
    /// enables TLS 1.0, TLS 1.1 or SSL, and it enables TLS 1.3 whenever TLS 1.2 is listed.
    struct ProtocolSelection: Equatable {
        /// The lowest version the listener accepts.
        let minimum: TLSServerContext.MinimumVersion
        /// The obsolete names in the list, as written and in their order, without repeats.
        let obsolete: [String]

        private static let obsoleteNames: Set<String> = ["sslv2hello", "sslv3", "tlsv1", "tlsv1.0", "tlsv1.1"]

        /// Reads the names of `httpsProtocols` in any letter case; an empty list means TLS 1.2 and 1.3.
        ///
        /// - Throws: `SecurityError` when the list names neither TLSv1.2 nor TLSv1.3.
        init(httpsProtocols: [String]) throws {
            var obsolete: [String] = []
            var modern: Set<String> = []
            for written in httpsProtocols {
                let name = written.trimmingCharacters(in: .whitespaces)
                let key = name.lowercased()
                if Self.obsoleteNames.contains(key), !obsolete.contains(where: { $0.lowercased() == key }) {
                    obsolete.append(name)
                } else if key == "tlsv1.2" || key == "tlsv1.3" {
                    modern.insert(key)
                }
            }
            self.obsolete = obsolete

            guard !httpsProtocols.isEmpty else {
                minimum = .tls12
                return
            }
            guard !modern.isEmpty else {
                throw SecurityError(
                    .invalidConfiguration, reason: "httpsProtocols enables no supported TLS version",
                    value: httpsProtocols.joined(separator: ","), fix: "list TLSv1.2 and/or TLSv1.3")
            }
            minimum = modern == ["tlsv1.3"] ? .tls13 : .tls12
        }

        /// The enabled versions in words, for `--check-config`.
        var enabledDescription: String {
            minimum == .tls13 ? "TLS 1.3 only" : "TLS 1.2 and 1.3"
        }
    }
}
