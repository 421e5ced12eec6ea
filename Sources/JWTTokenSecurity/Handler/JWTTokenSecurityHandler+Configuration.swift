import Foundation
import InternalAPISecurity

extension JWTTokenSecurityHandler {
    /// The child elements of `<handler>` that `make(_:context:)` reads besides the loader's
    /// common ones, so the registry can warn about any other child.
    public static let settingElements: Set<String> = ["KeyFile", "Issuer", "Realm"]

    /// Builds a handler from its `<handler>` element, with an `InMemoryTokenStore` sized by
    /// `<TokenStoreConfig>` and tokens shaped by `<TokenConfig>`.
    ///
    /// Besides the elements the loader parses, the handler element may contain:
    /// - `<KeyFile>path</KeyFile>`: an unencrypted PEM RSA private key (2048 to 8192 bits),
    ///   relative to `context.home` unless absolute. Nodes of a cluster share their signing
    ///   key this way. Without it, a key of `<TokenConfig><size>` bits is generated here, once,
    ///   and tokens do not survive a restart.
    /// - `<Issuer>name</Issuer>`: the `iss` claim, `InternalAPISecurity` by default.
    /// - `<Realm>name</Realm>`: the realm of the challenges, `AuthenticationChallenge.defaultRealm`
    ///   by default.
    ///
    /// - Throws: `SecurityError` at the element's location: an invalid size, interval or
    ///   expiry, a key file that cannot be read or is not an RSA key of an accepted size.
    public static func make(_ configuration: HandlerConfiguration, context: HandlerFactoryContext) throws
        -> JWTTokenSecurityHandler
    {
        let element = configuration.element
        do {
            let settings = configuration.tokenStore
            let store = try InMemoryTokenStore(
                limits: TokenStoreLimits(
                    maxSize: settings.maxSize, removeOldestOnOverflow: settings.removeOldestOnOverflow))
            let cleanup = try TokenCleanupTask(
                store: store, interval: .seconds(settings.cleanupInterval), clock: context.clock, logger: context.logger
            )

            let key = try signingKey(configuration, context: context)
            let issuerName = element.child("Issuer")?.trimmedText ?? ""
            let issuer = try TokenIssuer(
                key: key, issuer: issuerName.isEmpty ? TokenIssuer.defaultIssuer : issuerName,
                lifetime: configuration.token.expiry)
            let realm = element.child("Realm")?.trimmedText ?? ""

            return JWTTokenSecurityHandler(
                name: configuration.name, resources: configuration.resources, userStore: context.userStore,
                tokenStore: store, issuer: issuer, cleanup: cleanup, realm: realm.isEmpty ? defaultRealm : realm,
                clock: context.clock)
        } catch var error as SecurityError {
            if error.location == nil { error.location = element.location }
            throw error
        }
    }

    private static func signingKey(_ configuration: HandlerConfiguration, context: HandlerFactoryContext) throws
        -> RSASigningKey
    {
        guard let keyFile = configuration.element.child("KeyFile") else {
            let key = try RSASigningKey.generate(bits: configuration.token.keySize)
            context.logger.info(
                "signing key generated", metadata: ["handler": configuration.name, "bits": String(key.bits)])
            return key
        }

        let path = keyFile.trimmedText
        guard !path.isEmpty else {
            throw SecurityError.configuration(
                "KeyFile is empty",
                fix: "write the path of a PEM RSA private key, or remove <KeyFile> to generate a key",
                at: keyFile.location)
        }
        let resolved = path.hasPrefix("/") ? path : URL(fileURLWithPath: context.home).appendingPathComponent(path).path
        do {
            let key = try RSASigningKey(pemFile: resolved)
            context.logger.info(
                "signing key loaded",
                metadata: ["handler": configuration.name, "bits": String(key.bits), "path": resolved])
            if key.bits != configuration.token.keySize {
                context.logger.notice(
                    "signing key size differs from TokenConfig size",
                    metadata: [
                        "handler": configuration.name, "bits": String(key.bits),
                        "configured": String(configuration.token.keySize),
                    ])
            }
            return key
        } catch var error as SecurityError {
            error.location = keyFile.location
            throw error
        }
    }
}
