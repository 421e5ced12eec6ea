extension ConfigurationReader {
    /// The `<sslConfig>` parameters this server reads. Each may appear once.
    static let sslParameterNames: Set<String> = [
        "keystore", "truststore", "sslVerifyClient", "httpsProtocols", "preferredCiphers",
    ]

    /// Reads `<sslConfig>`, a list of `<parameter name="...">` elements.
    ///
    /// `keystore` and `truststore` hold a `<KeyStore>` or `<TrustStore>` element; the other
    /// parameters hold text. Parameters that Micro Integrator reads but this server does not use
    /// (`sslProtocol`, `certificateRevocationVerifier`, ...) get a warning.
    func readSSLConfig(_ element: ConfigElement) throws -> SSLConfiguration {
        warnAboutUnused(element, children: ["parameter"])

        var keyStore: KeyStoreReference?
        var trustStore: KeyStoreReference?
        var verifyClient = SSLConfiguration.ClientVerification.none
        var httpsProtocols: [String] = []
        var preferredCiphers: [String] = []
        // Lines of the parameters read so far, by name, because a later one would replace an
        // earlier one without notice.
        var parameterLines: [String: Int] = [:]

        for parameter in element.children(named: "parameter") {
            let name = parameter.attributes["name"]?.trimmingWhitespace()
            if let name, Self.sslParameterNames.contains(name) {
                if let firstLine = parameterLines[name] {
                    throw SecurityError.configuration(
                        "SSL parameter '\(name)' appears twice in <sslConfig>, at lines \(firstLine) and \(parameter.line)",
                        value: name, fix: "merge them into one <parameter name=\"\(name)\"> element",
                        at: parameter.location)
                }
                parameterLines[name] = parameter.line
            }
            switch name {
            case "keystore":
                warnAboutUnused(parameter, children: ["KeyStore"], attributes: ["name"])
                keyStore = try readStore(parameter, elementName: "KeyStore")
            case "truststore":
                warnAboutUnused(parameter, children: ["TrustStore"], attributes: ["name"])
                trustStore = try readStore(parameter, elementName: "TrustStore")
            case "sslVerifyClient":
                warnAboutUnused(parameter, children: [], attributes: ["name"])
                verifyClient = try readClientVerification(parameter)
            case "httpsProtocols":
                warnAboutUnused(parameter, children: [], attributes: ["name"])
                httpsProtocols = commaSeparated(parameter.text)
            case "preferredCiphers":
                warnAboutUnused(parameter, children: [], attributes: ["name"])
                preferredCiphers = commaSeparated(parameter.text)
            case nil:
                throw SecurityError.configuration(
                    "SSL parameter has no name attribute",
                    fix: "add name=\"...\", for example keystore, truststore or httpsProtocols", at: parameter.location)
            case let name?:
                // One warning for the whole parameter, not one per element inside it.
                warn("SSL parameter '\(name)' is not used and is ignored", at: parameter.location)
            }
        }

        return SSLConfiguration(
            keyStore: keyStore, trustStore: trustStore, verifyClient: verifyClient, httpsProtocols: httpsProtocols,
            preferredCiphers: preferredCiphers, element: element)
    }

    /// Reads `<KeyStore>` or `<TrustStore>`: `Location` (required), `Type`, `Password`,
    /// `KeyPassword` and `Alias`. Passwords may come from the secure vault.
    private func readStore(_ parameter: ConfigElement, elementName: String) throws -> KeyStoreReference {
        try rejectRepeat(of: [elementName], in: parameter)
        guard let store = parameter.child(elementName) else {
            throw SecurityError.configuration(
                "SSL parameter '\(parameter.attributes["name"] ?? "")' has no <\(elementName)> element",
                fix: "put <\(elementName)><Location>path</Location>...</\(elementName)> inside the parameter",
                at: parameter.location)
        }
        let settings = ["Location", "Type", "Password", "KeyPassword", "Alias"]
        warnAboutUnused(store, children: Set(settings))
        try rejectRepeats(ofEach: settings, in: store)

        let location = try requiredText(
            "Location", in: store, fix: "write the key store path, absolute or relative to the home folder")
        let type = store.child("Type")?.trimmedText
        let alias = store.child("Alias")?.trimmedText

        return KeyStoreReference(
            path: absolutePath(location), type: type?.isEmpty == false ? type : nil,
            password: try optionalSecret("Password", in: store),
            keyPassword: try optionalSecret("KeyPassword", in: store),
            alias: alias?.isEmpty == false ? alias : nil)
    }

    private func optionalSecret(_ name: String, in parent: ConfigElement) throws -> String? {
        guard let element = parent.child(name) else { return nil }
        warnAboutUnused(element, children: [], attributes: ["secretAlias"])
        let value = try secretCapableValue(of: element, trimming: false)
        return value.value.isEmpty ? nil : value.value
    }

    private func readClientVerification(_ parameter: ConfigElement) throws -> SSLConfiguration.ClientVerification {
        // Micro Integrator's own file writes `false`; `true` is read as `require` to match.
        switch parameter.trimmedText.lowercased() {
        case "require", "true": return .require
        case "optional": return .optional
        case "none", "false", "": return .none
        default:
            throw SecurityError.configuration(
                "SSL parameter sslVerifyClient has an unknown value", value: parameter.trimmedText,
                fix: "write require, optional or none", at: parameter.location)
        }
    }
}
