import Foundation
import InternalAPISecurity
import JWTTokenSecurity
import SecureVault

/// Everything built from one configuration: the loaded document, the user store, the handler
/// chains and the application that serves them. Built whole or not at all, so the server never
/// starts, or reloads into, a half-configured state.
struct ServerAssembly: Sendable {
    let configuration: InternalAPIsConfiguration
    let userStore: any UserStore
    let apis: [ServedAPI]
    let application: ManagementApplication
    /// The JWT handlers, for the token store gauge, reload and shutdown.
    let tokenHandlers: [JWTTokenSecurityHandler]
    /// `<api name>/<handler name>` of each entry of `tokenHandlers`, which identifies a handler
    /// across reloads: handler names alone may repeat on different APIs.
    let tokenHandlerKeys: [String]

    /// Loads the configuration named by `options` (or the embedded default) and builds every part.
    ///
    /// - Parameter previous: the assembly being replaced on reload. A JWT handler on the same API,
    ///   with the same name and token store limits, keeps its token store, so issued tokens stay
    ///   valid (`removeTokensOfChangedUsers` then drops those of removed users).
    /// - Throws: the first `SecurityError` found; nothing is started.
    static func build(
        options: ServerOptions, extensions: ServerExtensions, metrics: Metrics, logger: Logger,
        previous: ServerAssembly? = nil
    ) throws -> ServerAssembly {
        let home = options.resolvedHome
        let secretResolver = try makeSecretResolver(options: options, home: home, logger: logger)

        let loader = InternalAPIsLoader(apiClasses: extensions.apiClasses)
        var configuration: InternalAPIsConfiguration
        if let path = options.configPath {
            configuration = try loader.load(file: path, home: home, secretResolver: secretResolver, logger: logger)
        } else {
            configuration = try loader.load(
                data: Array(EmbeddedConfiguration.document.utf8), source: EmbeddedConfiguration.source, home: home,
                secretResolver: secretResolver, logger: logger)
        }
        try configuration.validateHandlerClasses(registry: extensions.handlers)
        for api in configuration.apis {
            for handler in api.handlers {
                configuration.warnings += extensions.handlers.undeclaredSettings(of: handler)
            }
        }

        let userStore = try makeUserStore(
            configuration, extensions: extensions, secretResolver: secretResolver, home: home, logger: logger)

        var tokenHandlers: [JWTTokenSecurityHandler] = []
        var tokenHandlerKeys: [String] = []
        var apis: [ServedAPI] = []
        for api in configuration.apis {
            var handlers: [any SecurityHandler] = []
            for configured in api.handlers {
                // The management API hands the chain canonical paths (`/carbon-apps` for
                // `/applications`), so prefixes written with an alias must match them too.
                var handlerConfiguration = configured
                if api.kind == .management {
                    handlerConfiguration.resources = try ResourceSet(
                        SampleResource.expandingAliases(configured.resources.prefixes))
                }
                let context = HandlerFactoryContext(
                    userStore: userStore, secretResolver: secretResolver,
                    logger: Logger(label: handlerConfiguration.name, handler: logger.handler), clock: SystemClock(),
                    home: home)
                var handler = try extensions.handlers.makeHandler(handlerConfiguration, context: context)
                if let tokenHandler = handler as? JWTTokenSecurityHandler {
                    let key = "\(api.name)/\(tokenHandler.name)"
                    let tokenHandlerWithStore = keepTokens(of: tokenHandler, key: key, from: previous, logger: logger)
                    tokenHandlers.append(tokenHandlerWithStore)
                    tokenHandlerKeys.append(key)
                    handler = tokenHandlerWithStore
                }
                handlers.append(handler)
            }
            apis.append(try ServedAPI(configuration: api, chain: SecurityHandlerChain(handlers)))
        }
        apis += try defaultOperationalAPIs(missingFrom: configuration)

        let sampleData =
            try options.sampleDataDirectory.map { try SampleData.load(fromFolder: $0) }
            ?? SampleData.bundled()
        let application = try ManagementApplication(
            apis: apis, userStore: userStore, sampleData: sampleData, metrics: metrics,
            logger: Logger(label: "management-api", handler: logger.handler))

        return ServerAssembly(
            configuration: configuration, userStore: userStore, apis: apis, application: application,
            tokenHandlers: tokenHandlers, tokenHandlerKeys: tokenHandlerKeys)
    }

    /// Whether any API is served over `transport`.
    func serves(_ transport: APIProtocol) -> Bool {
        apis.contains { $0.protocols.contains(transport) }
    }

    /// Removes the tokens of users that the user store no longer lists, or lists with another
    /// admin flag, from every JWT handler's store. A reload calls it before the assembly serves,
    /// so a removed or demoted user's token stops working with the reload.
    ///
    /// When the store cannot list its users, every token is removed: the reload fails closed.
    func removeTokensOfChangedUsers(logger: Logger) async {
        var listed: [String: Bool]?
        do {
            listed = Dictionary(
                try await userStore.users().map { ($0.username, $0.isAdmin) }, uniquingKeysWith: { first, _ in first })
        } catch {
            logger.warning(
                "user store cannot list its users: every issued token is dropped",
                metadata: ["error": String(describing: error)])
        }
        let adminFlags = listed
        for (key, handler) in zip(tokenHandlerKeys, tokenHandlers) {
            do {
                let removed = try await handler.tokenStore.removeAll { record in
                    adminFlags?[record.username] != record.isAdmin
                }
                if removed > 0 {
                    logger.notice(
                        "tokens of removed or changed users dropped",
                        metadata: ["handler": key, "count": String(removed)])
                }
            } catch {
                logger.error(
                    "tokens of removed users could not be dropped",
                    metadata: ["handler": key, "error": String(describing: error)])
            }
        }
    }

    /// The number of tokens held by all JWT handlers, for the token store gauge.
    func tokenCount() async throws -> Int {
        var total = 0
        for handler in tokenHandlers {
            total += try await handler.tokenCount()
        }
        return total
    }

    // MARK: - Parts

    private static func makeSecretResolver(options: ServerOptions, home: String, logger: Logger) throws
        -> any SecretResolver
    {
        /// The resolver of a server started without vault options: its error names the options
        /// that configure one, which the library's `UnconfiguredSecretResolver` cannot know.
        struct ServerWithoutVault: SecretResolver {
            func resolve(alias: String) throws -> String {
                throw SecurityError(
                    .secretNotResolved, reason: "Secret alias cannot be resolved because no secure vault is configured",
                    value: alias,
                    fix: "start the server with --secret-repository FILE and --secret-keystore FILE "
                        + "(see management-server --help), or write the value in plain text")
            }
        }

        guard let repository = options.secretRepository else {
            guard options.secretKeyStore == nil else {
                throw SecurityError(
                    .invalidArgument, reason: "--secret-keystore needs --secret-repository",
                    value: options.secretKeyStore, fix: "add --secret-repository FILE, or remove --secret-keystore")
            }
            return ServerWithoutVault()
        }
        guard let keyStore = options.secretKeyStore else {
            throw SecurityError(
                .invalidArgument, reason: "--secret-repository needs --secret-keystore", value: repository,
                fix: "add --secret-keystore FILE with the vault's RSA private key (PEM, PKCS#12 or JKS)")
        }
        let transformation = try options.secretTransformation.map { try CipherTransformation(javaName: $0) }
        var configuration = SecureVaultConfiguration(
            repositoryPath: repository, keyStorePath: keyStore, keyAlias: options.secretKeyAlias,
            transformation: transformation ?? .rsaOAEPWithSHA1, homeDirectory: home)
        configuration.keyStorePassword.deletesPasswordFileAfterReading = options.deletesPasswordFile
        // The resolver logs the repository and alias count itself once it has loaded.
        return try SecureVaultResolver(configuration: configuration, logger: logger)
    }

    private static func makeUserStore(
        _ configuration: InternalAPIsConfiguration, extensions: ServerExtensions, secretResolver: any SecretResolver,
        home: String, logger: Logger
    ) throws -> any UserStore {
        let context = UserStoreFactoryContext(secretResolver: secretResolver, logger: logger, home: home)
        if let storeConfiguration = configuration.userStore {
            return try extensions.userStores.makeUserStore(storeConfiguration, context: context)
        }
        let needsUsers = configuration.apis.contains { !$0.handlers.isEmpty }
        if needsUsers {
            logger.warning(
                "no user store configured: every login fails",
                metadata: ["file": configuration.source, "fix": "add a <userStore> with <users>"])
        }
        return try FileUserStore(
            configuration: UserStoreConfiguration(className: nil, users: [], element: ConfigElement(name: "userStore")))
    }

    /// Keeps the token store of a JWT handler from the previous assembly with the same API,
    /// name and limits, so a reload does not log anyone out.
    private static func keepTokens(
        of handler: JWTTokenSecurityHandler, key: String, from previous: ServerAssembly?, logger: Logger
    ) -> JWTTokenSecurityHandler {
        guard let previous, let index = previous.tokenHandlerKeys.firstIndex(of: key) else {
            return handler
        }
        let old = previous.tokenHandlers[index]
        guard old.tokenStore.limits == handler.tokenStore.limits else {
            logger.warning(
                "token store limits changed: issued tokens are dropped",
                metadata: ["handler": handler.name])
            return handler
        }
        handler.shutDown()
        return JWTTokenSecurityHandler(
            name: handler.name, resources: handler.resources, userStore: handler.userStore,
            tokenStore: old.tokenStore, issuer: handler.issuer, cleanup: old.cleanup, realm: handler.realm,
            clock: SystemClock())
    }

    /// Metrics and probes on HTTP when the document does not declare them, as Micro
    /// Integrator always serves them.
    private static func defaultOperationalAPIs(missingFrom configuration: InternalAPIsConfiguration) throws
        -> [ServedAPI]
    {
        let declared = Set(configuration.apis.map(\.kind))
        let defaults: [(String, BuiltInAPI)] = [
            ("MetricsAPI", .prometheus), ("ReadinessProbe", .readiness), ("LivenessProbe", .liveness),
        ]
        return try defaults.filter { !declared.contains($0.1) }.map { name, kind in
            try ServedAPI(name: name, kind: kind, protocols: [.http])
        }
    }
}

extension ServerOptions {
    /// The absolute home folder: `--home`, or the working directory.
    var resolvedHome: String {
        let current = FileManager.default.currentDirectoryPath
        guard let home else { return current }
        return home.hasPrefix("/") ? home : URL(fileURLWithPath: current).appendingPathComponent(home).path
    }
}
