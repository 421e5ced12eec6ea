import InternalAPISecurity

/// The text `--check-config` prints: what each API serves, where, and what protects it.
struct ConfigurationSummary {
    let assembly: ServerAssembly
    /// The users as the built store lists them, which for a custom store may differ from the
    /// `<users>` written in the document.
    let users: [UserSummary]

    var text: String {
        let configuration = assembly.configuration
        var lines: [String] = []
        lines.append("Configuration \(configuration.source) is valid (\(configuration.shape.rawValue) document).")
        lines.append("")

        for api in assembly.apis {
            let protocols = api.protocols.map(\.rawValue).sorted().joined(separator: " and ")
            let declared = configuration.apis.contains { $0.name == api.name } ? "" : " (added: not in the document)"
            lines.append("API \(api.name): \(describe(api.kind)) at \(api.context), over \(protocols)\(declared)")
            if api.chain.handlers.isEmpty {
                lines.append("  no handlers: every resource is open")
            }
            let handlerConfigurations = configuration.api(named: api.name)?.handlers ?? []
            for (index, handler) in api.chain.handlers.enumerated() {
                let handlerConfiguration = index < handlerConfigurations.count ? handlerConfigurations[index] : nil
                lines.append("  handler \(index + 1): \(handler.name) (\(handlerConfiguration?.className ?? "?"))")
                lines.append("    protects: \(describe(handler.resources))")
                if let handlerConfiguration, handlerConfiguration.className.hasSuffix("JWTTokenSecurityHandler") {
                    let store = handlerConfiguration.tokenStore
                    let token = handlerConfiguration.token
                    lines.append(
                        "    login at \(api.context)/login, logout at \(api.context)/logout; tokens RS256 with a "
                            + "\(token.keySize)-bit key, valid \(token.expiry) s")
                    lines.append(
                        "    token store: at most \(store.maxSize) tokens, cleanup every \(store.cleanupInterval) s, "
                            + (store.removeOldestOnOverflow
                                ? "evicts the least recently used token when full"
                                : "refuses logins with 503 when full"))
                }
                if let handlerConfiguration, handlerConfiguration.className.hasSuffix("BasicSecurityHandler") {
                    lines.append("    Basic credentials on every request; no tokens")
                }
                if let handlerConfiguration, handlerConfiguration.className.hasSuffix("AuthorizationHandler") {
                    lines.append("    only users with the admin flag pass; others get 403")
                }
            }
            if let cors = api.cors, cors.enabled {
                lines.append(
                    "  CORS: origins \(cors.allowedOrigins.joined(separator: ", ")); headers "
                        + cors.allowedHeaders.joined(separator: ", "))
            }
        }

        lines.append("")
        let written = configuration.userStore?.users ?? []
        let admins = users.filter(\.isAdmin).count
        let userCount = users.count == 1 ? "1 user" : "\(users.count) users"
        let adminCount = admins == 1 ? "1 admin" : "\(admins) admins"
        lines.append("User store: \(assembly.userStore.kind), \(userCount) (\(adminCount))")
        for user in users {
            let source = written.first { $0.username == user.username }.map {
                ": password from \($0.passwordSource.rawValue)"
            }
            lines.append("  \(user.username)\(source ?? "")\(user.isAdmin ? ", admin" : "")")
        }

        if let ssl = configuration.sslConfig {
            lines.append(
                "TLS: key store \(ssl.keyStore.map { "\($0.path) (\($0.type ?? "type from file"))" } ?? "none"), "
                    + "trust store \(ssl.trustStore?.path ?? "none"), client certificates \(ssl.verifyClient.rawValue)")
            lines.append("  protocols: \(describeProtocols(ssl.httpsProtocols))")
        } else {
            lines.append("TLS: no <sslConfig>; a self-signed certificate for localhost is used")
        }

        if !configuration.warnings.isEmpty {
            lines.append("")
            lines.append("Warnings:")
            for warning in configuration.warnings {
                lines.append("  \(warning)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func describe(_ kind: BuiltInAPI) -> String {
        switch kind {
        case .management: "management API"
        case .prometheus: "Prometheus metrics"
        case .readiness: "readiness probe"
        case .liveness: "liveness probe"
        }
    }

    /// Describes what `httpsProtocols` enables. An invalid list is described, not thrown,
    /// because the server reports it as an error when it builds the TLS context at start.
    private func describeProtocols(_ httpsProtocols: [String]) -> String {
        guard let selection = try? TLSBootstrap.ProtocolSelection(httpsProtocols: httpsProtocols) else {
            return "httpsProtocols (\(httpsProtocols.joined(separator: ","))) enables no supported TLS version, "
                + "so a server with an HTTPS API fails to start"
        }
        guard !selection.obsolete.isEmpty else { return selection.enabledDescription }
        return "\(selection.enabledDescription); \(selection.obsolete.joined(separator: ", ")) in httpsProtocols "
            + "stay disabled"
    }

    private func describe(_ resources: ResourceSet) -> String {
        resources.matchesEverything ? "every resource" : resources.prefixes.joined(separator: ", ")
    }
}
