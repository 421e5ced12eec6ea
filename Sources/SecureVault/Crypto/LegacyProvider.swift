import COpenSSL
import Synchronization

/// Loads OpenSSL's legacy provider once per process, for PKCS #12 files that use RC2 or
/// other algorithms OpenSSL 3 keeps out of its default provider.
///
/// The default provider is loaded explicitly too, because once a provider is loaded by hand
/// OpenSSL no longer loads the default one on its own. Providers stay loaded until exit.
enum LegacyProvider {
    private static let state = Mutex<Bool?>(nil)

    /// Loads the provider on the first call and returns whether it is available.
    static func load() -> Bool {
        state.withLock { loaded in
            if let loaded { return loaded }
            let defaultProvider = OSSL_PROVIDER_load(nil, "default")
            let legacyProvider = OSSL_PROVIDER_load(nil, "legacy")
            let available = defaultProvider != nil && legacyProvider != nil
            loaded = available
            return available
        }
    }

    /// Whether the legacy provider has been loaded by this type.
    static var isLoaded: Bool {
        state.withLock { $0 ?? false }
    }
}
